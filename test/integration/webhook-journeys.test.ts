import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import http from 'node:http';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { eventTypes, type EventType } from '../../src/app/events/types.js';
import { openDatabase } from '../../src/db/client.js';
import { dealers, units } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_DEALERS, DEMO_FLAGGED_OEM_ORDER, DEMO_SKUS } from '../../src/db/seed.js';
import { calendarDateIn, Temporal } from '../../src/domain/calendar.js';
import { defaultRiskSettings } from '../../src/domain/risk/signals.js';
import { createScratchPostgresDatabase, testDatabases } from '../support/databases.js';
import { acceptAllReported, bookOrder, oemWorld, PNG, uploadEvidence } from '../support/oem-fixtures.js';
import { startRoundRobin } from '../support/proxies.js';
import { bin, root, startServe, stop } from '../support/serve-process.js';
import { SERVE_ORIGIN } from '../support/serve-load.js';
import { sessionCookie, signIn } from '../support/sessions.js';
import { repairAtServiceCenter } from '../support/repair-journey.js';
import { LENIENT_RISK_SETTINGS } from '../support/service-fixtures.js';
import { type Received, senderPid, verifySignature, webhookReceiver } from '../support/webhook-receiver.js';

/*
 * Issue 17's "done when", with real processes: `aftersales serve` (one process on PGlite, killed with
 * SIGKILL mid-delivery and restarted on the same data directory; two processes behind a round-robin
 * balancer on PostgreSQL, one of them killed mid-delivery) sends webhooks to a receiver run by the test,
 * which checks every signature and its timestamp. A whole claim journey and a whole OEM journey are
 * driven through the HTTP API; the receiver sees each of their events, after deduplicating by event id,
 * exactly once — the only copies being deliveries the killed process had sent and not yet recorded —
 * with the body GET /api/v1/events shows for it. A second endpoint whose receiver hangs is subscribed
 * to everything all the while: it holds its own share of attempts and never the other endpoint.
 */

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** An attempt's deadline in these processes: a killed process's lease runs out 30 s after it. */
const TIMEOUT_SECONDS = 2;

type Event = {
  id: string;
  type: EventType;
  occurredAt: string;
  subject: { type: string; id: string };
  change: Record<string, unknown> | null;
  data: Record<string, unknown>;
};

type Answer = {
  statusCode: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names what the answer is
  json: <T>() => T;
};

/**
 * `app.inject` over real HTTP, a new connection each time (a balancer's idle connections close under a
 * client that would reuse them): the shared fixtures (bookOrder, acceptAllReported) drive a real server.
 */
