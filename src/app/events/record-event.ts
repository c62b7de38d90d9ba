import { randomUUID } from 'node:crypto';
import type { Transaction } from '../../db/client.js';
import { insertMany } from '../../db/insert-many.js';
import { events } from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';
import {
  type EventChange,
  type EventData,
  type EventScope,
  type EventType,
  eventCatalogue,
} from './types.js';

/** An event to record: its type, the object it is about, who it belongs to, and the object itself. */
export type NewEvent<T extends EventType> = {
  type: T;
  /** The id of the object the event is about; its kind is the catalogue's `subject` for the type. */
  subjectId: string;
  scope: EventScope;
  /** The object as the API returns it (English texts), after the change. */
  data: EventData[T];
  /** When it happened: the use case's clock, as for the change itself. */
  occurredAt: Temporal.Instant | Date;
} & (T extends keyof EventChange ? { change: EventChange[T] } : { change?: undefined });

/**
 * Records an event inside the transaction that makes the change, like the audit log and the outbox:
 * a change that rolls back leaves no event, and an event is never written for a change not made.
 * Its position (the transaction's id, then the order of writing) is the database's; readers see it
 * only once every older transaction has ended (app/events/read-events.ts).
 */
export async function recordEvent<T extends EventType>(
  tx: Transaction,
  event: NewEvent<T>,
): Promise<{ id: string }> {
  const [row] = await tx.insert(events).values(rowOf(event)).returning({ id: events.id });
  if (!row) throw new Error('an event insert returned no row');
  return row;
}

/**
 * Many events of one transaction in one statement (a CSV import's thousands of sales), in the order
 * given: as recordEvent, without a round trip each.
 */
export async function recordEvents<T extends EventType>(
  tx: Transaction,
  list: readonly NewEvent<T>[],
): Promise<void> {
  await insertMany(tx, events, list.map(rowOf));
}

function rowOf<T extends EventType>(event: NewEvent<T>) {
  return {
    id: randomUUID(),
    type: event.type,
    occurredAt:
      event.occurredAt instanceof Date ? event.occurredAt : new Date(event.occurredAt.epochMilliseconds),
    subjectType: eventCatalogue[event.type].subject,
    subjectId: event.subjectId,
    dealerId: event.scope.dealerId ?? null,
    serviceCenterId: event.scope.serviceCenterId ?? null,
    oemClientId: event.scope.oemClientId ?? null,
    endUserId: event.scope.endUserId ?? null,
    data: event.data,
    change: (event.change ?? null) as Record<string, unknown> | null,
  };
}
