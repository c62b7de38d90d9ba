import { Readable } from 'node:stream';
import { csvCell } from '../../domain/csv.js';
import { AppError } from '../errors.js';
import type { Page } from './keyset.js';

/*
 * A list's CSV export: what the filter selects, read page by page by its cursor (never the whole
 * selection in memory) and written as it is read. Rows past the cap are refused up front with a 4xx,
 * so an export is never silently cut short.
 */

/** The most rows one export holds; narrow the filter for more. */
export const EXPORT_ROW_CAP = 10_000;
/** Rows read from the database at a time. */
export const EXPORT_PAGE_SIZE = 500;

export type CsvColumn<T> = { header: string; cell: (row: T) => string | number | null; text?: boolean };

export function tooManyRows(count: number): AppError {
  return new AppError(
    'unprocessable',
    'EXPORT_TOO_LARGE',
    `the filter selects more than ${EXPORT_ROW_CAP} rows; narrow it (a date range, a state) and export again`,
    { cap: EXPORT_ROW_CAP, atLeast: count },
  );
}

/** One CSV line (CRLF-terminated): text people typed is written so that it never starts a formula. */
export function csvLine<T>(columns: readonly CsvColumn<T>[], row: T): string {
  return `${columns.map((c) => csvCell(c.cell(row), c.text ? 'text' : 'value')).join(',')}\r\n`;
}

/** The file: a byte order mark (so spreadsheets read Chinese as UTF-8), the header, then page after page. */
export async function* csvChunks<T>(
  columns: readonly CsvColumn<T>[],
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<string> {
  yield `\uFEFF${columns.map((c) => csvCell(c.header)).join(',')}\r\n`;
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield page.items.map((row) => csvLine(columns, row)).join('');
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/**
 * The export as a stream, after checking the selection is within the cap (`count` reads at most
 * cap + 1 ids of the same filter).
 */
export async function csvExport<T>(
  count: (upTo: number) => Promise<number>,
  columns: readonly CsvColumn<T>[],
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): Promise<Readable> {
  const n = await count(EXPORT_ROW_CAP + 1);
  if (n > EXPORT_ROW_CAP) throw tooManyRows(n);
  return Readable.from(csvChunks(columns, fetchPage));
}
