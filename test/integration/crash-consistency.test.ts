import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_OUTBOX_ATTEMPTS } from '../../src/app/outbox/dispatch-outbox.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import {
  auditEvents,
  claims,
  maintenanceOrderEvents,
  maintenanceOrders,
  oemDefectReports,
  outbox,
} from '../../src/db/schema.js';
import type { MaintenanceState } from '../../src/domain/maintenance/state-machine.js';
import { createScratchPostgresDatabase, testDatabases } from '../support/databases.js';
import { bin, root, startServe, stop } from '../support/serve-process.js';
import { type LoadTargets, prepareLoadTargets, signInOverHttp } from '../support/serve-load.js';
import { startSmtpServer } from '../support/smtp.js';
import { REPAIR_PATH } from '../support/maintenance.js';

/*
 * Crash consistency: `aftersales serve`, the real process, under a steady mixed load — customers
 * reporting claims, support issuing maintenance orders and technicians moving them, the OEM client
 * reporting defects — is killed with SIGKILL again and again and restarted on the same data (PGlite's
 * data directory, or the PostgreSQL database), with the outbox being sent to a real SMTP server all
 * the while. Afterwards:
 *
 * - every request answered 2xx is in the database (a claim, an order, a move, a report);
 * - nothing is half there: every claim, order, move and report has its audit event, and the outbox
 *   messages it owes (one each: no more, no fewer), whether or not its answer reached the client;
 * - after a last restart every e-mail of the outbox has reached the mail server. The app's contract
 *   (docs/architecture.md, src/app/outbox/dispatch-outbox.ts) is at-least-once with a stable
 *   Message-ID made from the outbox row: a process killed after the mail server kept a message but
 *   before the mark was committed sends that one message again, with the same Message-ID, after the
 *   restart — which no SMTP client can avoid. So the check is exactly-once per outbox row as the
 *   receiving side counts them, deduplicated by Message-ID: every row's Message-ID arrives, none that is
 *   not a row's, and the copies beyond the first number at most one per kill (each kill interrupts at
 *   most one send). Every other kill is placed in exactly that moment (the SMTP server kills the sender
 *   before it answers "250 OK"), and that message must then arrive twice, under one Message-ID.
 *
 * CI kills each database's server 3 times; CRASH_KILLS=20 (or more) runs a longer one, and
 * CRASH_DEBUG_FILE=/tmp/crash.log writes its progress (each cycle, acknowledgements per second):
 *   CRASH_KILLS=20 npx vitest run --project integration test/integration/crash-consistency.test.ts
 */

const run = promisify(execFile);
const ORIGIN = 'http://localhost:3000';
const KILLS = Math.max(1, Number(process.env.CRASH_KILLS ?? 3));
const TIMEOUT_MS = 180_000 + KILLS * 45_000;
/** Defect reports stop well inside the lot's 1,000 units, however many kills are asked for. */
const MAX_REPORTS = 900;
/** The load's reports, told apart from the seed's. */
const FAILURE = 'Crackles under crash load';

type Target = { name: string; env: NodeJS.ProcessEnv; cleanup: () => Promise<void> };

