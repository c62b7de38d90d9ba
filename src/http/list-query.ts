import { z } from 'zod';
import { MAX_CURSOR_LENGTH } from '../app/lists/sorts.js';

/*
 * The query every list takes, and the page it answers: `limit` (1..200), an opaque `cursor` from the
 * previous page's `nextCursor`, a `sort` from the list's own whitelist, `order`, free text `q`, and
 * the list's filters. Its CSV export takes the same filters and sort, without limit and cursor.
 */

export const LIST_LIMIT_MAX = 200;
export const LIST_LIMIT_DEFAULT = 50;

/** Free text: trimmed, at most 100 characters; an empty `q` filters nothing. */
export const qSchema = z
  .string()
  .max(100)
  .transform((s) => s.trim())
  .optional()
  .describe(
    'Free text matched against any part of the list’s numbers, names and contacts (case-insensitive); two characters or fewer match the start of a value',
  );

export const dateFilter = (what: string) =>
  z.iso.date().optional().describe(`${what}: a calendar day YYYY-MM-DD in the store’s time zone`);

/** The sort, order and free text of a list, and its filters: what a list and its export share. */
export function listFilterSchema<S extends readonly [string, ...string[]], F extends z.ZodRawShape>(
  sorts: S,
  defaults: { sort: S[number]; order: 'asc' | 'desc' },
  filters: F,
) {
  return z.object({
    ...filters,
    q: qSchema,
    sort: z
      .enum(sorts)
      .default(defaults.sort as never)
      .describe(`What the list is sorted by: ${sorts.join(', ')}`),
    order: z.enum(['asc', 'desc']).default(defaults.order),
  });
}

export const pageQueryShape = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(LIST_LIMIT_MAX)
    .default(LIST_LIMIT_DEFAULT)
    .describe(`How many rows a page holds, 1..${LIST_LIMIT_MAX}`),
  cursor: z
    .string()
    .min(1)
    .max(MAX_CURSOR_LENGTH)
    .optional()
    .describe(
      'The previous page’s nextCursor, as it was given; one from another list or sort is a 400 INVALID_CURSOR',
    ),
};

export function pageSchema<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('Where the next page starts; null on the last page'),
    })
    .meta({ id });
}

export const csvResponseSchema = z
  .string()
  .describe(
    'CSV (UTF-8 with a byte order mark) with a header row; text cells that would start a formula are prefixed with an apostrophe',
  );

/** The download's file name: the list and the day (UTC) it was taken. */
export function csvDisposition(list: string, now: { toString(): string }): string {
  return `attachment; filename="${list}-${now.toString().slice(0, 10)}.csv"`;
}
