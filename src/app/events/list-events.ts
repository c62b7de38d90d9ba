import type { Database } from '../../db/client.js';
import type { Actor } from '../../domain/access/access.js';
import { forbidden } from '../access.js';
import { mayAttempt } from '../../domain/access/access.js';
import { decodeEventCursor, encodeEventCursor, type EventView, readEventsAfter } from './read-events.js';
import type { EventType } from './types.js';

export type EventPage = { items: EventView[]; nextCursor: string | null };

/**
 * GET /api/v1/events: the events after a cursor that the caller may see, in order — of each kind,
 * what the caller may read of that kind of object (read-events.ts eventScopeCondition). A bad cursor
 * is 400 INVALID_CURSOR.
 */
export async function listEvents(
  deps: { db: Database },
  actor: Actor,
  query: { after?: string | undefined; types?: readonly EventType[] | undefined; limit: number },
): Promise<EventPage> {
  if (!mayAttempt(actor.role, 'events.read')) throw forbidden();
  const after = query.after === undefined ? null : decodeEventCursor(query.after);
  const page = await readEventsAfter(deps.db, {
    reader: actor,
    after,
    ...(query.types ? { types: query.types } : {}),
    limit: query.limit,
  });
  return {
    items: page.events.map(({ position: _position, ...event }) => event),
    nextCursor: page.next ? encodeEventCursor(page.next) : null,
  };
}
