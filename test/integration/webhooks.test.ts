import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../src/app/events/record-event.js';
import type { EventType } from '../../src/app/events/types.js';
import { webhookDispatcher } from '../../src/app/webhooks/dispatch-webhooks.js';
import { createWebhookEndpoint } from '../../src/app/webhooks/endpoints.js';
import { httpWebhookSender } from '../../src/app/webhooks/sender.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import {
  auditEvents,
  outbox,
  users,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
} from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { retryOffsetsMs, WEBHOOK_RETRY_WINDOW_MS } from '../../src/domain/webhooks/retry-schedule.js';
import { buildTestApp, TEST_MESSAGE_KEY, TEST_NOW } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Issue 17 item 3: webhooks. A receiver run by the test (node:http on loopback, allowed by
 * WEBHOOKS_ALLOW_PRIVATE) checks the signature of every request it gets. Events are recorded with
 * recordEvent in a fixture: the use cases' emitters are built on another branch (wave3-events), so
 * after merging, the integrator re-checks with real actions.
 */

type Received = { eventId: string; deliveryId: string; body: Record<string, unknown>; at: number };

/** A receiver: `mode` decides the answer; every request's signature is verified with `secret`. */
function receiver() {
  const state = {
    secret: '',
    mode: 'ok' as 'ok' | 'fail' | 'hang' | 'redirect',
    redirectTo: '',
    received: [] as Received[],
    badSignatures: 0,
  };
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      // The verification a README reader writes: t and v1 from the header, HMAC over "t.body".
      const header = String(req.headers['aftersales-signature'] ?? '');
      const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
      const expected = createHmac('sha256', state.secret).update(`${parts.t}.${raw}`).digest();
      const given = Buffer.from(parts.v1 ?? '', 'hex');
      const valid = given.length === expected.length && timingSafeEqual(given, expected);
      if (!valid) state.badSignatures++;
      if (state.mode === 'hang') {
        open.add(res);
        return;
      }
      state.received.push({
        eventId: String(req.headers['aftersales-event-id']),
        deliveryId: String(req.headers['aftersales-delivery-id']),
        body: JSON.parse(raw) as Record<string, unknown>,
        at: Date.now(),
      });
      if (state.mode === 'redirect') {
        res.writeHead(302, { location: state.redirectTo }).end();
        return;
      }
      if (state.mode === 'fail') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`receiver broke ${'x'.repeat(5000)}`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return {
    state,
    server,
    async start() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    },
    /** Ends the requests it holds (a hang) without an answer. */
    release() {
      for (const res of open) res.destroy();
      open.clear();
    },
    async stop() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

const AT = new Date(TEST_NOW.epochMilliseconds);

describe.each(testDatabases())('webhooks on $name', (testDb) => {
  let db: DatabaseHandle;
  let app: FastifyInstance; // WEBHOOKS_ALLOW_PRIVATE=true: the test's receivers are on loopback
  let strict: FastifyInstance; // the default: https and public addresses only
  let admin = '';
  let adminStrict = '';
  const good = receiver();
  const failing = receiver();
  const hanging = receiver();
  const redirecting = receiver();
  const ports = { good: 0, failing: 0, hanging: 0, redirecting: 0 };
  let clockMs = TEST_NOW.epochMilliseconds;
  const clock = () => Temporal.Instant.fromEpochMilliseconds(clockMs);

  beforeAll(async () => {
    db = await testDb.open();
    await seedDemoData(db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    app = await buildTestApp(
      db,
      { AUTH_RATE_LIMIT_PER_MINUTE: '1000', WEBHOOKS_ALLOW_PRIVATE: 'true' },
      clock,
    );
    strict = await buildTestApp(db, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' }, clock);
    admin = await demoSession(app, 'admin');
    adminStrict = await demoSession(strict, 'admin');
    ports.good = await good.start();
    ports.failing = await failing.start();
    ports.hanging = await hanging.start();
    ports.redirecting = await redirecting.start();
    failing.state.mode = 'fail';
    hanging.state.mode = 'hang';
    redirecting.state.mode = 'redirect';
    redirecting.state.redirectTo = `http://127.0.0.1:${ports.good}/stolen`;
  });
  afterAll(async () => {
    await Promise.all([good.stop(), failing.stop(), hanging.stop(), redirecting.stop()]);
    await app.close();
    await strict.close();
    await db.close();
  });

  const as =
    (server: FastifyInstance, cookie: string) =>
    (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      server.inject({ method, url, headers: { cookie, origin: ORIGIN }, ...(payload ? { payload } : {}) });
  const asAdmin = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    as(app, admin)(method, url, payload);

  /**
   * A dispatcher like a process's, on the test's clock. The deadline is generous: PGlite runs on this
   * thread, and two dispatchers' queries delay the replies a test receiver already sent.
   */
  const dispatcher = (timeoutMs = 5000, allowPrivate = true) =>
    webhookDispatcher(
      {
        db: db.db,
        now: clock,
        messageKey: TEST_MESSAGE_KEY,
        sender: httpWebhookSender({ allowPrivate, timeoutMs }),
      },
      { concurrency: 8, timeoutMs },
    );
  const runToIdle = async (d = dispatcher()) => {
    await d.run();
    await d.idle();
  };

  const register = async (url: string, eventTypes: string[], state?: { secret: string }) => {
    const res = await asAdmin('POST', '/api/v1/webhooks', { url, eventTypes, description: 'test receiver' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<{ secret: string; endpoint: { id: string } }>();
    if (state) state.secret = created.secret;
    return created;
  };

  /** An event as a use case records it, in its own transaction (the emitters live on another branch). */
  const emit = async (type: EventType = 'batch_investigation.dismissed') => {
    const subjectId = randomUUID();
    return db.db.transaction(
      async (tx) =>
        (
          await recordEvent(tx, {
            type,
            subjectId,
            scope: {},
            data: { id: subjectId, note: 'fixture' } as never,
            occurredAt: AT,
          })
        ).id,
    );
  };

  const deliveriesOf = (endpointId: string) =>
    db.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));

  it('refuses plain http, private, loopback, link-local, CGNAT and metadata addresses and local names, unless allowed', async () => {
    const post = as(strict, adminStrict);
    for (const [url, code] of [
      ['http://erp.example.com/hooks', 'WEBHOOK_URL_NOT_HTTPS'],
      ['https://127.0.0.1/hooks', 'WEBHOOK_URL_PRIVATE'],
      ['https://10.0.0.8/hooks', 'WEBHOOK_URL_PRIVATE'],
      ['https://[::1]/hooks', 'WEBHOOK_URL_PRIVATE'],
      ['https://169.254.169.254/latest/meta-data/', 'WEBHOOK_URL_PRIVATE'],
      ['https://100.64.0.1/hooks', 'WEBHOOK_URL_PRIVATE'],
      ['https://[fd00::1]/hooks', 'WEBHOOK_URL_PRIVATE'],
      ['https://localhost/hooks', 'WEBHOOK_URL_PRIVATE'],
      ['https://user:pw@erp.example.com/hooks', 'WEBHOOK_URL_INVALID'],
    ] as const) {
      const res = await post('POST', '/api/v1/webhooks', { url, eventTypes: ['claim.submitted'] });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code, url).toBe(code);
    }
    // `localhost.` is `localhost` (an absolute name); a name resolving to loopback is refused for what it
    // resolves to (below, with a resolver of the test's making).
    const dotted = await post('POST', '/api/v1/webhooks', {
      url: 'https://localhost./hooks',
      eventTypes: ['claim.submitted'],
    });
    expect(dotted.json<{ error: { code: string } }>().error.code).toBe('WEBHOOK_URL_PRIVATE');
    // An unknown event type is bad input too.
    const unknownType = await post('POST', '/api/v1/webhooks', {
      url: 'https://erp.example.com/h',
      eventTypes: ['claim.eaten'],
    });
    expect(unknownType.statusCode).toBe(400);
    expect(await db.db.select().from(webhookEndpoints)).toHaveLength(0);
    // The operator's setting lets a local receiver in.
    const allowed = await asAdmin('POST', '/api/v1/webhooks', {
      url: `http://127.0.0.1:${ports.good}/hooks`,
      eventTypes: ['claim.submitted'],
    });
    expect(allowed.statusCode, allowed.body).toBe(201);
    await asAdmin('DELETE', `/api/v1/webhooks/${allowed.json<{ endpoint: { id: string } }>().endpoint.id}`);
  });

  it('delivers each matching event once, signed, with the event as its body; the secret is shown once and sealed', async () => {
    await runToIdle(); // what came before this endpoint is not its business
    const { secret, endpoint } = await register(
      `http://127.0.0.1:${ports.good}/hooks`,
      ['batch_investigation.dismissed'],
      good.state,
    );
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const [row] = await db.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));
    expect((await asAdmin('GET', '/api/v1/webhooks')).body).not.toContain(secret.slice(6));
    const [audit] = await db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, endpoint.id), eq(auditEvents.action, 'webhook_endpoint.created')));
    expect(audit?.actor).toMatch(/^user:/);

    const wanted = await emit('batch_investigation.dismissed');
    await emit('purchase.recorded'); // not subscribed
    await runToIdle();
    await runToIdle(); // a second run sends nothing again
    const got = good.state.received.filter((r) => r.eventId === wanted);
    expect(got).toHaveLength(1);
    expect(good.state.received.map((r) => r.body.type)).not.toContain('purchase.recorded');
    expect(got[0]?.body).toMatchObject({
      id: wanted,
      type: 'batch_investigation.dismissed',
      occurredAt: AT.toISOString(),
      subject: { type: 'batch_investigation' },
      change: null,
      data: { note: 'fixture' },
    });
    expect(good.state.badSignatures).toBe(0);
    const deliveries = await asAdmin('GET', `/api/v1/webhooks/${endpoint.id}/deliveries`);
    const [delivery] = deliveries.json<{
      items: {
        status: string;
        attempts: number;
        attemptLog: { statusCode: number; responseExcerpt: string }[];
      }[];
    }>().items;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(delivery?.attemptLog[0]).toMatchObject({ statusCode: 200, responseExcerpt: '{"ok":true}' });
  });

  it('sends a test event and redelivers any event, under the same event id, signed', async () => {
    const [endpoint] = await db.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.url, `http://127.0.0.1:${ports.good}/hooks`));
    const id = endpoint?.id ?? '';
    const test = await asAdmin('POST', `/api/v1/webhooks/${id}/test`);
    expect(test.statusCode, test.body).toBe(202);
    const testEventId = test.json<{ eventId: string }>().eventId;
    // Sent by the dispatcher, not by the request.
    expect(good.state.received.some((r) => r.eventId === testEventId)).toBe(false);
    await runToIdle();
    expect(good.state.received.find((r) => r.eventId === testEventId)?.body).toMatchObject({
      type: 'webhook.test',
    });

    // Any event, even one of a type the endpoint does not want.
    const other = await emit('purchase.recorded');
    const again = await asAdmin('POST', `/api/v1/webhooks/${id}/redeliveries`, { eventId: other });
    expect(again.statusCode, again.body).toBe(202);
    const redeliverTest = await asAdmin('POST', `/api/v1/webhooks/${id}/redeliveries`, {
      eventId: testEventId,
    });
    expect(redeliverTest.statusCode, redeliverTest.body).toBe(202);
    await runToIdle();
    expect(good.state.received.filter((r) => r.eventId === other)).toHaveLength(1);
    expect(good.state.received.filter((r) => r.eventId === testEventId)).toHaveLength(2);
    expect(good.state.badSignatures).toBe(0);
    const unknown = await asAdmin('POST', `/api/v1/webhooks/${id}/redeliveries`, { eventId: randomUUID() });
    expect(unknown.statusCode).toBe(404);
    const audits = await db.db.select().from(auditEvents).where(eq(auditEvents.entityId, id));
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['webhook.test_sent', 'webhook.redelivered']),
    );
  });

  it('retries a receiver answering 500 on the exponential schedule, keeping each attempt with a bounded excerpt', async () => {
    const { endpoint } = await register(
      `http://127.0.0.1:${ports.failing}/hooks`,
      ['purchase.recorded'],
      failing.state,
    );
    const start = clockMs;
    const eventId = await emit('purchase.recorded');
    const offsets = retryOffsetsMs().slice(0, 5);
    for (const offset of offsets) {
      if (offset > 0) {
        clockMs = start + offset - 1000; // a second early: nothing is due
        await runToIdle();
      }
      clockMs = start + offset;
      await runToIdle();
    }
    const got = failing.state.received.filter((r) => r.eventId === eventId);
    expect(got).toHaveLength(offsets.length);
    const [delivery] = await deliveriesOf(endpoint.id);
    const attempts = await db.db
      .select()
      .from(webhookAttempts)
      .where(eq(webhookAttempts.deliveryId, delivery?.id ?? ''))
      .orderBy(webhookAttempts.attemptedAt);
    expect(attempts.map((a) => a.attemptedAt.getTime() - start)).toEqual(offsets);
    expect(attempts.every((a) => a.statusCode === 500 && a.outcome === 'failed')).toBe(true);
    expect(attempts[0]?.responseExcerpt.length).toBe(1024);
    expect(delivery).toMatchObject({ status: 'pending', attempts: offsets.length });
    expect(failing.state.badSignatures).toBe(0);
    clockMs = start;
  });

  it('disables an endpoint failing for three days, audited, and tells every admin', async () => {
    const [endpoint] = await db.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.url, `http://127.0.0.1:${ports.failing}/hooks`));
    const id = endpoint?.id ?? '';
    const start = endpoint?.failingSince?.getTime() ?? clockMs;
    for (const offset of retryOffsetsMs()) {
      clockMs = start + offset;
      await runToIdle();
    }
    clockMs = start + WEBHOOK_RETRY_WINDOW_MS;
    await emit('purchase.recorded');
    await runToIdle();
    const [after] = await db.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    expect(after).toMatchObject({ status: 'disabled', disabledReason: 'failing' });
    const [first] = (await deliveriesOf(id))
      .filter((d) => d.kind === 'event')
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    expect(first?.status).toBe('failed');
    const audit = await db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, id), eq(auditEvents.action, 'webhook_endpoint.disabled')));
    expect(audit[0]?.actor).toBe('system');
    const told = await db.db.select().from(outbox).where(eq(outbox.topic, 'webhook_endpoint.disabled'));
    const adminEmail = DEMO_ACCOUNTS.find((a) => a.role === 'admin')?.email;
    expect(told.map((m) => m.recipient)).toContain(adminEmail);
    expect(told[0]?.body).toContain(`http://127.0.0.1:${ports.failing}/hooks`);
    expect(told[0]?.body).toContain('已停用');
    // Disabled: nothing more is sent; a test event is refused until an admin enables it.
    const sentBefore = failing.state.received.length;
    clockMs += 86_400_000;
    await runToIdle();
    expect(failing.state.received.length).toBe(sentBefore);
    expect((await asAdmin('POST', `/api/v1/webhooks/${id}/test`)).statusCode).toBe(409);
    const enabled = await asAdmin('POST', `/api/v1/webhooks/${id}/enable`);
    expect(enabled.json()).toMatchObject({ status: 'enabled', disabledReason: null, failingSince: null });
    await asAdmin('POST', `/api/v1/webhooks/${id}/disable`);
    expect((await asAdmin('POST', `/api/v1/webhooks/${id}/disable`)).statusCode).toBe(409);
    clockMs = TEST_NOW.epochMilliseconds;
  });

  it('a hanging receiver times out without holding back other endpoints, and never a request', async () => {
    const hang = await register(
      `http://127.0.0.1:${ports.hanging}/hooks`,
      ['batch_investigation.dismissed'],
      hanging.state,
    );
    const eventId = await emit('batch_investigation.dismissed');
    const d = dispatcher(1500);
    const before = good.state.received.length;
    const started = Date.now();
    await d.run(); // returns at once: the attempts run in the background
    expect(Date.now() - started).toBeLessThan(1000);
    // While the hanging receiver holds its attempt, the API answers and the good endpoint gets the event.
    const t = Date.now();
    const res = await asAdmin('GET', '/api/v1/webhooks');
    expect(res.statusCode).toBe(200);
    expect(Date.now() - t).toBeLessThan(1000);
    for (let i = 0; i < 50 && good.state.received.length === before; i++)
      await new Promise((r) => setTimeout(r, 20));
    const goodGotIt = good.state.received.find((r) => r.eventId === eventId);
    expect(goodGotIt).toBeDefined();
    expect((goodGotIt?.at ?? Infinity) - started).toBeLessThan(1500);
    await d.idle();
    const [delivery] = await deliveriesOf(hang.endpoint.id);
    const [attempt] = await db.db
      .select()
      .from(webhookAttempts)
      .where(eq(webhookAttempts.deliveryId, delivery?.id ?? ''));
    expect(attempt).toMatchObject({ statusCode: null, outcome: 'failed', error: 'timed out after 1500 ms' });
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(delivery?.nextAttemptAt.getTime()).toBe(clockMs + 30_000);
    await asAdmin('POST', `/api/v1/webhooks/${hang.endpoint.id}/disable`);
  });

  it('does not follow a redirect: a 3xx is a failed attempt, retried on schedule', async () => {
    const { endpoint } = await register(
      `http://127.0.0.1:${ports.redirecting}/hooks`,
      ['batch_investigation.dismissed'],
      redirecting.state,
    );
    const eventId = await emit('batch_investigation.dismissed');
    await runToIdle();
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 302 });
    expect(delivery?.lastError).toMatch(/redirects are not followed/);
    // The good receiver got the event from its own endpoint only, never from the redirect.
    expect(good.state.received.filter((r) => r.eventId === eventId)).toHaveLength(1);
    clockMs += 30_000;
    await runToIdle();
    expect(redirecting.state.received.filter((r) => r.eventId === eventId)).toHaveLength(2);
    clockMs = TEST_NOW.epochMilliseconds;
    await asAdmin('POST', `/api/v1/webhooks/${endpoint.id}/disable`);
  });

  it.each([
    ['hangs', 'hanging'],
    ['redirects', 'redirecting'],
  ] as const)(
    'a receiver that %s is retried on the exponential schedule, each attempt kept',
    async (_what, which) => {
      const target = which === 'hanging' ? hanging : redirecting;
      const { endpoint } = await register(
        `http://127.0.0.1:${ports[which]}/schedule`,
        ['purchase.verified'],
        target.state,
      );
      const start = clockMs;
      const eventId = await emit('purchase.verified');
      const offsets = retryOffsetsMs().slice(0, 4);
      for (const offset of offsets) {
        if (offset > 0) {
          clockMs = start + offset - 1000; // a second early: nothing is due
          await runToIdle(dispatcher(400));
        }
        clockMs = start + offset;
        await runToIdle(dispatcher(400));
      }
      const [delivery] = await deliveriesOf(endpoint.id);
      const attempts = await db.db
        .select()
        .from(webhookAttempts)
        .where(eq(webhookAttempts.deliveryId, delivery?.id ?? ''))
        .orderBy(webhookAttempts.attemptedAt);
      expect(attempts.map((a) => a.attemptedAt.getTime() - start)).toEqual(offsets);
      expect(
        attempts.every((a) =>
          which === 'hanging'
            ? a.statusCode === null && a.error === 'timed out after 400 ms'
            : a.statusCode === 302 && /redirects are not followed/.test(a.error ?? ''),
        ),
      ).toBe(true);
      expect(delivery).toMatchObject({
        status: 'pending',
        attempts: offsets.length,
        nextAttemptAt: new Date(start + (retryOffsetsMs()[offsets.length] ?? 0)),
      });
      // The receiver saw each attempt, signed, under the one event id.
      expect(target.state.received.filter((r) => r.eventId === eventId).length).toBe(
        which === 'hanging' ? 0 : offsets.length, // a hang is counted when answered: never
      );
      expect(target.state.badSignatures).toBe(0);
      clockMs = TEST_NOW.epochMilliseconds;
      await asAdmin('POST', `/api/v1/webhooks/${endpoint.id}/disable`);
    },
  );

  it('never holds a request while a receiver hangs: a request queueing webhook work answers in its usual time', async () => {
    const { endpoint } = await register(
      `http://127.0.0.1:${ports.hanging}/slow`,
      ['batch_investigation.confirmed'],
      hanging.state,
    );
    // The usual time of the request, with nothing hanging.
    const timed = async () => {
      const t0 = performance.now();
      const res = await asAdmin('POST', `/api/v1/webhooks/${endpoint.id}/test`);
      expect(res.statusCode, res.body).toBe(202);
      return performance.now() - t0;
    };
    const before = Math.max(await timed(), await timed());
    // Every slot this endpoint may take is held by an attempt with a 20-second deadline.
    for (let i = 0; i < 6; i++) await emit('batch_investigation.confirmed');
    const d = dispatcher(20_000);
    await d.run();
    for (let i = 0; i < 100 && d.inFlight < 4; i++) await new Promise((r) => setTimeout(r, 20));
    expect(d.inFlight).toBe(4); // half of the dispatcher's 8: the hanging endpoint's share
    const during = Math.max(await timed(), await timed(), await timed());
    // A request waiting on a hanging attempt would take its 20 s; it takes what it took before.
    expect(during).toBeLessThan(Math.max(1000, before * 5));
    await asAdmin('POST', `/api/v1/webhooks/${endpoint.id}/disable`);
    d.stop(); // claims nothing more: what the receiver lets go of is not followed by the next hang
    hanging.release();
    await d.idle();
  });

  it('checks what a name resolves to, at registration and again at each delivery (DNS rebinding)', async () => {
    // A name resolving to loopback is refused at registration by what it resolves to.
    const deps = (resolvesTo: string) => ({
      db: db.db,
      now: clock,
      messageKey: TEST_MESSAGE_KEY,
      allowPrivate: false,
      resolver: () => Promise.resolve([{ address: resolvesTo, family: resolvesTo.includes(':') ? 6 : 4 }]),
    });
    const [adminUser] = await db.db
      .select()
      .from(users)
      .where(eq(users.email, DEMO_ACCOUNTS.find((a) => a.role === 'admin')?.email ?? ''));
    const actor = { userId: adminUser?.id ?? '', role: 'admin' as const, scope: {} };
    const url = 'https://hooks.erp.example.com/aftersales';
    await expect(
      createWebhookEndpoint(deps('127.0.0.1'), actor, { url, eventTypes: ['batch_investigation.dismissed'] }),
    ).rejects.toThrow(/resolves to 127\.0\.0\.1, a loopback address/);
    await expect(
      createWebhookEndpoint(deps('::ffff:169.254.169.254'), actor, {
        url,
        eventTypes: ['batch_investigation.dismissed'],
      }),
    ).rejects.toMatchObject({ code: 'WEBHOOK_URL_PRIVATE' });
    // Public when registered, loopback when delivered: the delivery is refused before connecting.
    const { endpoint } = await createWebhookEndpoint(deps('93.184.216.34'), actor, {
      url,
      eventTypes: ['batch_investigation.dismissed'],
    });
    await emit('batch_investigation.dismissed');
    const rebound = webhookDispatcher(
      {
        db: db.db,
        now: clock,
        messageKey: TEST_MESSAGE_KEY,
        sender: httpWebhookSender({
          allowPrivate: false,
          timeoutMs: 400,
          resolver: deps('127.0.0.1').resolver,
        }),
      },
      { concurrency: 8, timeoutMs: 400 },
    );
    await runToIdle(rebound);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(delivery?.lastError).toBe(
      'refused: hooks.erp.example.com resolves to 127.0.0.1, a loopback address',
    );
    await asAdmin('DELETE', `/api/v1/webhooks/${endpoint.id}`);
    expect(await deliveriesOf(endpoint.id)).toHaveLength(0);
  });

  it('two dispatchers running at once deliver each event once between them', async () => {
    const before = new Set(good.state.received.map((r) => r.deliveryId));
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await emit('batch_investigation.dismissed'));
    const one = dispatcher();
    const two = dispatcher();
    for (let round = 0; round < 6; round++) {
      await Promise.all([one.run(), two.run(), one.run(), two.run()]);
      await Promise.all([one.idle(), two.idle()]);
    }
    const fresh = good.state.received.filter((r) => !before.has(r.deliveryId) && ids.includes(r.eventId));
    const perEvent = new Map<string, number>();
    for (const r of fresh) perEvent.set(r.eventId, (perEvent.get(r.eventId) ?? 0) + 1);
    expect([...perEvent.values()].every((n) => n === 1)).toBe(true);
    expect(perEvent.size).toBe(ids.length);
    expect(good.state.badSignatures).toBe(0);
  });

  const onPostgres = testDb.name === 'postgres' ? it : undefined;
  onPostgres?.('two app instances on one PostgreSQL deliver each event once between them', async () => {
    const env = { WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_INTERVAL_SECONDS: '0.05' };
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await emit('batch_investigation.dismissed'));
    const first = await buildTestApp(db, env, clock);
    const second = await buildTestApp(db, env, clock);
    try {
      for (let i = 0; i < 200; i++) {
        const seen = new Set(good.state.received.map((r) => r.eventId));
        if (ids.every((id) => seen.has(id))) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await first.close();
      await second.close();
    }
    for (const id of ids) expect(good.state.received.filter((r) => r.eventId === id)).toHaveLength(1);
  });

  it('pages an endpoint’s deliveries with the list kit: cursor, sort whitelist, filters by status and event type', async () => {
    const [endpoint] = await db.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.url, `http://127.0.0.1:${ports.good}/hooks`));
    const id = endpoint?.id ?? '';
    const all = await deliveriesOf(id);
    expect(all.length).toBeGreaterThan(20);
    type Page = {
      items: {
        id: string;
        status: string;
        eventType: string;
        eventId: string;
        attempts: number;
        createdAt: string;
      }[];
      nextCursor: string | null;
    };
    const pageAll = async (query: string) => {
      const items: Page['items'] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 100; pages++) {
        const res = await asAdmin(
          'GET',
          `/api/v1/webhooks/${id}/deliveries?limit=7&${query}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json<Page>();
        expect(page.items.length).toBeLessThanOrEqual(7);
        items.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) return items;
      }
      throw new Error('more than 100 pages');
    };
    // Newest first by default, each delivery once.
    const newest = await pageAll('');
    expect(newest.map((d) => d.id).sort()).toEqual(all.map((d) => d.id).sort());
    const byNewest = [...all].sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
    expect(newest.map((d) => d.id)).toEqual(byNewest.map((d) => d.id));
    // Sorted by attempts, ascending: never decreasing, every one once.
    const byAttempts = await pageAll('sort=attempts&order=asc');
    expect(byAttempts).toHaveLength(all.length);
    expect(byAttempts.map((d) => d.attempts)).toEqual(
      [...byAttempts.map((d) => d.attempts)].sort((a, b) => a - b),
    );
    // Filters.
    const tests = await pageAll('eventType=webhook.test');
    expect(tests.length).toBe(all.filter((d) => d.eventType === 'webhook.test').length);
    expect(tests.length).toBeGreaterThan(0);
    const delivered = await pageAll('status=delivered&eventType=batch_investigation.dismissed');
    expect(delivered.map((d) => d.id).sort()).toEqual(
      all
        .filter((d) => d.status === 'delivered' && d.eventType === 'batch_investigation.dismissed')
        .map((d) => d.id)
        .sort(),
    );
    const one = all[0];
    const found = await pageAll(`q=${one?.eventId.slice(0, 13) ?? ''}`);
    expect(found.map((d) => d.eventId)).toContain(one?.eventId);
    expect(found.every((d) => d.eventId.startsWith(one?.eventId.slice(0, 13) ?? ''))).toBe(true);
    // Only the whitelist's sorts; a cursor only for the sort it was made for.
    const bad = await asAdmin('GET', `/api/v1/webhooks/${id}/deliveries?sort=payload`);
    expect(bad.statusCode).toBe(400);
    const first = (await asAdmin('GET', `/api/v1/webhooks/${id}/deliveries?limit=2`)).json<Page>();
    const crossed = await asAdmin(
      'GET',
      `/api/v1/webhooks/${id}/deliveries?limit=2&sort=attempts&cursor=${first.nextCursor ?? ''}`,
    );
    expect(crossed.statusCode).toBe(400);
    expect(crossed.json<{ error: { code: string } }>().error.code).toBe('INVALID_CURSOR');
    const unknownType = await asAdmin('GET', `/api/v1/webhooks/${id}/deliveries?eventType=claim.eaten`);
    expect(unknownType.statusCode).toBe(400);
  });

  it('answers 404 for an unknown endpoint and refuses everyone but admins', async () => {
    expect((await asAdmin('GET', `/api/v1/webhooks/${randomUUID()}`)).statusCode).toBe(404);
    expect((await asAdmin('GET', `/api/v1/webhooks/${randomUUID()}/deliveries`)).statusCode).toBe(404);
    const support = await demoSession(app, 'support');
    expect((await as(app, support)('GET', '/api/v1/webhooks')).statusCode).toBe(403);
  });
});
