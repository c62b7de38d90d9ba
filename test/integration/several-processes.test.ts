import { type ChildProcess, execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { auditEvents, claims, maintenanceOrders, outbox } from '../../src/db/schema.js';
import { calendarDateIn, Temporal } from '../../src/domain/calendar.js';
import { defaultRiskSettings } from '../../src/domain/risk/signals.js';
import { createScratchPostgresDatabase } from '../support/databases.js';
import { startRoundRobin, startTcpProxy } from '../support/proxies.js';
import { bin, root, startServe, stop } from '../support/serve-process.js';
import { prepareLoadTargets, SERVE_ORIGIN, signInOverHttp, type LoadTargets } from '../support/serve-load.js';
import { startSmtpServer } from '../support/smtp.js';

/*
 * Issue 18, "Several processes, and failures around them", on PostgreSQL (the only database several
 * processes can share):
 *
 * 1. Three `aftersales serve` processes behind a round-robin balancer: a session made on one works on
 *    every one; under a load of claims and maintenance orders one process is killed with SIGKILL and the
 *    others carry on; afterwards every acknowledged request is stored whole, each job's work was done
 *    once (one escalation per missed commitment, however many processes ran the job) and each e-mail
 *    reached the mail server once (deduplicated by Message-ID: at most one copy, from the kill).
 * 2. PostgreSQL out of reach under load (every connection dropped, new ones refused — the test cuts a
 *    proxy in front of it, so the suite's own PostgreSQL keeps running): requests fail fast with 503
 *    and Retry-After, never hang past 5 s; /readyz says not ready while /healthz says the process is
 *    up; nothing is half-written; and once the database is back the same process serves again by itself.
 */

const run = promisify(execFile);
/** The `aftersales` processes whose parent is `pid`, from /proc (Linux, as CI is). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // The parent is the fourth field, after the command in parentheses (which may hold spaces).
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) return false;
        // Not the TypeScript loader's esbuild service, which is a child too when run from the sources.
        return readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('aftersales');
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
}
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
const url = process.env.TEST_DATABASE_URL;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const messageIdOf = (raw: string) => /^Message-ID:\s*<([^>]+)>/im.exec(raw)?.[1]?.split('@')[0];

type Answer = { status: number; json: Record<string, unknown>; ms: number; retryAfter: string | null };

async function call(
  base: string,
  cookie: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: object,
  headers: Record<string, string> = {},
): Promise<Answer | undefined> {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        origin: SERVE_ORIGIN,
        cookie,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : null,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = { text };
    }
    return {
      status: res.status,
      json,
      ms: performance.now() - started,
      retryAfter: res.headers.get('retry-after'),
    };
  } catch {
    return undefined;
  }
}

/** Migrates and seeds a scratch database with the demo, and gives the load its purchases. */
async function seededDatabase(env: NodeJS.ProcessEnv): Promise<LoadTargets> {
  await run(process.execPath, [bin, 'seed'], { cwd: root, env });
  const setup = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: '' });
  try {
    return await prepareLoadTargets(setup);
  } finally {
    await setup.close();
  }
}

/** Every claim stored has its audit event and its "received" message: none is half there. */
async function expectClaimsWhole(
  db: DatabaseHandle,
  acknowledged: Iterable<string>,
  description: string,
): Promise<number> {
  // The load's claims, told by their description (the demo's seeded repairs have claims of their own).
  const stored = new Set(
    (
      await db.db
        .select({ id: claims.id })
        .from(claims)
        .where(like(claims.description, `${description}%`))
    ).map((c) => c.id),
  );
  for (const id of acknowledged) expect(stored.has(id), `acknowledged claim ${id} is stored`).toBe(true);
  const audited = await db.db
    .select({ id: auditEvents.entityId })
    .from(auditEvents)
    .where(eq(auditEvents.action, 'claim.submitted'));
  expect(new Set(audited.map((a) => a.id).filter((id) => stored.has(id)))).toEqual(stored);
  const received = await db.db
    .select({ claimId: sql<string>`${outbox.payload}->>'claimId'` })
    .from(outbox)
    .where(eq(outbox.topic, 'claim.received'));
  expect(
    received
      .map((m) => m.claimId)
      .filter((id) => stored.has(id))
      .sort(),
  ).toEqual([...stored].sort());
  return stored.size;
}

