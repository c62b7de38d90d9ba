import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { maintenanceOrders, outbox, serviceCenters } from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { buildTestApp, TEST_NOW } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { claimOn, insertOrder, wangFangPurchase } from '../support/maintenance.js';

/*
 * Issue 18 item 6: GET /metrics in Prometheus' text format, only for whoever holds METRICS_TOKEN:
 * request latency by route template and status, the jobs' runs, the outbox backlog, commitments, the
 * database pool and the process's own figures.
 */

const TOKEN = 'metrics-token-of-at-least-24-chars';

/** The value of one series in the text format, e.g. `aftersales_outbox_unsent_messages`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(testDatabases())('metrics on $name', (testDb) => {
  let db: DatabaseHandle;
  let app: FastifyInstance;
  let without: FastifyInstance;

  beforeAll(async () => {
    db = await testDb.open();
    await seedDemoData(db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    app = await buildTestApp(db, { METRICS_TOKEN: TOKEN });
    without = await buildTestApp(db);
  });
  afterAll(async () => {
    await without.close();
    await app.close();
    await db.close();
  });

  const scrape = async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.body;
  };

  it('does not exist without a token, and refuses a wrong one', async () => {
    const w = await without.inject({ method: 'GET', url: '/metrics' });
    expect(w.statusCode, w.body.slice(0, 300)).toBe(404);
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, TOKEN]) {
      const res = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(res.statusCode, String(authorization)).toBe(401);
    }
  });

  it('times requests by route template and status, never by raw URL', async () => {
    await app.inject({ method: 'GET', url: '/healthz' });
    const id = randomUUID();
    const missing = await app.inject({ method: 'GET', url: `/api/v1/policies/${id}` });
    expect(missing.statusCode).toBe(404);
    const text = await scrape();
    expect(text).toMatch(
      /aftersales_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /aftersales_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/policies\/:id",status_code="404"\} 1/,
    );
    expect(text).not.toContain(id);
  });

  it('counts the jobs’ runs, the outbox backlog, commitments, the pool and the process', async () => {
    // Two orders under commitment: one late (due yesterday), one due tomorrow, both uncontacted.
    const [center] = await db.db.select({ id: serviceCenters.id }).from(serviceCenters).limit(1);
    for (const dueOn of ['2026-11-24', '2026-11-26']) {
      await insertOrder(db.db, {
        claimId: await claimOn(app, db.db, await wangFangPurchase(db.db)),
        serviceCenterId: center?.id ?? '',
        mode: 'mail_in',
        state: 'repairing',
        receivedOn: '2026-11-20',
        dueOn,
      });
    }
    // The job's first run starts when the server is ready and ends a moment later.
    await expect.poll(scrape).toMatch(/aftersales_job_runs_total\{job="counter_purge",outcome="ok"\} [1-9]/);
    const before = await scrape();
    const unsent = sample(before, 'aftersales_outbox_unsent_messages') ?? -1;
    await db.db
      .insert(outbox)
      .values({ topic: 'test', recipient: 'someone@example.com', subject: 'Hi', body: 'Hello' });
    // A role's inbox is never e-mailed: it is no backlog.
    await db.db
      .insert(outbox)
      .values({ topic: 'test', recipient: 'role:support', subject: 'Hi', body: 'Hello' });
    const after = await scrape();
    expect(sample(after, 'aftersales_outbox_unsent_messages')).toBe(unsent + 1);
    expect(sample(after, 'aftersales_outbox_oldest_unsent_age_seconds')).toBeGreaterThanOrEqual(0);
    // The orders under commitment, counted here from every order, against the store's today.
    const today = TEST_NOW.toZonedDateTimeISO('Asia/Shanghai').toPlainDate().toString();
    const held = (await db.db.select().from(maintenanceOrders)).filter(
      (o) =>
        ['received', 'diagnosing', 'repairing'].includes(o.state) &&
        o.contactedOn === null &&
        o.returnedOn === null,
    );
    expect(held.length).toBeGreaterThan(0);
    expect(sample(after, 'aftersales_commitments{state="missed"}')).toBe(
      held.filter((o) => (o.dueOn ?? '') < today).length,
    );
    expect(sample(after, 'aftersales_commitments{state="due"}')).toBe(
      held.filter((o) => (o.dueOn ?? '') >= today).length,
    );
    expect(sample(after, `aftersales_database_info{kind="${db.kind}"}`)).toBe(1);
    if (db.kind === 'postgres') {
      expect(sample(after, 'aftersales_db_pool_connections{state="waiting"}')).toBe(0);
    }
    expect(sample(after, 'aftersales_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after).toContain('aftersales_nodejs_eventloop_lag_p99_seconds');
  });
});
