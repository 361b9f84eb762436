// RFC 4180 CSV: quoted fields, doubled quotes, CR/LF line ends, a BOM. Returns the rows with the
// line number each started on, so a report can point at the file as a person sees it.
import { csvCell } from '../../../csv.js';

export interface CsvRow {
  line: number;
  cells: string[];
}

export function parseCsv(text: string): { rows: CsvRow[]; error?: { line: number; message: string } } {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  let touched = false;
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell === '') {
      quoted = true;
      touched = true;
      i++;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      touched = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      if (touched || cell !== '' || cells.length) rows.push({ line: rowLine, cells: [...cells, cell] });
      cells = [];
      cell = '';
      touched = false;
      if (ch === '\r' && src[i + 1] === '\n') i++;
      i++;
      line++;
      rowLine = line;
    } else {
      cell += ch;
      touched = true;
      i++;
    }
  }
  if (quoted) return { rows, error: { line: rowLine, message: 'a quoted field is not closed' } };
  if (touched || cell !== '' || cells.length) rows.push({ line: rowLine, cells: [...cells, cell] });
  return { rows };
}

/** Cells are encoded by the one CSV helper (server/src/csv.ts), which defuses formulas. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((r) => r.map((v) => csvCell(v)).join(',')).join('\r\n') + '\r\n';
}
