import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';
import {
  outbox,
  users,
  webhookAttempts,
  webhookCursor,
  webhookDeliveries,
  webhookEndpoints,
} from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';
import { endpointFailedTooLong, nextAttemptAfterFailure } from '../../domain/webhooks/retry-schedule.js';
import { recordAudit } from '../audit.js';
import { type EventView, readEventsAfter } from '../events/read-events.js';
import type { EventType } from '../events/types.js';
import { bilingual } from '../messages/index.js';
import type { MessageKey } from '../outbox/sealed-links.js';
import { openWebhookSecret, webhookSignature } from './secret.js';
import type { WebhookResponse, WebhookSender } from './sender.js';

/*
 * The webhook dispatcher (issue 17). Every process runs it from the interval-job runner, never in a
 * request. Each run:
 *
 * 1. Fans out: in one transaction, locks the dispatcher's cursor row (SKIP LOCKED — another process
 *    holding it is fanning out, this one skips the step), reads the events after the cursor in order
 *    (app/events/read-events.ts: never past an event of a transaction still running), writes one
 *    delivery per (enabled endpoint wanting the type, event) — a unique index makes a second write a
 *    no-op — and moves the cursor. A crash before the commit leaves the cursor where it was.
 * 2. Sends: claims due deliveries (FOR UPDATE SKIP LOCKED, then a lease until the attempt's deadline
 *    has passed), at most `concurrency` in flight in this process and a share of them per endpoint, so
 *    a slow receiver holds its own share and no more; and starts them without waiting. Each attempt
 *    is recorded with its status, time, duration and the answer's first KiB; a 2xx delivers, anything
 *    else schedules the next try (domain/webhooks/retry-schedule.ts) until three days have passed. A
 *    process that dies mid-attempt leaves a lease that runs out: another process sends it again (at
 *    least once; receivers deduplicate by the event id).
 * 3. Disables an endpoint with no success for three days, audited, and tells every admin (outbox).
 */

export type WebhookDispatchDeps = {
  db: Database;
  /** The dispatcher's clock: schedules, leases and "three days" are all read from it. */
  now: () => Temporal.Instant;
  sender: WebhookSender;
  messageKey: MessageKey;
};

export type WebhookDispatchOptions = {
  /** Attempts in flight at once in this process. */
  concurrency: number;
  /** An attempt's deadline; a claim is leased for it and a margin. */
  timeoutMs: number;
  /** Events read per fan-out transaction. */
  fanOutBatch?: number;
};

const CURSOR = 'events';
const LEASE_MARGIN_MS = 30_000;

/** The body a receiver gets: the event as GET /api/v1/events shows it. */
export type WebhookPayload = Omit<EventView, 'type' | 'subject'> & {
  type: EventType | 'webhook.test';
  subject: { type: string; id: string };
};

export function payloadOf(event: EventView): WebhookPayload {
  return {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    subject: event.subject,
    change: event.change,
    data: event.data,
  };
}

const at = (instant: Temporal.Instant) => new Date(instant.epochMilliseconds);

/**
 * Writes a delivery for each new event and each enabled endpoint that wants its type, then moves the
 * cursor; returns how many events it read. A no-op (0) while another process holds the cursor.
 */
export async function fanOutEvents(deps: WebhookDispatchDeps, batch = 500): Promise<number> {
  return deps.db.transaction(async (tx) => {
    await tx.insert(webhookCursor).values({ name: CURSOR }).onConflictDoNothing();
    const [cursor] = await tx
      .select()
      .from(webhookCursor)
      .where(eq(webhookCursor.name, CURSOR))
      .for('update', { skipLocked: true });
    if (!cursor) return 0;
    const after = cursor.txId !== null && cursor.seq !== null ? { txId: cursor.txId, seq: cursor.seq } : null;
    const page = await readEventsAfter(tx, { reader: 'system', after, limit: batch });
    if (page.events.length === 0) return 0;
    const endpoints = await tx
      .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.status, 'enabled'));
    const now = at(deps.now());
    const rows = page.events.flatMap((event) =>
      endpoints
        .filter((endpoint) => endpoint.eventTypes.includes(event.type))
        .map((endpoint) => ({
          endpointId: endpoint.id,
          eventId: event.id,
          eventType: event.type,
          kind: 'event' as const,
          payload: payloadOf(event),
          createdAt: now,
          nextAttemptAt: now,
        })),
    );
    for (let i = 0; i < rows.length; i += 200) {
      await tx
        .insert(webhookDeliveries)
        .values(rows.slice(i, i + 200))
        .onConflictDoNothing();
    }
    const next = page.next;
    if (next) {
      await tx
        .update(webhookCursor)
        .set({ txId: next.txId, seq: next.seq })
        .where(eq(webhookCursor.name, CURSOR));
    }
    return page.events.length;
  });
}

type Claimed = typeof webhookDeliveries.$inferSelect;

/**
 * Claims up to `limit` due deliveries of enabled endpoints, at most `perEndpoint` of each endpoint and
 * none of `busy` (endpoints already at their share in this process), leasing them under a new token.
 */
