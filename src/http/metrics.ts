import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { clusterMetrics } from './cluster.js';
import { driverOf } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import { calendarDateIn } from '../domain/calendar.js';

/*
 * What an operator watches, in Prometheus' text format at GET /metrics (behind METRICS_TOKEN): request
 * latency by route and status, the database pool, the outbox's backlog, the jobs' runs and failures,
 * service commitments due and missed, and the process (memory, event-loop delay, GC) from prom-client's
 * defaults. docs/operations.md has the example alerts.
 *
 * Counters and histograms are this process's; the gauges read from the database (backlog,
 * commitments) are the same on every process, so alert on max() of them, not sum().
 */

export type JobOutcome = 'ok' | 'failed';

export interface AppMetrics {
  registry: Registry;
  jobRun(job: string, outcome: JobOutcome, seconds: number): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: AppMetrics;
  }
}

/** Buckets for an API: most answers in milliseconds, uploads and exports in seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function registerMetrics(
  app: FastifyInstance,
  options: { token: string | undefined; storeTimeZone: string },
): void {
  // One registry per server, not prom-client's global one: tests run several servers in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aftersales_' });

  const requests = new Histogram({
    name: 'aftersales_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template, method and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'aftersales_job_runs_total',
    help: 'Runs of each background job on this process, by outcome',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  const jobSeconds = new Histogram({
    name: 'aftersales_job_duration_seconds',
    help: 'How long each background job run took on this process',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [registry],
  });

  const kind = app.db.kind;
  new Gauge({
    name: 'aftersales_db_pool_connections',
    help: 'Database connections of this process: in use, idle, and requests waiting for one (PostgreSQL)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const driver = driverOf(app.db);
      if (driver.kind !== 'postgres') return;
      const { totalCount, idleCount, waitingCount } = driver.pool;
      this.set({ state: 'in_use' }, totalCount - idleCount);
      this.set({ state: 'idle' }, idleCount);
      this.set({ state: 'waiting' }, waitingCount);
    },
  });
  new Gauge({
    name: 'aftersales_database_info',
    help: 'Which database this process uses (1 for its kind)',
    labelNames: ['kind'] as const,
    registers: [registry],
    // The same figure in every worker of a cluster: summed over workers it would be N times too big.
    aggregator: 'max',
    collect() {
      this.set({ kind }, 1);
    },
  });

  // Read at scrape time from the indexes the dispatcher and the deadline job use themselves.
  new Gauge({
    name: 'aftersales_outbox_unsent_messages',
    help: 'Messages in the outbox not sent yet (role inboxes included: they are never e-mailed)',
    registers: [registry],
    // The same figure in every worker of a cluster: summed over workers it would be N times too big.
    aggregator: 'max',
    async collect() {
      this.set(
        await scalar(
          app,
          sql`select count(*)::int as n from outbox where sent_at is null and recipient not like 'role:%'`,
        ),
      );
    },
  });
  new Gauge({
    name: 'aftersales_outbox_oldest_unsent_age_seconds',
    help: 'Age of the oldest message waiting to be e-mailed (0 when none waits)',
    registers: [registry],
    // The same figure in every worker of a cluster: summed over workers it would be N times too big.
    aggregator: 'max',
    async collect() {
      this.set(
        await scalar(
          app,
          sql`select coalesce(extract(epoch from (now() - min(created_at))), 0)::float8 as n
                from outbox where sent_at is null and recipient not like 'role:%'`,
        ),
      );
    },
  });
  new Gauge({
    name: 'aftersales_webhook_backlog',
    help: 'Webhook deliveries waiting to be sent (due now or retrying later), to enabled endpoints',
    registers: [registry],
    async collect() {
      this.set(
        await scalar(
          app,
          sql`select count(*)::int as n from webhook_deliveries d
                join webhook_endpoints e on e.id = d.endpoint_id and e.status = 'enabled'
               where d.status = 'pending'`,
        ),
      );
    },
  });
  new Gauge({
    name: 'aftersales_webhook_oldest_pending_age_seconds',
    help: 'Age of the oldest webhook delivery not yet delivered to an enabled endpoint (0 when none waits)',
    registers: [registry],
    async collect() {
      const nowIso = app.clock().toString();
      this.set(
        await scalar(
          app,
          sql`select coalesce(extract(epoch from (${nowIso}::timestamptz - min(d.created_at))), 0)::float8 as n
                from webhook_deliveries d
                join webhook_endpoints e on e.id = d.endpoint_id and e.status = 'enabled'
               where d.status = 'pending'`,
        ),
      );
    },
  });
  new Gauge({
    name: 'aftersales_commitments',
    help: 'Maintenance orders held under the service commitment, not yet contacted or returned: due today or later, and missed',
    labelNames: ['state'] as const,
    registers: [registry],
    // The same figure in every worker of a cluster: summed over workers it would be N times too big.
    aggregator: 'max',
    async collect() {
      const today = calendarDateIn(app.clock(), options.storeTimeZone).toString();
      const rows = rowsOf(
        await app.db.db.execute(sql`
          select count(*) filter (where due_on >= ${today})::int as due,
                 count(*) filter (where due_on < ${today})::int as missed
            from maintenance_orders
           where state in ('received', 'diagnosing', 'repairing')
             and contacted_on is null and returned_on is null`),
      );
      this.set({ state: 'due' }, Number(rows[0]?.due ?? 0));
      this.set({ state: 'missed' }, Number(rows[0]?.missed ?? 0));
    },
  });

  app.decorate('metrics', {
    registry,
    jobRun(job, outcome, seconds) {
      jobRuns.inc({ job, outcome });
      jobSeconds.observe({ job }, seconds);
    },
  } satisfies AppMetrics);

  app.addHook('onResponse', async (request, reply) => {
    // The route's template, never the raw URL: ids in paths would make a series per object.
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    requests.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  if (options.token === undefined) return;
  const expected = createHash('sha256').update(`Bearer ${options.token}`).digest();
  const scrape = clusterMetrics(registry);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const given = createHash('sha256')
      .update(request.headers.authorization ?? '')
      .digest();
    // Digests of equal length, compared in constant time: the token is a password.
    if (!timingSafeEqual(given, expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({
          error: { code: 'UNAUTHENTICATED', message: 'send Authorization: Bearer <METRICS_TOKEN>' },
        });
    }
    const { text, contentType } = await scrape();
    return reply.header('content-type', contentType).send(text);
  });
}

async function scalar(app: FastifyInstance, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = rowsOf(await app.db.db.execute(query));
  return Number(row?.n ?? 0);
}