function overHttp(base: () => string) {
  return {
    inject(options: {
      method: string;
      url: string;
      headers?: Record<string, string>;
      payload?: object | Buffer | string;
    }): Promise<Answer> {
      const payload = options.payload;
      const isJson = payload !== undefined && !Buffer.isBuffer(payload) && typeof payload !== 'string';
      const body =
        payload === undefined
          ? undefined
          : isJson
            ? Buffer.from(JSON.stringify(payload))
            : Buffer.from(payload);
      return new Promise<Answer>((resolve, reject) => {
        const req = http.request(
          `${base()}${options.url}`,
          {
            method: options.method,
            agent: false,
            timeout: 30_000,
            headers: {
              ...options.headers,
              origin: SERVE_ORIGIN,
              ...(isJson ? { 'content-type': 'application/json' } : {}),
              ...(body ? { 'content-length': String(body.length) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({
                statusCode: res.statusCode ?? 0,
                body: text,
                headers: res.headers,
                // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names what the answer is
                json: <T>() => JSON.parse(text) as T,
              });
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error(`${options.method} ${options.url}: timed out`)));
        req.on('error', reject);
        req.end(body);
      });
    },
  };
}

describe.each(testDatabases().map((d) => d.name))(
  'webhooks of whole journeys, real processes (%s)',
  (name) => {
    const cleanups: (() => Promise<unknown>)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    });

    it(
      name === 'postgres'
        ? 'two processes behind a balancer deliver each event of a claim and an OEM journey once, signed, across a SIGKILL mid-delivery'
        : 'one process delivers each event of a claim and an OEM journey once, signed, across a SIGKILL mid-delivery and a restart',
      async () => {
        // The database: migrated and seeded with the demo by the CLI, as an operator would.
        let dbEnv: NodeJS.ProcessEnv;
        if (name === 'pglite') {
          const dataDir = mkdtempSync(path.join(tmpdir(), 'aftersales-webhooks-'));
          cleanups.push(() => {
            rmSync(dataDir, { recursive: true, force: true });
            rmSync(`${dataDir}.secret`, { force: true });
            return Promise.resolve();
          });
          dbEnv = { DATA_DIR: dataDir, DATABASE_URL: '' };
        } else {
          const url = process.env.TEST_DATABASE_URL ?? '';
          const scratch = await createScratchPostgresDatabase(url);
          cleanups.push(() => scratch.drop());
          dbEnv = { DATABASE_URL: scratch.url, SEED_DEMO_DATA: 'true' };
        }
        const good = webhookReceiver();
        const hanging = webhookReceiver();
        cleanups.push(
          () => good.stop(),
          () => hanging.stop(),
        );
        const goodAt = await good.start();
        const hangingAt = await hanging.start();
        hanging.state.mode = 'hang';
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          ...dbEnv,
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          PUBLIC_URL: SERVE_ORIGIN,
          AUTH_RATE_LIMIT_PER_MINUTE: '10000',
          // The operator's setting that lets webhooks go to the test's receivers on loopback, over http.
          WEBHOOKS_ALLOW_PRIVATE: 'true',
          WEBHOOK_INTERVAL_SECONDS: '0.2',
          WEBHOOK_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
        };
        await run(process.execPath, [bin, 'seed'], { cwd: root, env });

        // What the journeys need of the data that no route makes: the maker's unit a customer registers.
        const today = calendarDateIn(Temporal.Now.instant(), 'Asia/Shanghai');
        const day = (daysAgo: number) => today.subtract({ days: daysAgo }).toString();
        const serial = `HS200-W${randomBytes(4).toString('hex').toUpperCase()}`;
        const setup = await openDatabase({
          databaseUrl: env.DATABASE_URL || undefined,
          dataDir: env.DATA_DIR ?? '',
        });
        const world = await (async () => {
          try {
            const w = await oemWorld(setup.db);
            await setup.db.insert(units).values({
              serial,
              productId: w.product(DEMO_SKUS.headset),
              lot: 'HS200-L2501A',
              madeOn: '2025-01-10',
            });
            const [ownDealer] = await setup.db
              .select({ id: dealers.id })
              .from(dealers)
              .where(eq(dealers.name, DEMO_DEALERS[0].name));
            return { ...w, ownDealer: ownDealer?.id ?? '' };
          } finally {
            await setup.close();
          }
        })();

        // The processes: two behind a balancer on PostgreSQL, one on PGlite (restarted on its port).
        const processes = await Promise.all((name === 'postgres' ? [0, 1] : [0]).map(() => startServe(env)));
        const servers = [...processes];
        cleanups.push(async () => {
          for (const s of servers)
            if (s.child.exitCode === null && s.child.signalCode === null) await stop(s.child);
        });
        const pids = () => servers.map((s) => s.child.pid ?? 0);
        let base = processes[0]?.url ?? '';
        if (name === 'postgres') {
          const balancer = await startRoundRobin(processes.map((s) => s.url));
          cleanups.push(() => balancer.close());
          base = balancer.url;
        }
        const api = overHttp(() => base);
        const app = api as unknown as FastifyInstance;

        const roles = ['admin', 'support', 'dealer', 'customer', 'technician', 'qa', 'sales', 'oem'] as const;
        type Role = (typeof roles)[number];
        const cookies = new Map<Role, string>();
        for (const role of roles) {
          const email = DEMO_ACCOUNTS.find((a) => a.role === role)?.email ?? '';
          const signedIn = await signIn(app, email);
          expect(signedIn.statusCode, signedIn.body).toBe(200);
          cookies.set(role, sessionCookie(signedIn.headers['set-cookie']));
        }
        const cookie = (role: Role) => cookies.get(role) ?? '';
        const latencies: number[] = [];
        const call = async <T = Record<string, unknown>>(
          role: Role,
          method: 'GET' | 'POST' | 'PUT',
          url: string,
          payload?: object,
        ) => {
          const started = performance.now();
          const res = await api.inject({
            method,
            url,
            headers: { cookie: cookie(role) },
            ...(payload ? { payload } : {}),
          });
          latencies.push(performance.now() - started);
          expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
          return res.json<T>();
        };
        /** Every event the admin may read after `after`, as a client polls them. */
        const eventsAfter = async (after: string | null) => {
          const items: Event[] = [];
          let cursor = after;
          for (;;) {
            const query = new URLSearchParams({ limit: '200', ...(cursor ? { after: cursor } : {}) });
            const page = await call<{ items: Event[]; nextCursor: string | null }>(
              'admin',
              'GET',
              `/api/v1/events?${query}`,
            );
            items.push(...page.items);
            if (page.items.length === 0 || !page.nextCursor)
              return { items, next: page.nextCursor ?? cursor };
            cursor = page.nextCursor;
          }
        };

        await call('admin', 'PUT', '/api/v1/settings/risk', {
          ...defaultRiskSettings,
          ...LENIENT_RISK_SETTINGS,
        });
        const start = (await eventsAfter(null)).next;
        // The endpoints, registered through the API: every event type to both.
        const register = async (url: string) => {
          const created = await call<{ secret: string; endpoint: { id: string } }>(
            'admin',
            'POST',
            '/api/v1/webhooks',
            {
              url,
              eventTypes: [...eventTypes],
              description: 'test receiver',
            },
          );
          return created;
        };
        const goodEndpoint = await register(goodAt.url);
        good.state.secret = goodEndpoint.secret;
        hanging.state.secret = (await register(hangingAt.url)).secret;

        // Which process sent each request the good receiver got.
        const sentBy = new Map<Received, number | undefined>();
        const victimState: {
          pid?: number;
          killedAt?: number;
          trigger?: Received;
          armed: boolean;
          done?: () => void;
        } = { armed: false };
        const killed = new Promise<void>((resolve) => {
          victimState.done = resolve;
        });
        good.state.onRequest = (got) => {
          const pid = senderPid(got.remotePort, pids());
          sentBy.set(got, pid);
          if (victimState.armed && got.eventType === 'oem_defects.reported' && pid !== undefined) {
            // Mid-delivery: the receiver has the event, the sender has not had its answer.
            victimState.armed = false;
            victimState.pid = pid;
            victimState.trigger = got;
            process.kill(pid, 'SIGKILL');
            victimState.killedAt = Date.now();
            victimState.done?.();
            return 'drop';
          }
          return undefined;
        };

        // ── The claim journey ─────────────────────────────────────────────────────────────────────────
        // A customer registers a unit with a receipt; the dealer named confirms it.
        const proof = await (async () => {
          const boundary = '----aftersales-webhook-journey';
          const body = Buffer.concat([
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="receipt.png"\r\nContent-Type: image/png\r\n\r\n`,
            ),
            PNG,
            randomBytes(8),
            Buffer.from(`\r\n--${boundary}--\r\n`),
          ]);
          const res = await api.inject({
            method: 'POST',
            url: '/api/v1/uploads?kind=proof_of_purchase',
            headers: {
              cookie: cookie('customer'),
              'content-type': `multipart/form-data; boundary=${boundary}`,
            },
            payload: body,
          });
          expect(res.statusCode, res.body).toBe(201);
          return res.json<{ id: string }>().id;
        })();
        const registered = await call<{ id: string }>('customer', 'POST', '/api/v1/purchases/register', {
          serial,
          purchaseDate: day(0),
          dealerId: world.ownDealer,
          proofUploadId: proof,
        });
        await call('dealer', 'POST', `/api/v1/purchase-verifications/${registered.id}/decision`, {
          decision: 'confirm',
        });
        // A refund at the dealer's counter, reimbursed by the maker.
        const sale = await call<{ id: string }>('dealer', 'POST', '/api/v1/purchases', {
          sku: DEMO_SKUS.headset,
          purchaseDate: day(3),
          buyer: { name: 'Chen Jie', email: 'chen.jie@example.com' },
          price: { amountMinor: 29_900, currency: 'CNY' },
        });
        const refunded = await call<{ id: string }>('support', 'POST', '/api/v1/claims', {
          purchaseId: sale.id,
          cause: 'quality',
          description: 'The left earpiece is silent',
        });
        await call('support', 'POST', `/api/v1/claims/${refunded.id}/remedy`, {
          remedy: 'refund',
          expectedVersion: 1,
        });
        const remedy = await call<{ id: string; reimbursement: { id: string } }>(
          'dealer',
          'POST',
          `/api/v1/claims/${refunded.id}/dealer-remedy`,
          { kind: 'refund', refund: { amountMinor: 29_900, currency: 'CNY' } },
        );
        await call('support', 'POST', `/api/v1/reimbursements/${remedy.reimbursement.id}/decision`, {
          decision: 'approved',
          expectedVersion: 1,
        });
        // A repair at a service center: issued, moved all the way, the customer called, returned.
        await repairAtServiceCenter(call, day(200));
        const claimJourney = await eventsAfter(start);

        /** Waits until the good receiver has every one of `ids`. */
        const allReceived = async (ids: readonly string[], withinMs: number) => {
          for (let waited = 0; ; waited += 100) {
            const counts = good.countsById();
            const missing = ids.filter((id) => !counts.has(id));
            if (missing.length === 0) return;
            if (waited > withinMs)
              throw new Error(`not delivered within ${withinMs} ms: ${missing.join(', ')}`);
            await sleep(100);
          }
        };
        await allReceived(
          claimJourney.items.map((e) => e.id),
          30_000,
        );

        // ── The OEM journey, with a SIGKILL of the process sending its first event ──────────────────────
        victimState.armed = true;
        const report = await call<{ id: string }>(
          'oem',
          'POST',
          `/api/v1/oem-orders/${world.demoOrder}/defect-reports`,
          {
            serials: ['BTH500-2501-001300', 'BTH500-2501-001301', 'BTH500-2501-001302'],
            failureMode: 'Right earpiece silent',
          },
        );
        await Promise.race([
          killed,
          sleep(30_000).then(() => {
            throw new Error('the defect report was not delivered within 30 s');
          }),
        ]);
        const victim = servers.find((s) => s.child.pid === victimState.pid);
        expect(victim).toBeDefined();
        for (let i = 0; i < 100 && victim?.child.signalCode === null; i++) await sleep(50);
        expect(victim?.child.signalCode).toBe('SIGKILL');
        if (name === 'pglite') {
          // The same data directory, the same port: the client's URL stays as it was.
          const port = new URL(victim?.url ?? '').port;
          servers.push(await startServe({ ...env, PORT: port }));
        } else {
          await sleep(300); // the balancer's connections to the dead process close
        }

        await acceptAllReported(app, cookie('qa'), world.demoOrder);
        const ledgerUrl = `/api/v1/oem-orders/${world.demoOrder}/ledger`;
        let ledger = await call<{ excess: number; version: number }>('oem', 'GET', ledgerUrl);
        expect(ledger.excess).toBe(2);
        const resolutionsUrl = `/api/v1/oem-orders/${world.demoOrder}/excess-resolutions`;
        const replacement = await call<{ id: string; replacementShipment: { id: string } }>(
          'oem',
          'POST',
          resolutionsUrl,
          {
            remedy: 'replacement_shipment',
            units: 1,
            expectedVersion: ledger.version,
          },
        );
        ledger = await call('oem', 'GET', ledgerUrl);
        await call('oem', 'POST', resolutionsUrl, {
          remedy: 'next_order_credit',
          credit: 'units',
          units: 1,
          expectedVersion: ledger.version,
        });
        const shipmentUrl = `/api/v1/replacement-shipments/${replacement.replacementShipment.id}/transitions`;
        let shipment = await call<{ version: number }>('sales', 'POST', shipmentUrl, {
          to: 'in_production',
          expectedVersion: 1,
        });
        shipment = await call('sales', 'POST', shipmentUrl, {
          to: 'shipped',
          expectedVersion: shipment.version,
          carrier: 'SF Express',
          waybill: 'SF1234567890123',
          shippingMode: 'road',
        });
        await call('sales', 'POST', shipmentUrl, { to: 'delivered', expectedVersion: shipment.version });
        const bookedLot = `BTH500-W${randomBytes(3).toString('hex').toUpperCase()}`;
        await bookOrder(
          app,
          { oem: cookie('oem'), sales: cookie('sales'), qa: cookie('qa') },
          {
            sku: DEMO_SKUS.bluetoothHeadset,
            quantity: 1000,
            spareRateBps: 40,
            deliveryDate: today.add({ days: 90 }).toString(),
            lots: [{ lot: bookedLot }],
          },
        );
        let inv = await call<{ id: string; version: number }>(
          'qa',
          'POST',
          '/api/v1/batch-investigations/proposals',
          {
            productId: world.product(DEMO_SKUS.headset),
            lot: DEMO_FLAGGED_OEM_ORDER.lots[0],
          },
        );
        const moveUrl = `/api/v1/batch-investigations/${inv.id}/transitions`;
        inv = await call('qa', 'POST', moveUrl, { to: 'open', expectedVersion: inv.version });
        const photo = await uploadEvidence(app, cookie('qa'));
        inv = await call('qa', 'POST', `/api/v1/batch-investigations/${inv.id}/evidence`, {
          uploadIds: [photo],
          expectedVersion: inv.version,
        });
        const confirmed = await call<{ remakeOrders: { id: string; version: number }[] }>(
          'qa',
          'POST',
          moveUrl,
          {
            to: 'confirmed',
            expectedVersion: inv.version,
            rootCause: 'production',
            costs: {
              unitCost: { amountMinor: 4_200, currency: 'CNY' },
              airFreightPerShipment: { amountMinor: 86_000, currency: 'CNY' },
            },
          },
        );
        let remake = confirmed.remakeOrders[0] ?? { id: '', version: 0 };
        const remakeUrl = `/api/v1/remake-orders/${remake.id}/transitions`;
        remake = await call('qa', 'POST', remakeUrl, {
          to: 'in_production',
          expectedVersion: remake.version,
        });
        remake = await call('qa', 'POST', remakeUrl, {
          to: 'shipped',
          expectedVersion: remake.version,
          carrier: 'Cathay Cargo',
          waybill: '160-12345675',
        });
        await call('qa', 'POST', remakeUrl, { to: 'delivered', expectedVersion: remake.version });
        const doubt = await call<{ id: string; version: number }>(
          'qa',
          'POST',
          '/api/v1/batch-investigations',
          {
            productId: world.product(DEMO_SKUS.bluetoothHeadset),
            lots: [bookedLot],
          },
        );
        await call('qa', 'POST', `/api/v1/batch-investigations/${doubt.id}/transitions`, {
          to: 'dismissed',
          expectedVersion: doubt.version,
          findings: 'Units damaged in the client’s own assembly, not in production',
        });

        // ── What the receiver saw ─────────────────────────────────────────────────────────────────────
        const journey = (await eventsAfter(start)).items;
        const oemJourney = journey.filter((e) => !claimJourney.items.some((c) => c.id === e.id));
        expect(new Set(claimJourney.items.map((e) => e.type))).toEqual(
          new Set([
            'purchase.recorded',
            'purchase.verified',
            'claim.submitted',
            'claim.remedy_chosen',
            'dealer_remedy.performed',
            'claim.resolved',
            'reimbursement.decided',
            'maintenance_order.issued',
            'maintenance_order.moved',
            'maintenance_order.contact_recorded',
            'maintenance_order.returned',
          ]),
        );
        expect(new Set(oemJourney.map((e) => e.type))).toEqual(
          new Set([
            'oem_defects.reported',
            'oem_excess.resolved',
            'replacement_shipment.shipped',
            'replacement_shipment.delivered',
            'oem_order.booked',
            'oem_credit.applied',
            'batch_investigation.confirmed',
            'remake_order.shipped',
            'remake_order.delivered',
            'batch_investigation.dismissed',
          ]),
        );
        expect(oemJourney.find((e) => e.type === 'oem_defects.reported')?.subject.id).toBe(report.id);
        await allReceived(
          journey.map((e) => e.id),
          60_000,
        );
        // The killed process's lease runs out (its deadline and 30 s) and another process sends what it
        // had in flight again: the endpoint has nothing waiting.
        for (let waited = 0; ; waited += 250) {
          const endpoint = await call<{ deliveries: { pending: number; delivered: number; failed: number } }>(
            'admin',
            'GET',
            `/api/v1/webhooks/${goodEndpoint.endpoint.id}`,
          );
          if (endpoint.deliveries.pending === 0) break;
          if (waited > TIMEOUT_SECONDS * 1000 + 30_000 + 45_000) {
            throw new Error(`deliveries still waiting: ${JSON.stringify(endpoint.deliveries)}`);
          }
          await sleep(250);
        }
        await sleep(1500); // a few more dispatcher runs: nothing may come again

        expect(good.state.badSignatures).toEqual([]);
        expect(hanging.state.badSignatures).toEqual([]);
        const counts = good.countsById();
        const killedAt = victimState.killedAt ?? 0;
        const fromVictimBeforeKill = new Set(
          good.state.received
            .filter((r) => r.at <= killedAt && sentBy.get(r) === victimState.pid)
            .map((r) => r.eventId),
        );
        for (const event of journey) {
          const copies = counts.get(event.id) ?? 0;
          // Once; twice only for what the killed process had sent without recording the answer.
          expect(copies, `${event.type} ${event.id}`).toBeGreaterThanOrEqual(1);
          if (copies > 1) {
            expect(copies, `${event.type} ${event.id}`).toBe(2);
            expect(
              fromVictimBeforeKill.has(event.id),
              `${event.type} came twice though not sent by the killed process`,
            ).toBe(true);
          }
          // The body is the event as the API shows it.
          const got = good.state.received.find((r) => r.eventId === event.id);
          expect(got?.eventType).toBe(event.type);
          expect(got?.body).toEqual(event);
        }
        // The delivery cut off by the kill came again.
        expect(counts.get(victimState.trigger?.eventId ?? '')).toBe(2);
        // Nothing but events: every id received is an event of the server's (or of the journey).
        const known = new Set((await eventsAfter(null)).items.map((e) => e.id));
        for (const id of counts.keys()) expect(known.has(id), id).toBe(true);
        // Both processes sent (on PostgreSQL), and the hanging receiver held its own attempts, not the others'.
        const senders = new Set([...sentBy.values()].filter((p) => p !== undefined));
        if (name === 'postgres') expect(senders.size).toBeGreaterThanOrEqual(2);
        expect(hanging.state.received.length).toBeGreaterThan(0);
        console.info(
          `webhook journeys (${name}): ${journey.length} events, ${good.state.received.length} requests ` +
            `(${[...counts.values()].filter((n) => n > 1).length} events twice, from the SIGKILL), ` +
            `senders ${[...senders].join('/')}, hanging receiver held ${hanging.state.received.length}; ` +
            `slowest request ${Math.round(Math.max(...latencies))} ms`,
        );
      },
      240_000,
    );
  },
);

describe('the receiver’s check', () => {
  it('refuses a changed body, another secret, and a timestamp outside the tolerance', () => {
    const secret = 'whsec_test';
    const body = '{"id":"x"}';
    const now = 1_800_000_000;
    const sign = (t: number, b: string, s = secret) => `t=${t},v1=${createHmacHex(s, `${t}.${b}`)}`;
    expect(verifySignature(secret, sign(now, body), body, now)).toEqual({ valid: true });
    expect(verifySignature(secret, sign(now, body), '{"id":"y"}', now)).toMatchObject({ valid: false });
    expect(verifySignature(secret, sign(now, body, 'whsec_other'), body, now)).toMatchObject({
      valid: false,
    });
    expect(verifySignature(secret, sign(now - 301, body), body, now)).toMatchObject({
      valid: false,
      why: 'timestamp out of tolerance',
    });
    expect(verifySignature(secret, 'v1=abc', body, now)).toMatchObject({ valid: false });
  });
});

function createHmacHex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}
