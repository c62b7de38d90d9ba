import { randomUUID } from 'node:crypto';
import { and, desc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { events, webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { assertAllowed } from '../access.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { eventViewOf } from '../events/read-events.js';
import type { EventType } from '../events/types.js';
import type { CursorScope, SortOrder } from '../lists/cursor.js';
import { keysetQuery, likeContains, type Page, pageOf, type SortKey } from '../lists/keyset.js';
import type { webhookDeliverySorts } from '../lists/sorts.js';
import type { MessageKey } from '../outbox/sealed-links.js';
import { payloadOf, type WebhookPayload } from './dispatch-webhooks.js';
import { assertWebhookDestination, type HostResolver } from './destination.js';
import { newWebhookSecret, sealWebhookSecret } from './secret.js';

/*
 * What admins do with webhook endpoints (issue 17): register one (its secret shown once), list them,
 * disable, enable and delete one, read its deliveries with every attempt, send it a test event and
 * redeliver any event to it. Every change is audited. Sending is the dispatcher's job, never a request's:
 * a test event or a redelivery is a delivery due now, sent by the next run.
 */

export type WebhooksDeps = {
  db: Database;
  now: () => Temporal.Instant;
  messageKey: MessageKey;
  allowPrivate: boolean;
  /** The name resolver registration checks with (the system's by default). */
  resolver?: HostResolver;
};

type EndpointRow = typeof webhookEndpoints.$inferSelect;

export type WebhookEndpointView = {
  id: string;
  url: string;
  description: string;
  eventTypes: EventType[];
  status: 'enabled' | 'disabled';
  disabledReason: 'admin' | 'failing' | null;
  disabledAt: string | null;
  failingSince: string | null;
  createdBy: string;
  createdAt: string;
  deliveries: { pending: number; delivered: number; failed: number };
};

export type WebhookAttemptView = {
  attemptedAt: string;
  durationMs: number;
  statusCode: number | null;
  outcome: 'delivered' | 'failed';
  error: string | null;
  responseExcerpt: string;
};

export type WebhookDeliveryView = {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  kind: 'event' | 'test' | 'redelivery';
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  finishedAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  attemptLog: WebhookAttemptView[];
};

const notFound = { code: 'WEBHOOK_ENDPOINT_NOT_FOUND', message: 'no such webhook endpoint' };
const iso = (d: Date | null) => d?.toISOString() ?? null;

type Counts = WebhookEndpointView['deliveries'];

function endpointView(row: EndpointRow, counts: Counts | undefined): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes as EventType[],
    status: row.status,
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    failingSince: iso(row.failingSince),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    deliveries: counts ?? { pending: 0, delivered: 0, failed: 0 },
  };
}

async function countsOf(db: Database, ids: string[]): Promise<Map<string, Counts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      endpointId: webhookDeliveries.endpointId,
      pending: sql<number>`count(*) filter (where ${webhookDeliveries.status} = 'pending')::int`,
      delivered: sql<number>`count(*) filter (where ${webhookDeliveries.status} = 'delivered')::int`,
      failed: sql<number>`count(*) filter (where ${webhookDeliveries.status} = 'failed')::int`,
    })
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.endpointId, ids))
    .groupBy(webhookDeliveries.endpointId);
  return new Map(
    rows.map((r) => [r.endpointId, { pending: r.pending, delivered: r.delivered, failed: r.failed }]),
  );
}

export async function listWebhookEndpoints(deps: WebhooksDeps, actor: Actor): Promise<WebhookEndpointView[]> {
  assertAllowed(actor, 'webhooks.manage', {}, notFound);
  const rows = await deps.db
    .select()
    .from(webhookEndpoints)
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  const counts = await countsOf(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => endpointView(r, counts.get(r.id)));
}

export async function getWebhookEndpoint(
  deps: WebhooksDeps,
  actor: Actor,
  id: string,
): Promise<WebhookEndpointView> {
  assertAllowed(actor, 'webhooks.manage', {}, notFound);
  const [row] = await deps.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  if (!row) throw new AppError('not_found', notFound.code, notFound.message);
  return endpointView(row, (await countsOf(deps.db, [id])).get(id));
}

export type CreateWebhookEndpointInput = {
  url: string;
  description?: string | undefined;
  eventTypes: EventType[];
};

/** Registers an endpoint; the answer is the only place its secret is ever shown. */
export async function createWebhookEndpoint(
  deps: WebhooksDeps,
  actor: Actor,
  input: CreateWebhookEndpointInput,
): Promise<{ secret: string; endpoint: WebhookEndpointView }> {
  assertAllowed(actor, 'webhooks.manage', {}, notFound);
  await assertWebhookDestination(input.url, deps.allowPrivate, deps.resolver);
  const id = randomUUID();
  const secret = newWebhookSecret();
  const eventTypes = [...new Set(input.eventTypes)].sort();
  const now = new Date(deps.now().epochMilliseconds);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        id,
        url: input.url,
        description: input.description ?? '',
        eventTypes,
        secretSealed: sealWebhookSecret(deps.messageKey, id, secret),
        createdBy: auditActor(actor),
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error('insert returned no webhook endpoint');
    await recordAudit(tx, actor, {
      action: 'webhook_endpoint.created',
      entityType: 'webhook_endpoint',
      entityId: id,
      data: { url: row.url, description: row.description, eventTypes },
    });
    return { secret, endpoint: endpointView(row, undefined) };
  });
}

