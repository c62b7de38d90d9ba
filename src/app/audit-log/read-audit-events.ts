import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { auditEvents, users } from '../../db/schema.js';
import { type Actor, mayAttempt } from '../../domain/access/access.js';
import { Temporal } from '../../domain/calendar.js';
import { decodeIdCursor, encodeIdCursor } from '../../domain/paging/id-cursor.js';
import { forbidden } from '../access.js';
import { actorOfReference, type CustomerContext } from '../customer-context/read-context.js';
import { AppError } from '../errors.js';
import { invalidCursor } from '../lists/cursor.js';

export type AuditEventFilters = {
  entityType?: string | undefined;
  entityId?: string | undefined;
  /** `system`, `guest`, `user:<id>`, or a user's id. */
  actor?: string | undefined;
  action?: string | undefined;
  /** Calendar days in the store's time zone, both inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

export type AuditEventView = CustomerContext['history'][number] & { entityId: string };

const startOfDay = (day: string, timeZone: string) =>
  new Date(Temporal.PlainDate.from(day).toZonedDateTime({ timeZone }).epochMilliseconds);

/**
 * The audit log, newest first, one page at a time (keyset on the id). Days are the store's: "from
 * 2 December" starts at midnight in Shanghai, not in UTC.
 */
export async function readAuditEvents(
  deps: { db: Database; storeTimeZone: string },
  actor: Actor,
  filters: AuditEventFilters,
): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
  if (!mayAttempt(actor.role, 'auditEvents.read')) throw forbidden();
  let below: number | undefined;
  if (filters.cursor !== undefined) {
    below = decodeIdCursor(filters.cursor);
    if (below === undefined) throw invalidCursor();
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    throw new AppError('invalid', 'INVALID_DATE_RANGE', 'the first day comes after the last');
  }
  const actorRef =
    filters.actor === undefined
      ? undefined
      : filters.actor === 'system' || filters.actor === 'guest' || filters.actor.startsWith('user:')
        ? filters.actor
        : `user:${filters.actor}`;
  const conditions: (SQL | undefined)[] = [
    filters.entityType ? eq(auditEvents.entityType, filters.entityType) : undefined,
    filters.entityId ? eq(auditEvents.entityId, filters.entityId) : undefined,
    actorRef ? eq(auditEvents.actor, actorRef) : undefined,
    filters.action ? eq(auditEvents.action, filters.action) : undefined,
    filters.from ? gte(auditEvents.occurredAt, startOfDay(filters.from, deps.storeTimeZone)) : undefined,
    filters.to
      ? lt(
          auditEvents.occurredAt,
          startOfDay(Temporal.PlainDate.from(filters.to).add({ days: 1 }).toString(), deps.storeTimeZone),
        )
      : undefined,
    below !== undefined ? lt(auditEvents.id, below) : undefined,
  ];
  const rows = await deps.db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      actor: auditEvents.actor,
      action: auditEvents.action,
      entityType: auditEvents.entityType,
      entityId: auditEvents.entityId,
      data: auditEvents.data,
      actorName: users.name,
    })
    .from(auditEvents)
    .leftJoin(users, eq(auditEvents.actor, sql`'user:' || ${users.id}`))
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(filters.limit + 1);
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return {
    items: page.map((e) => ({
      id: e.id,
      at: e.occurredAt.toISOString(),
      actor: actorOfReference(e.actor, e.actorName),
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      data: e.data,
    })),
    nextCursor: rows.length > filters.limit && last ? encodeIdCursor(last.id) : null,
  };
}