describe.skipIf(!url)('several processes on one PostgreSQL, and PostgreSQL going away', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('three processes behind a balancer: sessions anywhere, a SIGKILL loses nothing, jobs and mail once', async () => {
    if (!url) throw new Error('TEST_DATABASE_URL');
    const scratch = await createScratchPostgresDatabase(url);
    cleanups.push(() => scratch.drop());
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const env = {
      ...process.env,
      DATABASE_URL: scratch.url,
      SEED_DEMO_DATA: 'true',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PUBLIC_URL: SERVE_ORIGIN,
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      SMTP_URL: smtp.url,
      OUTBOX_INTERVAL_SECONDS: '0.2',
      DEADLINE_JOB_INTERVAL_SECONDS: '1',
    };
    const { recentPurchase, olderPurchase } = await seededDatabase(env);
    const servers = await Promise.all([startServe(env), startServe(env), startServe(env)]);
    for (const s of servers) cleanups.push(() => (alive(s.child) ? stop(s.child) : Promise.resolve()));
    const balancer = await startRoundRobin(servers.map((s) => s.url));
    cleanups.push(() => balancer.close());

    // A session made through one process works on each of them.
    const customer = await signInOverHttp(balancer.url, 'customer');
    const support = await signInOverHttp(balancer.url, 'support');
    // One customer reports many claims here: the frequent-claims flag would hold every order for review.
    const admin = await signInOverHttp(balancer.url, 'admin');
    const relaxed = await call(balancer.url, admin, 'PUT', '/api/v1/settings/risk', {
      ...defaultRiskSettings,
      maxClaimsPer12Months: 1000,
    });
    expect(relaxed?.status, JSON.stringify(relaxed?.json)).toBe(200);
    const servedBy = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${balancer.url}/api/v1/me`, { headers: { cookie: customer } });
      expect(res.status).toBe(200);
      servedBy.add(res.headers.get('x-served-by') ?? '');
    }
    expect(servedBy).toEqual(new Set(['0', '1', '2']));

    // Load: customers report claims (half on the year-old panel), support issues orders for those.
    const ackedClaims = new Map<string, string>(); // id → Idempotency-Key
    const toIssue: string[] = [];
    const ackedOrders: string[] = [];
    const unexpected: string[] = [];
    let stopLoad = false;
    let sent = 0;
    const victim = servers[1];
    const customerWorker = async () => {
      while (!stopLoad) {
        const older = sent++ % 2 === 0;
        const key = randomUUID();
        const res = await call(
          balancer.url,
          customer,
          'POST',
          '/api/v1/claims',
          {
            purchaseId: older ? olderPurchase : recentPurchase,
            cause: 'quality',
            description: `balanced ${key}`,
          },
          { 'idempotency-key': key },
        );
        if (res?.status === 201) {
          ackedClaims.set(String(res.json.id), key);
          if (older) toIssue.push(String(res.json.id));
        } else if (res && res.status !== 502)
          unexpected.push(`claim ${res.status} ${JSON.stringify(res.json)}`);
      }
    };
    const supportWorker = async () => {
      while (!stopLoad || toIssue.length > 0) {
        const claimId = toIssue.shift();
        if (!claimId) {
          await sleep(10);
          continue;
        }
        const res = await call(balancer.url, support, 'POST', `/api/v1/claims/${claimId}/maintenance-order`, {
          mode: 'walk_in',
          location: { cityId: 'shenzhen' },
        });
        if (res?.status === 201) ackedOrders.push(String(res.json.id));
        else if (res?.status === 502) toIssue.push(claimId);
        else if (res) unexpected.push(`order ${res.status} ${JSON.stringify(res.json)}`);
      }
    };
    const killer = async () => {
      while (ackedClaims.size < 30) await sleep(20);
      victim.child.kill('SIGKILL');
      const before = ackedClaims.size;
      // The two left carry the load on.
      while (ackedClaims.size < before + 30) await sleep(20);
      stopLoad = true;
    };
    await Promise.all([customerWorker(), customerWorker(), customerWorker(), supportWorker(), killer()]);
    expect(unexpected).toEqual([]);
    expect(victim.child.signalCode).toBe('SIGKILL');
    expect(ackedOrders.length).toBeGreaterThan(0);

    const db = await openDatabase({ databaseUrl: scratch.url, dataDir: '' });
    cleanups.push(() => db.close());

    // The technician receives every order through the balancer; then time is moved on (the order
    // was received three days ago, and its commitment fell due yesterday). The deadline job runs every second in each of the two
    // processes left, and each order is escalated to support once.
    const technician = await signInOverHttp(balancer.url, 'technician');
    const today = calendarDateIn(Temporal.Now.instant(), 'Asia/Shanghai');
    for (const id of ackedOrders) {
      const moved = await call(
        balancer.url,
        technician,
        'POST',
        `/api/v1/maintenance-orders/${id}/transitions`,
        {
          to: 'received',
          expectedVersion: 1,
        },
      );
      expect(moved?.status, JSON.stringify(moved?.json)).toBe(200);
    }
    await db.db
      .update(maintenanceOrders)
      .set({
        receivedOn: today.subtract({ days: 3 }).toString(),
        dueOn: today.subtract({ days: 1 }).toString(),
      })
      .where(inArray(maintenanceOrders.id, ackedOrders));
    const escalations = async () =>
      db.db
        .select({ orderId: sql<string>`${outbox.payload}->>'maintenanceOrderId'` })
        .from(outbox)
        .where(eq(outbox.topic, 'maintenance_order.commitment_missed'));
    const escalatedLoad = async () =>
      (await escalations()).filter((e) => ackedOrders.includes(e.orderId)).length;
    for (let waited = 0; (await escalatedLoad()) < ackedOrders.length; waited += 200) {
      if (waited > 30_000) throw new Error('the deadline job did not escalate every order');
      await sleep(200);
    }
    await sleep(2500); // two more runs in each process: none may escalate again
    // The load's orders, each once (a seeded demo repair may fall due too, and be escalated once).
    const loadEscalations = (await escalations())
      .map((e) => e.orderId)
      .filter((id) => ackedOrders.includes(id));
    expect(loadEscalations.sort()).toEqual([...ackedOrders].sort());
    const escalatedAudits = await db.db
      .select({ id: auditEvents.entityId })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'maintenance_order.commitment_escalated')));
    expect(
      escalatedAudits
        .map((a) => a.id)
        .filter((id) => ackedOrders.includes(id))
        .sort(),
    ).toEqual([...ackedOrders].sort());

    // Whole: every acknowledged claim and order, each with its audit event and messages.
    await expectClaimsWhole(db, ackedClaims.keys(), 'balanced ');
    const orders = await db.db.select({ id: maintenanceOrders.id }).from(maintenanceOrders);
    for (const id of ackedOrders) expect(orders.map((o) => o.id)).toContain(id);

    // Mail: every e-mail row sent, each Message-ID received, at most one copy (the one kill).
    const emailsLeft = async () =>
      db.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(like(outbox.recipient, '%@%'), sql`${outbox.sentAt} is null`));
    for (let waited = 0; (await emailsLeft()).length > 0; waited += 200) {
      if (waited > 60_000) throw new Error('the outbox was not sent');
      await sleep(200);
    }
    const emails = await db.db.select({ id: outbox.id }).from(outbox).where(like(outbox.recipient, '%@%'));
    const deliveries = new Map<string, number>();
    for (const mail of smtp.received) {
      const id = messageIdOf(mail.raw) ?? '(none)';
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    }
    expect([...deliveries.keys()].sort()).toEqual(emails.map((e) => e.id).sort());
    const copies = [...deliveries.values()].reduce((s, n) => s + n - 1, 0);
    expect(copies).toBeLessThanOrEqual(1);
    console.info(
      `several processes: ${ackedClaims.size} claims and ${ackedOrders.length} orders acknowledged through ` +
        `3 processes (served ${balancer.served.join('/')}), one SIGKILLed; ${emails.length} e-mails, ` +
        `${copies} copies; ${ackedOrders.length} escalations, once each`,
    );
  }, 180_000);

  it('PostgreSQL out of reach under load: 503 with Retry-After within 5 s, /readyz not ready, recovers by itself, nothing half-written', async () => {
    if (!url) throw new Error('TEST_DATABASE_URL');
    const scratch = await createScratchPostgresDatabase(url);
    cleanups.push(() => scratch.drop());
    const seedEnv = { ...process.env, DATABASE_URL: scratch.url, SEED_DEMO_DATA: 'true' };
    const { recentPurchase } = await seededDatabase(seedEnv);
    const real = new URL(scratch.url);
    const proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    cleanups.push(() => proxy.close());
    const viaProxy = new URL(scratch.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const server = await startServe({
      ...seedEnv,
      DATABASE_URL: viaProxy.toString(),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      PUBLIC_URL: SERVE_ORIGIN,
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      OUTBOX_INTERVAL_SECONDS: '0.5',
    });
    cleanups.push(() => (alive(server.child) ? stop(server.child) : Promise.resolve()));
    const customer = await signInOverHttp(server.url, 'customer');

    type Outcome = Answer & { phase: 'before' | 'down' | 'after'; key: string };
    const outcomes: Outcome[] = [];
    const noAnswer: string[] = [];
    let phase: Outcome['phase'] = 'before';
    let stopLoad = false;
    const worker = async () => {
      while (!stopLoad) {
        const key = randomUUID();
        const started = phase;
        const res = await call(
          server.url,
          customer,
          'POST',
          '/api/v1/claims',
          { purchaseId: recentPurchase, cause: 'quality', description: `outage ${key}` },
          { 'idempotency-key': key },
        );
        if (res) outcomes.push({ ...res, phase: started, key });
        else noAnswer.push(key);
        const read = await call(server.url, customer, 'GET', '/api/v1/claims?limit=5');
        if (read) outcomes.push({ ...read, phase: started, key: '' });
        else noAnswer.push('read');
        if (phase === 'down') await sleep(50);
      }
    };
    const load = Promise.all([worker(), worker(), worker(), worker()]);
    while (outcomes.filter((o) => o.status === 201).length < 20) await sleep(20);

    await proxy.cut();
    phase = 'down';
    await sleep(4000);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const downAnswers = outcomes.filter((o) => o.phase === 'down');
    expect(downAnswers.length).toBeGreaterThan(4);

    await proxy.restore();
    phase = 'after';
    // The same process serves again, without a restart.
    for (let waited = 0; (await fetch(`${server.url}/readyz`)).status !== 200; waited += 100) {
      if (waited > 10_000) throw new Error('not ready again after the database came back');
      await sleep(100);
    }
    const recovered = () => outcomes.filter((o) => o.phase === 'after' && o.status === 201).length;
    while (recovered() < 10) await sleep(20);
    stopLoad = true;
    await load;

    expect(noAnswer).toEqual([]);
    // Never a hang: every answer, while the database was away too, within 5 s.
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(5000);
    // While it was away: only successes that finished first, or 503 DATABASE_UNAVAILABLE with Retry-After.
    const failures = outcomes.filter((o) => o.status >= 400);
    for (const f of failures) {
      expect(f.status, JSON.stringify(f.json)).toBe(503);
      expect((f.json.error as { code?: string } | undefined)?.code).toBe('DATABASE_UNAVAILABLE');
      expect(f.retryAfter).toBe('5');
    }
    expect(failures.length).toBeGreaterThan(0);

    // Nothing half-written: every claim stored is whole, every acknowledged one stored; a claim refused
    // with 503 is either not there or there whole, and its Idempotency-Key replays it as itself.
    const db = await openDatabase({ databaseUrl: scratch.url, dataDir: '' });
    cleanups.push(() => db.close());
    const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => String(o.json.id));
    const stored = await expectClaimsWhole(db, acknowledged, 'outage ');
    for (const f of failures.filter((o) => o.key)) {
      const replay = await call(
        server.url,
        customer,
        'POST',
        '/api/v1/claims',
        { purchaseId: recentPurchase, cause: 'quality', description: `outage ${f.key}` },
        { 'idempotency-key': f.key },
      );
      expect([200, 201]).toContain(replay?.status);
    }
    console.info(
      `database outage: ${outcomes.length} answers, ${failures.length} × 503 while away, slowest ` +
        `${Math.round(Math.max(...outcomes.map((o) => o.ms)))} ms; ${stored} claims stored, all whole`,
    );
  }, 120_000);

  it('serve --workers 2: one port, a scrape that sums both workers, a dead worker replaced, a clean stop', async () => {
    if (!url) throw new Error('TEST_DATABASE_URL');
    const scratch = await createScratchPostgresDatabase(url);
    cleanups.push(() => scratch.drop());
    const token = 'a-metrics-token-of-24-characters-or-more';
    const server = await startServe({
      DATABASE_URL: scratch.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      WORKERS: '2',
      METRICS_TOKEN: token,
    });
    cleanups.push(() => (alive(server.child) ? stop(server.child) : Promise.resolve()));
    expect(server.output()).toContain('2 worker processes');
    const workers = () => Promise.resolve(childrenOf(server.child.pid ?? 0));
    expect(await workers()).toHaveLength(2);

    // Twenty requests over fresh connections land on both workers; the scrape counts all twenty.
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } });
      expect(res.status).toBe(200);
    }
    const scrape = async () => {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return res.text();
    };
    const healthz = (text: string) =>
      Number(
        /aftersales_http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*\} (\d+)/.exec(text)?.[1],
      );
    expect(healthz(await scrape())).toBe(20);
    // A database-wide figure is the database's, not the sum over workers.
    expect(await scrape()).toMatch(/aftersales_database_info\{kind="postgres"\} 1\b/);

    // A worker killed is replaced, and the port keeps answering meanwhile: the other worker takes the
    // new connections (one handed to the dying worker in that instant may be reset, as with any crash).
    const [first] = await workers();
    const t0 = Date.now();
    process.kill(first ?? 0, 'SIGKILL');
    let answered = 0;
    for (let waited = 0; waited < 2000 || !server.output().includes('starting another'); waited += 100) {
      if (waited > 30_000) throw new Error(`no replacement worker: ${JSON.stringify(await workers())}`);
      const res = await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } }).catch(
        () => undefined,
      );
      if (res?.status === 200) answered += 1;
      await sleep(100);
    }
    expect(await workers()).toHaveLength(2);
    expect(await workers()).not.toContain(first);
    for (let i = 0; i < 10; i++) {
      expect((await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } })).status).toBe(200);
    }
    expect(server.output()).toContain('starting another');
    expect(answered).toBeGreaterThan(0);

    // SIGTERM to the primary stops every worker and exits 0.
    console.info(
      `serve --workers 2: a worker SIGKILLed and a replacement started; ${answered} answers in the ${Date.now() - t0} ms after the kill`,
    );
    const left = await workers();
    expect(await stop(server.child)).toBe(0);
    for (const pid of left) expect(() => process.kill(pid, 0)).toThrow();
  }, 240_000);
});