/** Disables or enables an endpoint; a conditional update, so two admins at once change it once. */
export async function setWebhookEndpointEnabled(
  deps: WebhooksDeps,
  actor: Actor,
  id: string,
  enabled: boolean,
): Promise<WebhookEndpointView> {
  assertAllowed(actor, 'webhooks.manage', {}, notFound);
  const now = new Date(deps.now().epochMilliseconds);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set(
        enabled
          ? { status: 'enabled', disabledReason: null, disabledAt: null, failingSince: null }
          : { status: 'disabled', disabledReason: 'admin', disabledAt: now },
      )
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.status, enabled ? 'disabled' : 'enabled')))
      .returning();
    if (!row) {
      const [exists] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
      if (!exists) throw new AppError('not_found', notFound.code, notFound.message);
      throw new AppError(
        'conflict',
        enabled ? 'WEBHOOK_ENDPOINT_ENABLED' : 'WEBHOOK_ENDPOINT_DISABLED',
        enabled ? 'this endpoint is already enabled' : 'this endpoint is already disabled',
      );
    }
    await recordAudit(tx, actor, {
      action: enabled ? 'webhook_endpoint.enabled' : 'webhook_endpoint.disabled',
      entityType: 'webhook_endpoint',
      entityId: id,
      data: { url: row.url, ...(enabled ? {} : { reason: 'admin' }) },
    });
    return endpointView(row, (await countsOf(tx, [id])).get(id));
  });
}

/** Deletes an endpoint and its deliveries; the audit log keeps what it was. */
export async function deleteWebhookEndpoint(deps: WebhooksDeps, actor: Actor, id: string): Promise<void> {
  assertAllowed(actor, 'webhooks.manage', {}, notFound);
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning();
    if (!row) throw new AppError('not_found', notFound.code, notFound.message);
    await recordAudit(tx, actor, {
      action: 'webhook_endpoint.deleted',
      entityType: 'webhook_endpoint',
      entityId: id,
      data: { url: row.url, eventTypes: row.eventTypes },
    });
  });
}

const MAX_ATTEMPTS_SHOWN = 30;

export type WebhookDeliveryQuery = {
  status?: 'pending' | 'delivered' | 'failed' | undefined;
  eventType?: string | undefined;
  /** Free text: the event's id or type. */
  q?: string | undefined;
  sort: (typeof webhookDeliverySorts)[number];
  order: SortOrder;
  limit: number;
  cursor?: string | undefined;
};

const deliverySortKeys: Record<WebhookDeliveryQuery['sort'], SortKey> = {
  createdAt: { expr: webhookDeliveries.createdAt, type: 'timestamptz' },
  nextAttemptAt: { expr: webhookDeliveries.nextAttemptAt, type: 'timestamptz' },
  attempts: { expr: webhookDeliveries.attempts, type: 'integer' },
};

/**
 * An endpoint's deliveries, a page at a time (newest first by default), filtered by status and event
 * type, each with its attempts, newest first.
 */
export async function listWebhookDeliveries(
  deps: WebhooksDeps,
  actor: Actor,
  endpointId: string,
  query: WebhookDeliveryQuery,
): Promise<Page<WebhookDeliveryView>> {
  assertAllowed(actor, 'webhooks.manage', {}, notFound);
  const [endpoint] = await deps.db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, endpointId));
  if (!endpoint) throw new AppError('not_found', notFound.code, notFound.message);
  const scope: CursorScope = { list: 'webhook-deliveries', sort: query.sort, order: query.order };
  const k = keysetQuery({
    scope,
    key: deliverySortKeys[query.sort],
    id: webhookDeliveries.id,
    limit: query.limit,
    cursor: query.cursor,
  });
  const rows = await deps.db
    .select({ row: webhookDeliveries, keyText: k.keyText })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        query.status ? eq(webhookDeliveries.status, query.status) : undefined,
        query.eventType ? eq(webhookDeliveries.eventType, query.eventType) : undefined,
        query.q
          ? or(
              ilike(sql`cast(${webhookDeliveries.eventId} as text)`, likeContains(query.q)),
              ilike(webhookDeliveries.eventType, likeContains(query.q)),
            )
          : undefined,
        k.after,
      ),
    )
    .orderBy(...k.orderBy)
    .limit(query.limit + 1);
  const shown = rows.slice(0, query.limit);
  const attempts =
    shown.length === 0
      ? []
      : await deps.db
          .select()
          .from(webhookAttempts)
          .where(
            inArray(
              webhookAttempts.deliveryId,
              shown.map((r) => r.row.id),
            ),
          )
          .orderBy(desc(webhookAttempts.attemptedAt), desc(webhookAttempts.id));
  const byDelivery = new Map<string, WebhookAttemptView[]>();
  for (const a of attempts) {
    const list = byDelivery.get(a.deliveryId) ?? [];
    if (list.length < MAX_ATTEMPTS_SHOWN) {
      list.push({
        attemptedAt: a.attemptedAt.toISOString(),
        durationMs: a.durationMs,
        statusCode: a.statusCode,
        outcome: a.outcome,
        error: a.error,
        responseExcerpt: a.responseExcerpt,
      });
    }
    byDelivery.set(a.deliveryId, list);
  }
  return pageOf(
    rows.map((r) => ({ ...r.row, keyText: r.keyText })),
    query.limit,
    scope,
    (r) => deliveryView(r, byDelivery.get(r.id) ?? []),
  );
}

