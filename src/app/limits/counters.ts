import { lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { rateLimitCounters } from '../../db/schema.js';

/** Where a key stands in its current window after a hit (or a read). */
export type CounterState = {
  /** Hits (or units, such as bytes) counted in the window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again from nothing. */
  resetInMs: number;
};

/** Windows are aligned to the epoch, so every process agrees which window an instant falls in. */
export function windowStartOf(nowMs: number, windowMs: number): number {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) throw new RangeError(`bad window ${windowMs}`);
  return Math.floor(nowMs / windowMs) * windowMs;
}

/**
 * Counts `amount` (1 for a request; the bytes of an upload) against `key` in its fixed window and
 * returns the total, atomically: one upsert, so concurrent hits from any number of processes on one
 * database are each counted once. Keys longer than the column allows are cut (a key is made by the app
 * from a scope and an IP or an address, never taken whole from a client).
 */
export async function countHit(
  db: Database,
  input: { key: string; windowMs: number; nowMs: number; amount?: number },
): Promise<CounterState> {
  const amount = input.amount ?? 1;
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`bad amount ${amount}`);
  const start = windowStartOf(input.nowMs, input.windowMs);
  const key = input.key.slice(0, 512);
  const [row] = await db
    .insert(rateLimitCounters)
    .values({
      key,
      windowStart: new Date(start),
      hits: amount,
      expiresAt: new Date(start + input.windowMs),
    })
    .onConflictDoUpdate({
      target: [rateLimitCounters.key, rateLimitCounters.windowStart],
      set: { hits: sql`${rateLimitCounters.hits} + excluded.hits` },
    })
    .returning({ hits: rateLimitCounters.hits });
  if (!row) throw new Error('the counter upsert returned no row');
  return { count: row.hits, resetInMs: start + input.windowMs - input.nowMs };
}

/** The count in the key's current window, without counting anything. */
export async function readCount(
  db: Database,
  input: { key: string; windowMs: number; nowMs: number },
): Promise<CounterState> {
  const start = windowStartOf(input.nowMs, input.windowMs);
  const rows = await db
    .select({ hits: rateLimitCounters.hits })
    .from(rateLimitCounters)
    .where(
      sql`${rateLimitCounters.key} = ${input.key.slice(0, 512)} and ${rateLimitCounters.windowStart} = ${new Date(start)}`,
    );
  return { count: rows[0]?.hits ?? 0, resetInMs: start + input.windowMs - input.nowMs };
}

/** Forgets windows that have ended; the counters table stays as small as the traffic of one window. */
export async function purgeExpiredCounters(db: Database, nowMs: number): Promise<number> {
  const deleted = await db
    .delete(rateLimitCounters)
    .where(lte(rateLimitCounters.expiresAt, new Date(nowMs)))
    .returning({ key: rateLimitCounters.key });
  return deleted.length;
}
