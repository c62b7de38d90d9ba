/*
 * Cells of the CSV files the app writes (the maker's cost ledger). A spreadsheet runs a cell that
 * begins with = + - @ (or a tab or carriage return before one) as a formula: text people typed — a
 * client's name, a note, a lot code — must never become one (`=HYPERLINK(…)`, `@SUM(…)`, DDE). Such text
 * is written with a leading apostrophe, which spreadsheets show as text and do not display. Values the
 * app makes itself (dates, amounts, enum codes) are written as they are.
 */

const FORMULA_START = /^[=+\-@\t\r\n]/;

/** RFC 4180 quoting; text that would start a formula is prefixed with an apostrophe. */
export function csvCell(value: string | number | null, kind: 'text' | 'value' = 'value'): string {
  if (value === null) return '';
  let s = String(value);
  if (kind === 'text' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Whether a text cell as written would start a formula in a spreadsheet (never, for csvCell's text). */
export function startsFormula(cell: string): boolean {
  const unquoted = cell.startsWith('"') ? cell.slice(1) : cell;
  return FORMULA_START.test(unquoted);
}