function deliveryView(
  r: typeof webhookDeliveries.$inferSelect,
  attemptLog: WebhookAttemptView[],
): WebhookDeliveryView {
  return {
    id: r.id,
    endpointId: r.endpointId,
    eventId: r.eventId,
    eventType: r.eventType,
    kind: r.kind,
    status: r.status,
    attempts: r.attempts,
    createdAt: r.createdAt.toISOString(),
    nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt.toISOString() : null,
    finishedAt: iso(r.finishedAt),
    lastStatusCode: r.lastStatusCode,
    lastError: r.lastError,
    attemptLog,
  };
}

async function endpointForSending(tx: Parameters<Parameters<Database['transaction']>[0]>[0], id: string) {
  // Locked: a delete or a disable running at once waits, and sees the new delivery.
  const [row] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).for('update');
  if (!row) throw new AppError('not_found', notFound.code, notFound.message);
  if (row.status !== 'enabled') {
    throw new AppError(
      'conflict',
      'WEBHOOK_ENDPOINT_DISABLED',
      'enable the endpoint first: a disabled endpoint receives nothing',
    );
  }
  return row;
}

/** Queues a `webhook.test` event for the endpoint: the next dispatcher run sends it, signed. */
export async function sendWebhookTest(
  deps: WebhooksDeps,
  actor: Actor,
  endpointId: string,
): Promise<WebhookDeliveryView> {
  assertAllowed(actor, 'webhooks.manage', {}, notFound);
  const now = new Date(deps.now().epochMilliseconds);
  return deps.db.transaction(async (tx) => {
    await endpointForSending(tx, endpointId);
    const eventId = randomUUID();
    const payload: WebhookPayload = {
      id: eventId,
      type: 'webhook.test',
      occurredAt: now.toISOString(),
      subject: { type: 'webhook_endpoint', id: endpointId },
      change: null,
      data: {
        message: 'A test event sent by an administrator: this endpoint receives and verifies webhooks.',
      },
    };
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({
        endpointId,
        eventId,
        eventType: 'webhook.test',
        kind: 'test',
        payload: payload,
        createdAt: now,
        nextAttemptAt: now,
      })
      .returning();
    if (!row) throw new Error('insert returned no delivery');
    await recordAudit(tx, actor, {
      action: 'webhook.test_sent',
      entityType: 'webhook_endpoint',
      entityId: endpointId,
      data: { deliveryId: row.id, eventId },
    });
    return deliveryView(row, []);
  });
}

/**
 * Sends an event to the endpoint again, as a new delivery with the same event id (receivers that
 * deduplicate see it once): any event of the events table, or a test event it was sent before.
 */
export async function redeliverWebhookEvent(
  deps: WebhooksDeps,
  actor: Actor,
  endpointId: string,
  eventId: string,
): Promise<WebhookDeliveryView> {
  assertAllowed(actor, 'webhooks.manage', {}, notFound);
  const now = new Date(deps.now().epochMilliseconds);
  return deps.db.transaction(async (tx) => {
    await endpointForSending(tx, endpointId);
    const [event] = await tx.select().from(events).where(eq(events.id, eventId));
    let payload: Record<string, unknown>;
    let eventType: string;
    if (event) {
      payload = payloadOf(eventViewOf(event));
      eventType = event.type;
    } else {
      const [earlier] = await tx
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.eventId, eventId)))
        .limit(1);
      if (!earlier) throw new AppError('not_found', 'EVENT_NOT_FOUND', 'no such event');
      payload = earlier.payload;
      eventType = earlier.eventType;
    }
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({
        endpointId,
        eventId,
        eventType,
        kind: 'redelivery',
        payload,
        createdAt: now,
        nextAttemptAt: now,
      })
      .returning();
    if (!row) throw new Error('insert returned no delivery');
    await recordAudit(tx, actor, {
      action: 'webhook.redelivered',
      entityType: 'webhook_endpoint',
      entityId: endpointId,
      data: { deliveryId: row.id, eventId, eventType },
    });
    return deliveryView(row, []);
  });
}
