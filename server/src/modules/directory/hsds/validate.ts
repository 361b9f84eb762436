// Judges every value of a raw package before anything is written. Errors (a value that cannot be
// what HSDS says it is) stop the whole import; warnings (a link to a record in neither the file
// nor the directory, a coordinate out of range) are reported and the link or value is dropped.
// See docs/decisions/0050-hsds-import-errors-and-warnings.md.
import { URGENT_KINDS, DAY_CODES, TABLES, TABLE_NAMES, type FieldSpec, type TableName } from './tables.js';
import type { Problem, RawPackage } from './types.js';

export type CleanRow = Record<string, unknown> & { id: string };
export type CleanTables = Record<TableName, CleanRow[]>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-4]):([0-5]\d)(:([0-5]\d))?$/;

type Parsed = { ok: true; value: unknown } | { ok: false; problem: string; soft?: boolean };

export function parseValue(spec: FieldSpec, raw: string): Parsed {
  const s = raw.trim();
  switch (spec.type) {
    case 'uuid':
      return UUID.test(s) ? { ok: true, value: s.toLowerCase() } : { ok: false, problem: `"${s.slice(0, 40)}" is not a UUID` };
    case 'int': {
      if (!/^-?\d+$/.test(s)) return { ok: false, problem: `"${s.slice(0, 40)}" is not a whole number` };
      return range(spec, Number(s));
    }
    case 'number': {
      const n = Number(s);
      if (!Number.isFinite(n)) return { ok: false, problem: `"${s.slice(0, 40)}" is not a number` };
      return range(spec, n);
    }
    case 'date': {
      const m = DATE.exec(s);
      const d = m ? new Date(`${s}T00:00:00Z`) : null;
      if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s)
        return { ok: false, problem: `"${s.slice(0, 40)}" is not a date (YYYY-MM-DD)` };
      return { ok: true, value: d };
    }
    case 'datetime': {
      const d = /^\d{4}-\d{2}-\d{2}/.test(s) ? new Date(s) : null;
      if (!d || Number.isNaN(d.getTime())) return { ok: false, problem: `"${s.slice(0, 40)}" is not a date and time (ISO 8601)` };
      return { ok: true, value: d };
    }
    case 'time': {
      const m = TIME.exec(s);
      if (!m || (m[1] === '24' && (m[2] !== '00' || (m[4] ?? '00') !== '00')))
        return { ok: false, problem: `"${s.slice(0, 40)}" is not a time (HH:MM or HH:MM:SS)` };
      return { ok: true, value: `${m[1]}:${m[2]}:${m[4] ?? '00'}` };
    }
    case 'phone': {
      const cleaned = s.replace(/^["']+|["']+$/g, '').trim();
      const digits = cleaned.replace(/\D/g, '');
      if (digits.length < 5 || digits.length > 15 || /[^\d\s+()\-.]/.test(cleaned)) return { ok: false, problem: 'is not a phone number' };
      return { ok: true, value: cleaned };
    }
    case 'kinds': {
      const kinds = s
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((k) => k.toLowerCase());
      const bad = kinds.find((k) => !(URGENT_KINDS as readonly string[]).includes(k));
      if (bad) return { ok: false, problem: `"${bad.slice(0, 30)}" is not one of ${URGENT_KINDS.join(', ')}` };
      return { ok: true, value: [...new Set(kinds)] };
    }
    default: {
      if (spec.values) {
        const hit = spec.values.find((v) => v.toLowerCase() === s.toLowerCase());
        if (!hit) return { ok: false, problem: `"${s.slice(0, 40)}" is not one of: ${spec.values.join(', ')}` };
        return { ok: true, value: hit };
      }
      if (spec.hsds === 'byday') {
        const bad = s
          .split(',')
          .map((d) => d.trim().toUpperCase())
          .find((d) => !DAY_CODES.includes(d.replace(/^[+-]?\d+/, '')));
        if (bad !== undefined) return { ok: false, problem: `"${bad.slice(0, 10)}" is not a day code (MO…SU)` };
        return { ok: true, value: s.toUpperCase().replace(/\s+/g, '') };
      }
      return { ok: true, value: s };
    }
  }
}

function range(spec: FieldSpec, n: number): Parsed {
  const soft = spec.column === 'latitude' || spec.column === 'longitude';
  if (spec.min !== undefined && n < spec.min) return { ok: false, problem: `${n} is below ${spec.min}`, soft };
  if (spec.max !== undefined && n > spec.max) return { ok: false, problem: `${n} is above ${spec.max}`, soft };
  return { ok: true, value: n };
}

/**
 * @param existing ids already in the directory, per table (links may point at them).
 */
export function validatePackage(pkg: RawPackage, existing: Partial<Record<TableName, Set<string>>>) {
  const problems: Problem[] = [...pkg.problems];
  const tables = Object.fromEntries(TABLE_NAMES.map((t) => [t, [] as CleanRow[]])) as CleanTables;
  const kept = Object.fromEntries(TABLE_NAMES.map((t) => [t, new Set(existing[t] ?? [])])) as Record<TableName, Set<string>>;

  // Pass 1: values. Pass 2 (same loop, parents first): links.
  for (const table of TABLE_NAMES) {
    const raw = pkg.tables[table];
    if (!raw) continue;
    const specs = TABLES[table];
    const seen = new Map<string, number>();
    for (const required of specs.filter((s) => s.required && !s.extension)) {
      if (!raw.header.includes(required.hsds)) {
        problems.push({ severity: 'error', table, file: raw.file, row: 1, field: required.hsds, problem: 'required column is missing' });
      }
    }
    for (const { row, values } of raw.rows) {
      const out: Record<string, unknown> = {};
      let rowOk = true;
      for (const spec of specs) {
        const rawValue = values[spec.hsds];
        if (rawValue === undefined || rawValue.trim() === '') {
          if (spec.required && raw.header.includes(spec.hsds)) {
            problems.push({ severity: 'error', table, file: raw.file, row, field: spec.hsds, problem: 'is required' });
            rowOk = false;
          }
          continue;
        }
        const parsed = parseValue(spec, rawValue);
        if (parsed.ok) out[spec.column] = parsed.value;
        else {
          problems.push({
            severity: parsed.soft ? 'warning' : 'error',
            table,
            file: raw.file,
            row,
            field: spec.hsds,
            problem: parsed.soft ? `${parsed.problem}; left empty` : parsed.problem,
          });
          if (!parsed.soft) rowOk = false;
        }
      }
      if (typeof out.id === 'string') {
        const dup = seen.get(out.id);
        if (dup !== undefined) {
          problems.push({ severity: 'error', table, file: raw.file, row, field: 'id', problem: `same id as row ${dup}` });
          rowOk = false;
        } else seen.set(out.id, row);
      }
      if (!rowOk) continue;
      // Links, checked against what is kept so far (parents come first in TABLE_NAMES).
      let dropped = false;
      for (const spec of specs.filter((s) => s.ref)) {
        const target = out[spec.column];
        if (typeof target !== 'string' || kept[spec.ref!].has(target)) continue;
        if (spec.refRequired) {
          problems.push({
            severity: 'warning',
            table,
            file: raw.file,
            row,
            field: spec.hsds,
            problem: `links to ${spec.ref} ${target}, which is in neither the file nor the directory; row skipped`,
          });
          dropped = true;
          break;
        }
        problems.push({
          severity: 'warning',
          table,
          file: raw.file,
          row,
          field: spec.hsds,
          problem: `links to ${spec.ref} ${target}, which is in neither the file nor the directory; link left empty`,
        });
        out[spec.column] = null;
      }
      if (dropped) continue;
      if (table === 'service' && typeof out.minimumAge === 'number' && typeof out.maximumAge === 'number' && out.minimumAge > out.maximumAge) {
        problems.push({ severity: 'error', table, file: raw.file, row, field: 'minimum_age', problem: 'is above maximum_age' });
        continue;
      }
      if (table === 'service_capacity' && typeof out.maximum === 'number' && (out.available as number) > out.maximum) {
        problems.push({ severity: 'warning', table, file: raw.file, row, field: 'available', problem: `${out.available} is above maximum ${out.maximum}` });
      }
      kept[table].add(out.id as string);
      tables[table].push(out as CleanRow);
    }
  }
  const errors = problems.filter((p) => p.severity === 'error');
  return { tables, problems, ok: errors.length === 0 };
}