async function claimDue(
  deps: WebhookDispatchDeps,
  input: { limit: number; perEndpoint: number; busy: string[]; leaseMs: number },
): Promise<Claimed[]> {
  if (input.limit <= 0) return [];
  const now = at(deps.now());
  const leaseUntil = new Date(now.getTime() + input.leaseMs);
  const token = randomUUID();
  const busy =
    input.busy.length > 0
      ? sql`and d.endpoint_id not in (${sql.join(
          input.busy.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`
      : sql``;
  const nowAt = sql`${now.toISOString()}::timestamptz`;
  const due = sql`d.status = 'pending' and d.next_attempt_at <= ${nowAt}
    and (d.lease_until is null or d.lease_until <= ${nowAt})`;
  return deps.db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      with ranked as (
        select d.id, d.next_attempt_at,
               row_number() over (partition by d.endpoint_id order by d.next_attempt_at, d.id) as place
          from webhook_deliveries d
          join webhook_endpoints e on e.id = d.endpoint_id and e.status = 'enabled'
         where ${due} ${busy}
         order by d.next_attempt_at
         limit ${input.limit * 4}
      ),
      locked as (
        select d.id from webhook_deliveries d
         where d.id in (select id from ranked where place <= ${input.perEndpoint}) and ${due}
         order by d.next_attempt_at
         limit ${input.limit}
         for update of d skip locked
      )
      update webhook_deliveries w set lease_until = ${leaseUntil.toISOString()}::timestamptz, lease_token = ${token}::uuid
        from locked where w.id = locked.id
      returning w.id`);
    const ids = rowsOf(result).map((r) => String(r.id));
    if (ids.length === 0) return [];
    return tx.select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, ids));
  });
}

/** Sends one claimed delivery and records the attempt. */
async function attempt(deps: WebhookDispatchDeps, delivery: Claimed): Promise<void> {
  const [endpoint] = await deps.db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, delivery.endpointId));
  if (!endpoint) return; // deleted meanwhile: its deliveries went with it
  const attemptedAt = deps.now();
  let response: WebhookResponse;
  try {
    const secret = openWebhookSecret(deps.messageKey, endpoint.id, endpoint.secretSealed);
    const body = JSON.stringify(delivery.payload);
    const unix = Math.floor(attemptedAt.epochMilliseconds / 1000);
    response = await deps.sender.send({
      url: endpoint.url,
      body,
      headers: {
        'aftersales-signature': webhookSignature(secret, unix, body),
        'aftersales-event-id': delivery.eventId,
        'aftersales-event-type': delivery.eventType,
        'aftersales-delivery-id': delivery.id,
      },
    });
  } catch (err) {
    response = { statusCode: null, excerpt: '', error: (err as Error).message, durationMs: 0 };
  }
  await recordAttempt(deps, delivery, attemptedAt, response);
}

async function recordAttempt(
  deps: WebhookDispatchDeps,
  delivery: Claimed,
  attemptedAt: Temporal.Instant,
  response: WebhookResponse,
): Promise<void> {
  const nowMs = attemptedAt.epochMilliseconds;
  const delivered = response.error === null;
  await deps.db.transaction(async (tx) => {
    // The delivery as it is now: only the holder of the lease moves it on.
    const [current] = await tx
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, delivery.id))
      .for('update');
    if (!current) return;
    await tx.insert(webhookAttempts).values({
      deliveryId: delivery.id,
      attemptedAt: new Date(nowMs),
      durationMs: response.durationMs,
      statusCode: response.statusCode,
      outcome: delivered ? 'delivered' : 'failed',
      error: response.error,
      responseExcerpt: response.excerpt,
    });
    if (current.leaseToken !== delivery.leaseToken || current.status !== 'pending') return;
    const attempts = current.attempts + 1;
    const firstAttemptAtMs = current.firstAttemptAt?.getTime() ?? nowMs;
    const next = delivered
      ? null
      : nextAttemptAfterFailure({ firstAttemptAtMs, attemptedAtMs: nowMs, attempts });
    await tx
      .update(webhookDeliveries)
      .set({
        attempts,
        firstAttemptAt: new Date(firstAttemptAtMs),
        lastStatusCode: response.statusCode,
        lastError: response.error,
        leaseUntil: null,
        leaseToken: null,
        ...(delivered
          ? { status: 'delivered' as const, finishedAt: new Date(nowMs) }
          : next === null
            ? { status: 'failed' as const, finishedAt: new Date(nowMs) }
            : { nextAttemptAt: new Date(next) }),
      })
      .where(eq(webhookDeliveries.id, delivery.id));
    if (delivered) {
      await tx
        .update(webhookEndpoints)
        .set({ failingSince: null })
        .where(eq(webhookEndpoints.id, delivery.endpointId));
      return;
    }
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({
        failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${new Date(nowMs).toISOString()}::timestamptz)`,
      })
      .where(eq(webhookEndpoints.id, delivery.endpointId))
      .returning();
    if (!endpoint || endpoint.status !== 'enabled') return;
    const failingSinceMs = endpoint.failingSince?.getTime() ?? nowMs;
    const gaveUp = next === null && failingSinceMs <= firstAttemptAtMs;
    if (endpointFailedTooLong(failingSinceMs, nowMs) || gaveUp) {
      await disableFailingEndpoint(tx, endpoint, nowMs, response.error ?? 'failed');
    }
  });
}