async function target(name: string): Promise<Target> {
  if (name === 'pglite') {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aftersales-crash-'));
    return {
      name,
      env: { DATA_DIR: dataDir, DATABASE_URL: '' },
      cleanup: () => {
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(`${dataDir}.secret`, { force: true });
        return Promise.resolve();
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('postgres needs TEST_DATABASE_URL');
  const scratch = await createScratchPostgresDatabase(url);
  // The demo accounts sign in under load: on PostgreSQL they are seeded only when asked by name.
  return { name, env: { DATABASE_URL: scratch.url, SEED_DEMO_DATA: 'true' }, cleanup: () => scratch.drop() };
}

const dbg = (line: string) => {
  if (process.env.CRASH_DEBUG_FILE)
    appendFileSync(process.env.CRASH_DEBUG_FILE, `${new Date().toISOString()} ${line}\n`);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Message-ID header of a raw message, as the mail server received it. */
function messageIdOf(raw: string): string | undefined {
  return /^Message-ID:\s*<([^>]+)>/im.exec(raw)?.[1];
}

describe.each(testDatabases().map((d) => d.name))(
  'a server killed again and again under load (%s)',
  (name) => {
    let t: Target | undefined;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;
    afterAll(async () => {
      await smtp?.close();
      await t?.cleanup();
    });

    it(
      `keeps every acknowledged request, whole, through ${KILLS} SIGKILLs, and sends each message once`,
      async () => {
        t = await target(name);
        const sink = await startSmtpServer();
        smtp = sink;
        const env = {
          ...process.env,
          ...t.env,
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          PUBLIC_URL: ORIGIN,
          AUTH_RATE_LIMIT_PER_MINUTE: '10000',
          SMTP_URL: smtp.url,
          OUTBOX_INTERVAL_SECONDS: '0.2',
        };
        const open = () =>
          openDatabase({ databaseUrl: t?.env.DATABASE_URL || undefined, dataDir: t?.env.DATA_DIR ?? '' });

        // Migrate and seed, then give the demo customer a power panel bought 200 days ago: its claims are
        // in the one-year window, where support issues maintenance orders for them.
        dbg('seeding');
        await run(process.execPath, [bin, 'seed'], { cwd: root, env });
        dbg('seeded');
        const setup = await open();
        let targets: LoadTargets;
        try {
          targets = await prepareLoadTargets(setup);
        } finally {
          await setup.close();
        }
        const { recentPurchase, olderPurchase, oemOrderId } = targets;

        // What the clients sent, and what the server acknowledged.
        const sent = { claims: 0, issues: 0, moves: 0, reports: 0 };
        const refused: string[] = [];
        const ackedClaims = new Map<string, { id: string; body: object }>(); // Idempotency-Key → claim
        const toIssue: string[] = []; // acknowledged claims on the older purchase
        const ackedOrders = new Map<string, string>(); // order → claim
        const openOrders: string[] = [];
        const ackedMoves: { orderId: string; to: MaintenanceState; version: number }[] = [];
        const ackedReports: string[] = [];
        const unexpected: string[] = [];
        const killedMidSend: string[] = [];

        const signIn = signInOverHttp;

        /** One cycle of load until `killAfter` acknowledgements, then SIGKILL; resolves once it is dead. */
        let cookies: Record<'customer' | 'support' | 'technician' | 'oem', string> | undefined;

        async function cycle(killAfter: number, byMail: boolean): Promise<void> {
          dbg(`cycle start killAfter=${killAfter}`);
          const server = await startServe(env);
          dbg(`started ${server.url}`);
          const exited = new Promise<void>((resolve) => {
            server.child.once('exit', () => {
              resolve();
            });
          });
          // Signed in once: the sessions are rows, and outlive every kill like the rest.
          cookies ??= {
            customer: await signIn(server.url, 'customer'),
            support: await signIn(server.url, 'support'),
            technician: await signIn(server.url, 'technician'),
            oem: await signIn(server.url, 'oem'),
          };
          const session = cookies;
          dbg('signed in');
          let acks = 0;
          let dead = false;
          const ticker = setInterval(() => {
            dbg(
              `acks ${acks} sent ${JSON.stringify(sent)} refused ${refused.length} ${refused.slice(-3).join(',')}`,
            );
          }, 1000);
          const ack = () => {
            acks += 1;
            if (dead || acks < killAfter) return;
            if (!byMail) {
              dead = true;
              server.child.kill('SIGKILL');
              return;
            }
            // Killed by the mail server: the next message it takes, it keeps, and before answering
            // "250 OK" it waits for the sender to die — sent, but the mark never committed.
            sink.onReceived.now ??= async (mail) => {
              sink.onReceived.now = undefined;
              if (dead) return;
              dead = true;
              killedMidSend.push(messageIdOf(mail.raw)?.split('@')[0] ?? '(no Message-ID)');
              server.child.kill('SIGKILL');
              await exited;
            };
          };
          // A load that never reaches its count is killed anyway.
          const deadline = setTimeout(() => {
            dead = true;
            server.child.kill('SIGKILL');
          }, 30_000);
          const call = async (
            who: keyof typeof session,
            method: 'GET' | 'POST',
            url: string,
            body?: object,
            headers: Record<string, string> = {},
          ): Promise<{ status: number; json: Record<string, unknown> } | undefined> => {
            try {
              const res = await fetch(`${server.url}${url}`, {
                method,
                headers: {
                  origin: ORIGIN,
                  cookie: session[who],
                  ...(body ? { 'content-type': 'application/json' } : {}),
                  ...headers,
                },
                body: body ? JSON.stringify(body) : null,
              });
              const json = (await res.json()) as Record<string, unknown>;
              if (res.status >= 500)
                unexpected.push(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
              return { status: res.status, json };
            } catch {
              // The server died under it: no answer, so the request may or may not have happened.
              return undefined;
            }
          };

          const customerWorker = async () => {
            while (!dead) {
              const older = sent.claims % 2 === 0;
              const key = randomUUID();
              const body = {
                purchaseId: older ? olderPurchase : recentPurchase,
                cause: 'quality',
                description: `crash load ${key}`,
              };
              sent.claims += 1;
              const res = await call('customer', 'POST', '/api/v1/claims', body, { 'idempotency-key': key });
              if (res?.status === 201) {
                const id = String(res.json.id);
                ackedClaims.set(key, { id, body });
                if (older) toIssue.push(id);
                ack();
              } else if (res) refused.push(`claim ${res.status}`);
            }
          };
          const supportWorker = async () => {
            while (!dead) {
              const claimId = toIssue.shift();
              if (!claimId) {
                await sleep(10);
                continue;
              }
              sent.issues += 1;
              const res = await call('support', 'POST', `/api/v1/claims/${claimId}/maintenance-order`, {
                mode: 'walk_in',
                location: { cityId: 'shenzhen' },
              });
              if (res?.status === 201) {
                const id = String(res.json.id);
                ackedOrders.set(id, claimId);
                openOrders.push(id);
                ack();
              } else if (res)
                refused.push(
                  `issue ${res.status} ${String((res.json.error as { code?: string } | undefined)?.code)}`,
                );
            }
          };
          const technicianWorker = async () => {
            while (!dead) {
              const orderId = openOrders.shift();
              if (!orderId) {
                await sleep(10);
                continue;
              }
              // Read it first: a move whose answer was lost in a kill may have happened.
              const read = await call('technician', 'GET', `/api/v1/maintenance-orders/${orderId}`);
              if (read?.status !== 200) {
                openOrders.push(orderId);
                continue;
              }
              const state = read.json.state as MaintenanceState;
              const version = Number(read.json.version);
              const to = REPAIR_PATH[REPAIR_PATH.indexOf(state) + 1];
              if (!to) continue; // closed
              sent.moves += 1;
              const res = await call(
                'technician',
                'POST',
                `/api/v1/maintenance-orders/${orderId}/transitions`,
                {
                  to,
                  expectedVersion: version,
                },
              );
              if (res?.status === 200) {
                ackedMoves.push({ orderId, to, version: version + 1 });
                ack();
              } else if (res) refused.push(`move ${res.status}`);
              openOrders.push(orderId);
            }
          };
          const oemWorker = async () => {
            while (!dead && sent.reports < MAX_REPORTS) {
              sent.reports += 1;
              const res = await call('oem', 'POST', `/api/v1/oem-orders/${oemOrderId}/defect-reports`, {
                units: 1,
                failureMode: FAILURE,
              });
              if (res?.status === 201) {
                ackedReports.push(String(res.json.id));
                ack();
              } else if (res) refused.push(`report ${res.status}`);
            }
          };
          await Promise.all([
            customerWorker(),
            customerWorker(),
            supportWorker(),
            technicianWorker(),
            technicianWorker(),
            oemWorker(),
          ]);
          clearTimeout(deadline);
          clearInterval(ticker);
          dbg('workers done');
          await exited;
          dbg(`exited ${server.output().slice(-2000)}`);
        }

        const acked = () => ackedClaims.size + ackedOrders.size + ackedMoves.length + ackedReports.length;
        for (let kill = 0; kill < KILLS; kill++) {
          const before = acked();
          // Every other kill falls between a message's send and its mark; the rest anywhere in the load.
          await cycle(15 + Math.floor(Math.random() * 40), kill % 2 === 1);
          expect(acked(), `cycle ${kill + 1} made progress`).toBeGreaterThan(before);
          console.info(
            `crash consistency (${name}): SIGKILL ${kill + 1} of ${KILLS}, ${acked()} acknowledged so far`,
          );
        }

        // The last restart: no load, the outbox sent to the end, then a clean stop.
        const last = await startServe(env);
        let finalExcess = 0;
        try {
          if (!cookies) throw new Error('the load signed in');
          const { support, oem, customer } = cookies;
          const pending = async () => {
            const left: { id: string; status: string; attempts: number; lastError: string | null }[] = [];
            for (const status of ['queued', 'retrying']) {
              const res = await fetch(`${last.url}/api/v1/messages?status=${status}&limit=200`, {
                headers: { cookie: support },
              });
              expect(res.status).toBe(200);
              left.push(...((await res.json()) as { items: typeof left }).items);
            }
            return left;
          };
          // The load may leave a backlog (a long run writes messages faster than one process sends
          // them): waited out as long as it shrinks, failed after a minute without progress.
          for (let fewest = Infinity, since = Date.now(); ;) {
            const left = await pending();
            if (left.length === 0) break;
            if (left.length < fewest) [fewest, since] = [left.length, Date.now()];
            dbg(`outbox left ${left.length}: ${JSON.stringify(left.slice(0, 3))}`);
            if (Date.now() - since > 60_000) {
              throw new Error(`the outbox stopped being sent: ${JSON.stringify(left.slice(0, 5))}`);
            }
            await sleep(200);
          }
          // Every acknowledged claim replays as itself: its key is there with its claim.
          for (const [key, claim] of [...ackedClaims].slice(0, 50)) {
            const res = await fetch(`${last.url}/api/v1/claims`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                origin: ORIGIN,
                cookie: customer,
                'idempotency-key': key,
              },
              body: JSON.stringify(claim.body),
            });
            expect(res.status, `replay of ${key}`).toBe(200);
            expect(((await res.json()) as { id: string }).id).toBe(claim.id);
          }
          const ledger = await fetch(`${last.url}/api/v1/oem-orders/${oemOrderId}/ledger`, {
            headers: { cookie: oem },
          });
          finalExcess = ((await ledger.json()) as { awaitingQa: number }).awaitingQa;
        } finally {
          expect(await stop(last.child)).toBe(0);
        }

        const db: DatabaseHandle = await open();
        let losses = 0;
        const lost = (what: string) => {
          losses += 1;
          return what;
        };
        try {
          const audited = async (action: string, ids: readonly string[]) =>
            new Set(
              ids.length === 0
                ? []
                : (
                    await db.db
                      .select({ id: auditEvents.entityId })
                      .from(auditEvents)
                      .where(and(eq(auditEvents.action, action), inArray(auditEvents.entityId, [...ids])))
                  ).map((a) => a.id),
            );

          // Claims: every acknowledged one is there; every one there has its audit event and its message.
          // The load's claims (the demo's seeded repairs have claims of their own, written by the seed).
          const storedClaims = await db.db
            .select({ id: claims.id })
            .from(claims)
            .where(like(claims.description, 'crash load %'));
          const claimIds = new Set(storedClaims.map((c) => c.id));
          for (const { id } of ackedClaims.values()) if (!claimIds.has(id)) expect.fail(lost(`claim ${id}`));
          const loadClaims = storedClaims.map((c) => c.id);
          expect(await audited('claim.submitted', loadClaims)).toEqual(claimIds);
          const received = await db.db
            .select({ claimId: sql<string>`${outbox.payload}->>'claimId'` })
            .from(outbox)
            .where(eq(outbox.topic, 'claim.received'));
          expect(
            received
              .map((m) => m.claimId)
              .filter((id) => claimIds.has(id))
              .sort(),
          ).toEqual([...claimIds].sort());

          // Maintenance orders: issued ones whole; every move in the timeline, the audit trail and the
          // customer's messages exactly once, and every acknowledged move among them.
          const orders = (await db.db.select().from(maintenanceOrders)).filter((o) =>
            claimIds.has(o.claimId),
          );
          const orderIds = new Set(orders.map((o) => o.id));
          for (const id of ackedOrders.keys()) if (!orderIds.has(id)) expect.fail(lost(`order ${id}`));
          expect(await audited('maintenance_order.issued', [...orderIds])).toEqual(orderIds);
          const events = await db.db.select().from(maintenanceOrderEvents);
          const moved = await db.db
            .select({ id: auditEvents.entityId, data: auditEvents.data })
            .from(auditEvents)
            .where(eq(auditEvents.action, 'maintenance_order.moved'));
          const movedKeys = moved.map((m) => `${m.id} ${String(m.data.to)} ${String(m.data.version)}`);
          expect(new Set(movedKeys).size).toBe(movedKeys.length);
          for (const m of ackedMoves) {
            if (!movedKeys.includes(`${m.orderId} ${m.to} ${m.version}`))
              expect.fail(lost(`move ${JSON.stringify(m)}`));
          }
          const messages = await db.db
            .select({ topic: outbox.topic, orderId: sql<string>`${outbox.payload}->>'maintenanceOrderId'` })
            .from(outbox)
            .where(like(outbox.topic, 'maintenance_order.%'));
          for (const order of orders) {
            const timeline = events.filter((e) => e.orderId === order.id);
            const audits = moved.filter((m) => m.id === order.id);
            expect(timeline.map((e) => e.toState).sort()).toEqual(
              ['issued', ...REPAIR_PATH.slice(0, order.version - 1)].sort(),
            );
            expect(audits).toHaveLength(order.version - 1);
            const told = messages.filter((m) => m.orderId === order.id).map((m) => m.topic.split('.')[1]);
            const owed = ['issued', ...REPAIR_PATH.slice(0, order.version - 1)].filter((s) =>
              ['issued', 'received', 'repaired', 'returned'].includes(s),
            );
            expect(told.sort()).toEqual(owed.sort());
          }

          // Defect reports: every acknowledged one there, each audited, and QA told of each unit beyond the
          // spares waiting for its review once (it grows by one with every report: no step missing, none twice).
          const reports = await db.db
            .select({ id: oemDefectReports.id })
            .from(oemDefectReports)
            .where(and(eq(oemDefectReports.orderId, oemOrderId), eq(oemDefectReports.failureMode, FAILURE)));
          const reportIds = new Set(reports.map((r) => r.id));
          for (const id of ackedReports) if (!reportIds.has(id)) expect.fail(lost(`report ${id}`));
          expect(await audited('oem_defect.reported', [...reportIds])).toEqual(reportIds);
          const load = reports.length;
          const excessTold = await db.db
            .select({ excess: sql<number>`(${outbox.payload}->>'awaitingQa')::int` })
            .from(outbox)
            .where(
              and(
                eq(outbox.topic, 'oem_defects.awaiting_review'),
                eq(outbox.recipient, 'role:qa'),
                sql`${outbox.payload}->>'orderId' = ${oemOrderId}`,
              ),
            );
          const seededExcess = finalExcess - load;
          expect(excessTold.map((m) => m.excess).sort((a, b) => a - b)).toEqual(
            Array.from({ length: load }, (_, i) => seededExcess + 1 + i),
          );

          // The outbox, as the mail server saw it: every e-mail row sent, each row's Message-ID received,
          // nothing that is not a row's, and a copy only where a kill fell between a send and its mark.
          const emails = await db.db
            .select({ id: outbox.id, sentAt: outbox.sentAt, attempts: outbox.attempts })
            .from(outbox)
            .where(like(outbox.recipient, '%@%'));
          expect(emails.filter((e) => e.sentAt === null)).toEqual([]);
          expect(emails.every((e) => e.attempts < MAX_OUTBOX_ATTEMPTS)).toBe(true);
          const deliveries = new Map<string, number>();
          for (const mail of smtp.received) {
            const id = messageIdOf(mail.raw)?.split('@')[0] ?? `(none) ${mail.raw.slice(0, 80)}`;
            deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
          }
          const rowIds = new Set(emails.map((e) => e.id));
          expect([...deliveries.keys()].filter((id) => !rowIds.has(id))).toEqual([]);
          expect([...rowIds].filter((id) => !deliveries.has(id))).toEqual([]);
          const copies = [...deliveries.values()].reduce((s, n) => s + n - 1, 0);
          expect(copies).toBeLessThanOrEqual(KILLS);
          // The messages whose "250 OK" never reached the killed sender went again, as the same message.
          for (const id of killedMidSend) expect(deliveries.get(id), `copies of ${id}`).toBe(2);

          expect(unexpected).toEqual([]);
          expect(losses).toBe(0);
          const total = sent.claims + sent.issues + sent.moves + sent.reports;
          console.info(
            `crash consistency (${name}): ${total} requests sent (claims ${sent.claims}, orders ${sent.issues}, ` +
              `moves ${sent.moves}, reports ${sent.reports}), ${acked()} acknowledged, ${refused.length} refused, ` +
              `${KILLS} kills survived; stored ${claimIds.size} claims, ${orders.length} orders, ${moved.length} moves, ` +
              `${load} reports; ${emails.length} e-mails sent, ${smtp.received.length} received ` +
              `(${copies} copies after a kill, deduplicated by Message-ID); losses ${losses}`,
          );
        } finally {
          await db.close();
        }
      },
      TIMEOUT_MS,
    );
  },
);
