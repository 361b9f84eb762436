// Reads an HSDS tabular package as it comes: CSV files with or without a usable
// datapackage.json, a zip of them, or a JSON datapackage with the rows inline. Produces one raw
// table per HSDS table we keep, with the spreadsheet row number of every row. Nothing here
// judges values; validate.ts does.
import { restoreFormula } from '../../../csv.js';
import { parseCsv } from './csv.js';
import { readZip, ZipError } from './zip.js';
import { FILE_NAMES, IGNORED_TABLES, TABLE_NAMES, type TableName } from './tables.js';
import type { RawPackage, RawTable } from './types.js';

const baseName = (p: string) =>
  p
    .split('/')
    .pop()!
    .replace(/\.(csv|json)$/i, '')
    .toLowerCase();

function tableFor(name: string): TableName | undefined {
  const n = baseName(name);
  return TABLE_NAMES.find((t) => FILE_NAMES[t].aliases.includes(n));
}

const cellText = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** From file name → content (a folder, a zip's entries, or a JSON map of files). */
export function readFiles(files: Map<string, string>): RawPackage {
  const pkg: RawPackage = { tables: {}, ignored: [], problems: [] };
  const dpName = [...files.keys()].find((k) => baseName(k) === 'datapackage' && k.toLowerCase().endsWith('.json'));
  if (dpName) {
    let dp: unknown;
    try {
      dp = JSON.parse(files.get(dpName)!);
    } catch {
      pkg.problems.push({
        severity: 'warning',
        table: 'datapackage',
        file: dpName,
        row: null,
        field: null,
        problem: 'datapackage.json is not JSON; tables were found by their file names',
      });
    }
    if (dp && typeof dp === 'object') {
      const inline = readDatapackageObject(dp as Record<string, unknown>, dpName);
      pkg.problems.push(...inline.problems);
      pkg.ignored.push(...inline.ignored);
      Object.assign(pkg.tables, inline.tables);
    }
  }
  for (const [name, text] of files) {
    if (!name.toLowerCase().endsWith('.csv')) continue;
    const table = tableFor(name);
    if (!table) {
      const rows = parseCsv(text).rows.length;
      if (IGNORED_TABLES.includes(baseName(name))) pkg.ignored.push({ file: name, rows: Math.max(0, rows - 1) });
      else
        pkg.problems.push({
          severity: 'warning',
          table: baseName(name),
          file: name,
          row: null,
          field: null,
          problem: 'not an HSDS table this directory keeps; skipped',
        });
      continue;
    }
    if (pkg.tables[table]) {
      pkg.problems.push({ severity: 'error', table, file: name, row: null, field: null, problem: `table given twice (also in ${pkg.tables[table]!.file})` });
      continue;
    }
    const parsed = parseCsv(text);
    if (parsed.error) {
      pkg.problems.push({ severity: 'error', table, file: name, row: parsed.error.line, field: null, problem: parsed.error.message });
      continue;
    }
    const [head, ...rest] = parsed.rows;
    if (!head) continue;
    const header = head.cells.map((h) => h.trim().toLowerCase());
    const raw: RawTable = { table, file: name, header, rows: [] };
    for (const r of rest) {
      if (r.cells.length === 1 && r.cells[0]!.trim() === '') continue;
      if (r.cells.length !== header.length) {
        pkg.problems.push({
          severity: 'error',
          table,
          file: name,
          row: r.line,
          field: null,
          problem: `row has ${r.cells.length} fields; the header has ${header.length}`,
        });
        continue;
      }
      raw.rows.push({ row: r.line, values: Object.fromEntries(header.map((h, i) => [h, restoreFormula(r.cells[i]!)])) });
    }
    pkg.tables[table] = raw;
  }
  return pkg;
}

/** A JSON datapackage whose resources carry their rows inline (`data`). */
export function readDatapackageObject(dp: Record<string, unknown>, file = 'datapackage.json'): RawPackage {
  const pkg: RawPackage = { tables: {}, ignored: [], problems: [] };
  const resources = Array.isArray(dp.resources) ? (dp.resources as Record<string, unknown>[]) : [];
  for (const res of resources) {
    if (!Array.isArray(res.data)) continue; // rows live in a CSV file named by `path`
    const name = String(res.name ?? res.path ?? '');
    const table = tableFor(name);
    if (!table) {
      if (IGNORED_TABLES.includes(baseName(name))) pkg.ignored.push({ file: `${file}#${name}`, rows: res.data.length });
      continue;
    }
    const rows = res.data as unknown[];
    const header = [...new Set(rows.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : [])))].map((h) => h.toLowerCase());
    pkg.tables[table] = {
      table,
      file: `${file}#${name}`,
      header,
      rows: rows.map((r, i) => ({
        row: i + 1,
        values: Object.fromEntries(Object.entries((r ?? {}) as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), cellText(v)])),
      })),
    };
  }
  return pkg;
}

export class PackageError extends Error {}

/** A zip upload (the export's own form, or a region's directory). */
export function readZipPackage(buf: Buffer): RawPackage {
  let entries: Map<string, Buffer>;
  try {
    entries = readZip(buf);
  } catch (err) {
    throw new PackageError(err instanceof ZipError ? err.message : 'not a readable zip file');
  }
  const decoded: string[] = [];
  const pkg = readFiles(new Map([...entries].map(([k, v]) => [k, decodeText(k, v, decoded)])));
  for (const file of decoded) {
    pkg.problems.push({
      severity: 'warning',
      table: baseName(file),
      file,
      row: null,
      field: null,
      problem: 'not UTF-8; read as Windows-1251 (Cyrillic). Check the names, or save the file as UTF-8',
    });
  }
  return pkg;
}

/** HSDS files are UTF-8, but a spreadsheet saved on a Russian Windows writes Windows-1251.
 * Invalid UTF-8 is read as Windows-1251 (and reported) rather than stored as U+FFFD garbage. */
function decodeText(name: string, data: Buffer, decoded: string[]): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    decoded.push(name);
    return new TextDecoder('windows-1251').decode(data);
  }
}