async function disableFailingEndpoint(
  tx: Parameters<Parameters<Database['transaction']>[0]>[0],
  endpoint: typeof webhookEndpoints.$inferSelect,
  nowMs: number,
  lastError: string,
): Promise<void> {
  const [disabled] = await tx
    .update(webhookEndpoints)
    .set({ status: 'disabled', disabledReason: 'failing', disabledAt: new Date(nowMs) })
    .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.status, 'enabled')))
    .returning();
  if (!disabled) return;
  const failingSince = (endpoint.failingSince ?? new Date(nowMs)).toISOString();
  await recordAudit(tx, 'system', {
    action: 'webhook_endpoint.disabled',
    entityType: 'webhook_endpoint',
    entityId: endpoint.id,
    data: { url: endpoint.url, reason: 'failing', failingSince, lastError },
  });
  const admins = await tx
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.deactivatedAt)));
  const mail = bilingual((m) => m.webhooks.endpointDisabled({ url: endpoint.url, failingSince, lastError }));
  if (admins.length === 0) return;
  await tx.insert(outbox).values(
    admins.map((admin) => ({
      topic: 'webhook_endpoint.disabled',
      recipient: admin.email,
      ...mail,
      payload: { endpointId: endpoint.id, url: endpoint.url, failingSince },
    })),
  );
}

/**
 * The dispatcher of one process: `run()` fans out and starts what is due without waiting for the
 * attempts (they finish in the background, bounded by `concurrency`, half of it at most for one
 * endpoint), so a receiver that hangs holds its own share of slots until its deadline and never the
 * run, a request, or another endpoint. Each finished attempt frees its slot and claims the next due
 * delivery at once, so a backlog drains at the receivers' pace, not the interval's. `idle()` waits
 * for the attempts in flight; `stop()` claims nothing more (closing the server).
 */
export function webhookDispatcher(deps: WebhookDispatchDeps, options: WebhookDispatchOptions) {
  const inFlight = new Set<Promise<void>>();
  const perEndpoint = new Map<string, number>();
  const share = Math.max(1, Math.floor(options.concurrency / 2));
  const batch = options.fanOutBatch ?? 500;
  const state = { stopped: false };
  // Read through a call: stop() may come while a claim is awaited.
  const stoppedNow = () => state.stopped;
  let pumping: Promise<number> | undefined;
  let pumpAgain = false;

  /** Claims due deliveries into the free slots and starts them; one claim at a time per process. */
  function pump(): Promise<number> {
    if (state.stopped) return Promise.resolve(0);
    if (pumping) {
      pumpAgain = true;
      return pumping;
    }
    pumping = (async () => {
      let started = 0;
      do {
        pumpAgain = false;
        const free = options.concurrency - inFlight.size;
        if (free <= 0 || state.stopped) break;
        const busy = [...perEndpoint].filter(([, n]) => n >= share).map(([id]) => id);
        const claimed = await claimDue(deps, {
          limit: free,
          perEndpoint: share,
          busy,
          leaseMs: options.timeoutMs + LEASE_MARGIN_MS,
        });
        for (const delivery of claimed) start(delivery);
        started += claimed.length;
        // Claimed as many as there was room for: there may be more due.
        if (claimed.length > 0 && claimed.length === free) pumpAgain = true;
      } while (pumpAgain && !stoppedNow());
      return started;
    })().finally(() => {
      pumping = undefined;
    });
    return pumping;
  }

  function start(delivery: Claimed): void {
    perEndpoint.set(delivery.endpointId, (perEndpoint.get(delivery.endpointId) ?? 0) + 1);
    const running: Promise<void> = attempt(deps, delivery)
      .catch(() => {
        // Recording failed (the database went away): the lease runs out and the delivery is tried again.
      })
      .finally(() => {
        inFlight.delete(running);
        const left = (perEndpoint.get(delivery.endpointId) ?? 1) - 1;
        if (left <= 0) perEndpoint.delete(delivery.endpointId);
        else perEndpoint.set(delivery.endpointId, left);
        void pump().catch(() => {
          // The next run tries again.
        });
      });
    inFlight.add(running);
  }

  async function run(): Promise<{ fannedOut: number; started: number }> {
    let fannedOut = 0;
    for (;;) {
      const read = await fanOutEvents(deps, batch);
      fannedOut += read;
      if (read < batch) break;
    }
    return { fannedOut, started: await pump() };
  }

  async function idle(): Promise<void> {
    while (inFlight.size > 0 || pumping) {
      await Promise.all([...inFlight, pumping]);
    }
  }

  return {
    run,
    idle,
    stop() {
      state.stopped = true;
    },
    get inFlight() {
      return inFlight.size;
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof webhookDispatcher>;
