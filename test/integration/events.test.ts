import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeEventCursor,
  encodeEventCursor,
  type EventPosition,
  readEventsAfter,
} from '../../src/app/events/read-events.js';
import { recordEvent } from '../../src/app/events/record-event.js';
import type { Database, DatabaseHandle, Transaction } from '../../src/db/client.js';
import { events } from '../../src/db/schema.js';
import { AppError } from '../../src/app/errors.js';
import { testDatabases } from '../support/databases.js';

const AT = new Date('2026-11-25T04:00:00Z');

/** A minimal event of a type whose data the test does not read: the foundation's own cases. */
async function recordTestEvent(tx: Transaction, subjectId: string): Promise<string> {
  const { id } = await recordEvent(tx, {
    type: 'batch_investigation.dismissed',
    subjectId,
    scope: {},
    // The foundation stores whatever view it is handed; the journeys below check real ones.
    data: { id: subjectId } as never,
    occurredAt: AT,
  });
  return id;
}

/** Polls everything after a cursor, the way a client does, until nothing new comes. */
async function pollAll(
  db: Database,
  from: EventPosition | null,
): Promise<{ ids: string[]; next: EventPosition | null }> {
  const ids: string[] = [];
  let after = from;
  for (;;) {
    const page = await readEventsAfter(db, { reader: 'system', after, limit: 2 });
    ids.push(...page.events.map((e) => e.id));
    if (page.events.length === 0) return { ids, next: after };
    after = page.next;
  }
}

/** A promise with its resolver, to hold a transaction open at a chosen point. */
function latch(): { promise: Promise<void>; open: () => void } {
  const opener: { open?: () => void } = {};
  const promise = new Promise<void>((resolve) => {
    opener.open = resolve;
  });
  return { promise, open: () => opener.open?.() };
}

describe('event cursors', () => {
  it('round-trips a position and refuses anything else with INVALID_CURSOR', () => {
    const position = { txId: '18446744073709551615', seq: 42 };
    expect(decodeEventCursor(encodeEventCursor(position))).toEqual(position);
    for (const bad of [
      '',
      '1',
      '1-',
      '-1',
      'a-1',
      '1-1-1',
      '18446744073709551616-1',
      '1-99999999999999999',
      ' 1-1',
    ]) {
      expect(() => decodeEventCursor(bad), bad).toThrow(AppError);
    }
  });
});

describe.each(testDatabases())('events on $name', (testDb) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await testDb.open();
  });
  afterAll(() => handle.close());

  it('are written with the change: a transaction that rolls back leaves none', async () => {
    const before = await pollAll(handle.db, null);
    const kept = await handle.db.transaction((tx) => recordTestEvent(tx, 'kept'));
    await expect(
      handle.db.transaction(async (tx) => {
        await recordTestEvent(tx, 'rolled-back');
        throw new Error('the change fails after its event');
      }),
    ).rejects.toThrow('the change fails');
    const after = await pollAll(handle.db, before.next);
    expect(after.ids).toEqual([kept]);
    expect(await handle.db.$count(events)).toBe(before.ids.length + 1);
  });

  it('come in the order they were written, within a transaction and across them', async () => {
    const start = (await pollAll(handle.db, null)).next;
    const first = await handle.db.transaction(async (tx) => [
      await recordTestEvent(tx, 'a1'),
      await recordTestEvent(tx, 'a2'),
    ]);
    const second = await handle.db.transaction(async (tx) => [await recordTestEvent(tx, 'b1')]);
    expect((await pollAll(handle.db, start)).ids).toEqual([...first, ...second]);
  });

  const onPostgres = testDb.name === 'postgres' ? it : undefined;

  /*
   * The attack on a plain sequence: two transactions draw positions, the later one commits first, a
   * poller reads it and moves its cursor past the earlier one's position, which commits afterwards —
   * skipped for good. Both orders of drawing are played; the poller must see each event once.
   */
  onPostgres?.('never lets a poller miss an event committed out of order by two transactions', async () => {
    for (const firstWriterDrawsFirst of [true, false]) {
      const start = (await pollAll(handle.db, null)).next;
      const seen: string[] = [];
      let cursor = start;
      const poll = async () => {
        const page = await pollAll(handle.db, cursor);
        seen.push(...page.ids);
        cursor = page.next;
      };
      const slowMayCommit = latch();
      const slowWrote = latch();
      const fastWrote = latch();
      // The slow transaction takes its transaction id first (a write), then waits.
      const slow = handle.db.transaction(async (tx) => {
        await tx.execute('select pg_current_xact_id()');
        if (firstWriterDrawsFirst) {
          const id = await recordTestEvent(tx, 'slow');
          slowWrote.open();
          await slowMayCommit.promise;
          return id;
        }
        slowWrote.open();
        await fastWrote.promise;
        const id = await recordTestEvent(tx, 'slow');
        await slowMayCommit.promise;
        return id;
      });
      await slowWrote.promise;
      const fast = await handle.db.transaction(async (tx) => {
        const id = await recordTestEvent(tx, 'fast');
        fastWrote.open();
        return id;
      });
      // The fast one is committed; the slow one is not: a poll now must not move past the slow one.
      await poll();
      expect(seen).not.toContain(fast);
      slowMayCommit.open();
      const slowId = await slow;
      await poll();
      expect(seen.filter((id) => id === slowId)).toHaveLength(1);
      expect(seen.filter((id) => id === fast)).toHaveLength(1);
      expect(seen).toHaveLength(2);
    }
  });
});
