import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { type EventRow, events } from '../../db/schema.js';
import { type Action, type Actor, listFilter } from '../../domain/access/access.js';
import { invalidCursor } from '../lists/cursor.js';
import { type EventType, eventCatalogue, eventTypes, type SubjectType } from './types.js';

/*
 * Reading events in order, from a cursor. An event's position is (tx_id, seq): the id of the
 * transaction that wrote it (xid8), then a sequence. A poll returns only events whose transaction id
 * is below a boundary: the oldest transaction of this database still running when the poll's snapshot
 * was taken (else the snapshot's xmax, the next id to be given out). Every transaction below it has
 * committed or rolled back, so all its events are there to read, and any event written later belongs
 * to a transaction at or above it — after the cursor. A plain sequence would not do: two transactions
 * draw 5 and 6, 6 commits first, a poller reads up to 6 and never sees 5.
 *
 * The boundary comes from the snapshot itself (`pg_snapshot_xip`), which is exactly what the poll can
 * and cannot see. Transactions of other databases on the same cluster are let through — a transaction
 * belongs to one database and cannot write here — when pg_stat_activity says so; one it no longer
 * lists (ended since) is held back until the next poll, so a stale or hidden view only delays. The
 * price is latency, never loss: a long transaction of this database holds back the events after it
 * until it ends. The same on PGlite, where one connection leaves nothing in flight.
 */

export type EventPosition = { txId: string; seq: number };

/** An event as readers see it: the envelope (id, type, time, subject) and the object. */
export type EventView = {
  id: string;
  type: EventType;
  occurredAt: string;
  subject: { type: SubjectType; id: string };
  /** What changed, for the types that carry it (a maintenance order's move: from, to); else null. */
  change: Record<string, unknown> | null;
  data: Record<string, unknown>;
};

export type StoredEvent = EventView & { position: EventPosition };

const MAX_XID8 = 18_446_744_073_709_551_615n;

/** The cursor as clients hold it: `<transaction id>-<sequence>`, both decimal. Opaque to them. */
export function encodeEventCursor(position: EventPosition): string {
  return `${position.txId}-${position.seq}`;
}

/** A cursor this API gave out, or 400 INVALID_CURSOR. */
export function decodeEventCursor(raw: string): EventPosition {
  const match = /^(\d{1,20})-(\d{1,16})$/.exec(raw);
  if (!match?.[1] || !match[2]) throw invalidCursor();
  const txId = BigInt(match[1]);
  const seq = Number(match[2]);
  if (txId > MAX_XID8 || !Number.isSafeInteger(seq)) throw invalidCursor();
  return { txId: txId.toString(), seq };
}

/** Who is reading: a caller narrowed like the objects themselves, or the system (webhooks): all. */
export type EventReader = Actor | 'system';

/** The read permissions the catalogue names, each with the event types it governs. */
const typesByReadAction = (() => {
  const byAction = new Map<Action, EventType[]>();
  for (const type of eventTypes) {
    const action: Action = eventCatalogue[type].read;
    byAction.set(action, [...(byAction.get(action) ?? []), type]);
  }
  return byAction;
})();

/**
 * Which events a caller may read, as a WHERE condition: for each kind of object, those the caller may
 * read of that kind — all of them, or those of its scope (a dealer: its sales' events; a customer: its
 * own; a technician: its center's). `false` when none at all.
 */
export function eventScopeCondition(reader: EventReader): SQL | undefined | false {
  if (reader === 'system') return undefined;
  const conditions: SQL[] = [];
  for (const [action, types] of typesByReadAction) {
    const filter = listFilter(reader, action);
    if (filter.kind === 'none') continue;
    const ofTypes = inArray(events.type, types);
    if (filter.kind === 'all') {
      conditions.push(ofTypes);
      continue;
    }
    const { owners } = filter;
    const own = owners.dealerId
      ? eq(events.dealerId, owners.dealerId)
      : owners.serviceCenterId
        ? eq(events.serviceCenterId, owners.serviceCenterId)
        : owners.oemClientId
          ? eq(events.oemClientId, owners.oemClientId)
          : owners.endUserId
            ? eq(events.endUserId, owners.endUserId)
            : undefined;
    if (own) conditions.push(and(ofTypes, own) as SQL);
  }
  if (conditions.length === 0) return false;
  return or(...conditions);
}

/**
 * The transaction id below which every transaction of this database has ended, as of the statement's
 * snapshot (see above). The xid8 of an in-flight transaction is matched to pg_stat_activity's 32-bit
 * backend_xid by its low 32 bits.
 */
const settledBoundary = sql`coalesce(
  (select running.xid from pg_snapshot_xip(pg_current_snapshot()) as running(xid)
    where not exists (
      select 1 from pg_stat_activity activity
      where activity.datname <> current_database()
        and activity.backend_xid::text = (running.xid::text::numeric % 4294967296)::text)
    order by running.xid limit 1),
  pg_snapshot_xmax(pg_current_snapshot()))`;

export function eventViewOf(row: EventRow): StoredEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    occurredAt: row.occurredAt.toISOString(),
    subject: { type: row.subjectType as SubjectType, id: row.subjectId },
    change: row.change ?? null,
    data: row.data,
    position: { txId: row.txId, seq: row.seq },
  };
}

/**
 * The events after a position (or from the first), in order, that the reader may see and whose
 * transactions have all ended; at most `limit`. `next` is the position to ask from next time: the
 * last event's, or `after` itself when there was nothing new.
 */
export async function readEventsAfter(
  db: Database | Transaction,
  input: { reader: EventReader; after: EventPosition | null; types?: readonly EventType[]; limit: number },
): Promise<{ events: StoredEvent[]; next: EventPosition | null }> {
  const scope = eventScopeCondition(input.reader);
  if (scope === false) return { events: [], next: input.after };
  const rows = await db
    .select()
    .from(events)
    .where(
      and(
        sql`${events.txId} < ${settledBoundary}`,
        input.after
          ? sql`(${events.txId}, ${events.seq}) > (${input.after.txId}::xid8, ${input.after.seq}::bigint)`
          : undefined,
        input.types && input.types.length > 0 ? inArray(events.type, [...input.types]) : undefined,
        scope,
      ),
    )
    .orderBy(asc(events.txId), asc(events.seq))
    .limit(input.limit);
  const read = rows.map(eventViewOf);
  return { events: read, next: read.at(-1)?.position ?? input.after };
}
