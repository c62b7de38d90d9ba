import { z } from 'zod';
import { AppError } from '../errors.js';

/*
 * A list's cursor: where the next page starts, opaque to the client. It is the base64url of the last
 * row's sort key (as the database wrote it, so no precision is lost) and id, with the list, sort and
 * order it was made for: a cursor from another list or another sort is refused, never misread.
 */

export type SortOrder = 'asc' | 'desc';

export type CursorScope = { list: string; sort: string; order: SortOrder };

export type Cursor = CursorScope & { key: string; id: string };

import { MAX_CURSOR_LENGTH } from './sorts.js';

export { MAX_CURSOR_LENGTH };

const cursorSchema = z
  .object({
    l: z.string().min(1).max(64),
    s: z.string().min(1).max(64),
    o: z.enum(['asc', 'desc']),
    k: z.string().max(256),
    i: z.uuid(),
  })
  .strict();

export const invalidCursor = () =>
  new AppError(
    'invalid',
    'INVALID_CURSOR',
    'the cursor is not one this list gave out for this sort; start again without a cursor',
  );

export function encodeCursor(cursor: Cursor): string {
  const payload = { l: cursor.list, s: cursor.sort, o: cursor.order, k: cursor.key, i: cursor.id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The cursor's key and id, if it was made for this list, sort and order; otherwise INVALID_CURSOR. */
export function decodeCursor(raw: string, scope: CursorScope): { key: string; id: string } {
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) {
    throw invalidCursor();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw invalidCursor();
  const c = result.data;
  if (c.l !== scope.list || c.s !== scope.sort || c.o !== scope.order) throw invalidCursor();
  return { key: c.k, id: c.i.toLowerCase() };
}
