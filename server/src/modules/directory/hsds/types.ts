// The shapes that pass between reading a package (read.ts) and judging it (validate.ts), here so
// that neither file imports the other.
import type { TableName } from './tables.js';

export interface Problem {
  severity: 'error' | 'warning';
  table: string;
  file: string | null;
  /** Spreadsheet row number (the header is row 1); null for a whole-file problem. */
  row: number | null;
  field: string | null;
  problem: string;
}

export interface RawTable {
  table: TableName;
  file: string;
  header: string[];
  rows: { row: number; values: Record<string, string> }[];
}

export interface RawPackage {
  tables: Partial<Record<TableName, RawTable>>;
  ignored: { file: string; rows: number }[];
  problems: Problem[];
}
