// The one CSV cell encoder for every export (reports, case results, HSDS). Besides RFC 4180
// quoting it defuses formula injection: a spreadsheet runs a cell that starts with = + - @ (or a
// tab or CR before one) as a formula, so a name such as `=HYPERLINK(...)` typed into the
// directory would run on the analyst's machine. Such text gets a leading apostrophe (OWASP's
// advice); Excel and LibreOffice show the text as typed. Plain numbers and phone numbers
// (`-5`, `+7 495 123-45-67`) are left alone: spreadsheets read them as values, not formulas.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?[\d\s().-]*\d[\d\s().-]*$/;

export function defuseFormula(s: string): string {
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

/** An exported cell undone on import: the apostrophe this module adds is dropped again. */
export function restoreFormula(s: string): string {
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) && !PLAIN_NUMBER.test(s.slice(1)) ? s.slice(1) : s;
}

export function csvCell(v: string | number | null | undefined, sep = ','): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const s = defuseFormula(v);
  // Quoted when it holds either list separator (',' or ';'), a quote or a line break, so a file
  // opened with the other separator still keeps each cell whole.
  return s.includes(sep) || /[";,\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Every export starts with a byte-order mark, so that Excel opens a UTF-8 file's Cyrillic correctly. */
export const BOM = '\uFEFF';
