import { type Column, type SQL, sql } from 'drizzle-orm';
import { Temporal } from '../../domain/calendar.js';
import { type CursorScope, decodeCursor, encodeCursor, invalidCursor, type SortOrder } from './cursor.js';

/*
 * Keyset pagination shared by every list: rows are ordered by (sort key, id), and the next page is the
 * rows after the last one shown — `WHERE (key, id) < (…)` — so a page reads from an index and stops,
 * and rows added between two fetches neither push a row off a page nor show one twice. No OFFSET.
 */

/** A sortable key: an expression that is never null, and the SQL type its text form is read back as. */
export type SortKey = { expr: SQL | Column; type: 'timestamptz' | 'date' | 'text' | 'bigint' | 'integer' };

export type Keyset = {
  scope: CursorScope;
  key: SortKey;
  id: Column;
  limit: number;
  cursor?: string | undefined;
};

function isDay(day: string): boolean {
  if (day.startsWith('0000')) return false; // no year 0 in the database's calendar
  try {
    Temporal.PlainDate.from(day, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

/**
 * Whether a cursor's key reads back as the sort key's type, as the database wrote it: a forged key
 * must be an INVALID_CURSOR, never a failed cast.
 */
export function isKeyOfType(key: string, type: SortKey['type']): boolean {
  switch (type) {
    case 'text':
      return !key.includes('\u0000');
    case 'date':
      return key === 'infinity' || (/^\d{4}-\d{2}-\d{2}$/.test(key) && isDay(key));
    case 'timestamptz': {
      // A key of "not yet" (coalesce(sent_at, 'infinity')) is written as the database writes it.
      if (key === 'infinity') return true;
      const m = TIMESTAMP.exec(key);
      return m !== null && isDay(m[1] ?? '');
    }
    case 'bigint':
    case 'integer':
      return /^-?\d{1,9}$/.test(key);
  }
}

/** The page's condition (after the cursor), its ORDER BY, and the key's text form to select. */
export function keysetQuery(k: Keyset): { after: SQL | undefined; orderBy: SQL[]; keyText: SQL<string> } {
  const dir = k.scope.order === 'asc' ? sql.raw('asc') : sql.raw('desc');
  const cmp = k.scope.order === 'asc' ? sql.raw('>') : sql.raw('<');
  const cast = sql.raw(k.key.type);
  let after: SQL | undefined;
  if (k.cursor !== undefined) {
    const { key, id } = decodeCursor(k.cursor, k.scope);
    if (!isKeyOfType(key, k.key.type)) throw invalidCursor();
    after = sql`(${k.key.expr}, ${k.id}) ${cmp} (cast(${key} as ${cast}), cast(${id} as uuid))`;
  }
  return {
    after,
    orderBy: [sql`${k.key.expr} ${dir}`, sql`${k.id} ${dir}`],
    keyText: sql<string>`cast(${k.key.expr} as text)`,
  };
}

export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * A page from `limit + 1` rows read: the extra row only says there is more; the cursor is the last
 * shown row's key and id.
 */
export function pageOf<R extends { keyText: string; id: string }, T>(
  rows: readonly R[],
  limit: number,
  scope: CursorScope,
  view: (row: R) => T,
): Page<T> {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ ...scope, key: last.keyText, id: last.id }) : null;
  return { items: shown.map(view), nextCursor };
}

/** Escapes LIKE's wildcards so free text matches itself: `50%` finds "50%", not everything from "50". */
export function likeContains(q: string): string {
  return `%${q.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;
}

export type ListOrder = SortOrder;
