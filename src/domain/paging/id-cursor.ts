/*
 * An opaque cursor over a list ordered by a numeric id, newest first: the next page starts below the
 * last id shown. Keyset, not offset, so rows added meanwhile neither shift nor repeat a page.
 */

const PREFIX = 'id:';

export function encodeIdCursor(id: number): string {
  return Buffer.from(`${PREFIX}${id}`, 'utf8').toString('base64url');
}

/** The id a cursor stands for, or undefined when it is not one this API wrote. */
export function decodeIdCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) return undefined;
  const digits = text.slice(PREFIX.length);
  if (!/^[1-9][0-9]{0,15}$/.test(digits)) return undefined;
  const id = Number(digits);
  return Number.isSafeInteger(id) ? id : undefined;
}
