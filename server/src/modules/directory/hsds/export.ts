// Writes the directory back out in HSDS tabular form: one CSV per table plus a datapackage.json
// (zip), or one JSON datapackage with the rows inline. Capacity goes out as service_capacity and
// unit rows (HSDS 3.1); our own columns (urgent_kinds, district) follow the standard ones.
import { toCsv } from './csv.js';
import { FILE_NAMES, TABLES, TABLE_NAMES, type FieldSpec, type TableName } from './tables.js';
import { writeZip } from './zip.js';

const FIELD_TYPES: Record<FieldSpec['type'], string> = {
  uuid: 'string',
  text: 'string',
  int: 'integer',
  number: 'number',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
  phone: 'string',
  kinds: 'string',
};

function cell(spec: FieldSpec, v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return spec.type === 'date' ? v.toISOString().slice(0, 10) : v.toISOString();
  if (Array.isArray(v)) return v.join(',');
  return v as string | number;
}

export type ExportRows = Record<TableName, Record<string, unknown>[]>;

export function toTabular(rows: ExportRows) {
  return TABLE_NAMES.map((table) => {
    const specs = TABLES[table];
    return {
      table,
      path: FILE_NAMES[table].export,
      specs,
      values: rows[table].map((r) => specs.map((s) => cell(s, r[s.column]))),
    };
  });
}

function descriptor(tables: ReturnType<typeof toTabular>, inline: boolean) {
  return {
    profile: 'tabular-data-package',
    name: 'trustline-directory',
    title: 'Provider directory (Open Referral HSDS 3.0, capacity from HSDS 3.1)',
    created: new Date().toISOString(),
    resources: tables.map((t) => ({
      name: t.path.replace(/\.csv$/, ''),
      ...(inline ? {} : { path: t.path, format: 'csv', mediatype: 'text/csv', encoding: 'utf-8' }),
      profile: 'tabular-data-resource',
      schema: {
        fields: t.specs.map((s) => ({ name: s.hsds, type: FIELD_TYPES[s.type], ...(s.required ? { constraints: { required: true } } : {}) })),
        primaryKey: 'id',
      },
      ...(inline ? { data: t.values.map((vals) => Object.fromEntries(t.specs.map((s, i) => [s.hsds, vals[i]]))) } : {}),
    })),
  };
}

export function exportZip(rows: ExportRows): Buffer {
  const tables = toTabular(rows);
  return writeZip([
    { name: 'datapackage.json', data: Buffer.from(JSON.stringify(descriptor(tables, false), null, 2)) },
    ...tables.map((t) => ({
      name: t.path,
      data: Buffer.from(
        toCsv(
          t.specs.map((s) => s.hsds),
          t.values,
        ),
      ),
    })),
  ]);
}

export function exportJson(rows: ExportRows) {
  return descriptor(toTabular(rows), true);
}
