/*
 * `npm run bench`: how fast the foundation is, against the machine's own floor, on loopback only and in
 * bounded time. Writes bench/results/latest.md. Runs on PGlite always, and on PostgreSQL when
 * DATABASE_URL or TEST_DATABASE_URL is set.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { ensureBuiltInPolicies } from '../src/db/policies.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../src/db/seed.js';
import { Temporal } from '../src/domain/calendar.js';
import { decide } from '../src/domain/policy/evaluate.js';
import { builtInPolicyVersions } from '../src/domain/policy/halotek.js';
import { buildServer } from '../src/http/server.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;

type Load = { rps: number; p50: number; p99: number; errors: number; non2xx: number };

async function load(
  url: string,
  init: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {},
): Promise<Load> {
  const result = await autocannon({
    url,
    method: init.method ?? 'GET',
    body: init.body,
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

function engineDecisionsPerSecond(): number {
  const purchase = Temporal.PlainDate.from('2026-01-02');
  const reports = Array.from({ length: 400 }, (_, i) => purchase.add({ days: i }));
  let n = 0;
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    for (const reportDate of reports) {
      decide(builtInPolicyVersions, {
        customerType: 'end_user',
        purchaseDate: purchase,
        reportDate,
        cause: 'quality',
      });
      n++;
    }
  }
  return Math.round(n / SECONDS);
}

async function bareFloor(): Promise<Load> {
  // The floor: Fastify answering a constant, nothing else, on the same loopback and cores.
  const app = Fastify();
  app.get('/', () => ({ ok: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await load(url);
  } finally {
    await app.close();
  }
}

async function appRoutes(handle: DatabaseHandle): Promise<{ evaluate: Load; readyz: Load; me: Load }> {
  await migrateDatabase(handle);
  await ensureBuiltInPolicies(handle.db);
  await seedDemoData(handle.db, { today: Temporal.Now.plainDateISO('Asia/Shanghai') });
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const app = await buildServer({ db: handle, config, clock: () => Temporal.Now.instant(), logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const body = JSON.stringify({
      customerType: 'end_user',
      purchaseDate: '2026-01-02',
      reportDate: '2026-03-09',
      cause: 'quality',
    });
    const evaluate = await load(`${url}/api/v1/entitlements/evaluate`, { method: 'POST', body });
    const readyz = await load(`${url}/readyz`);
    // A signed-in request: every one resolves its session from the database before the handler runs.
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { origin: config.publicUrl.origin },
      payload: { email: DEMO_ACCOUNTS[0].email, password: DEMO_PASSWORD },
    });
    const cookie = [signIn.headers['set-cookie']].flat()[0]?.split(';')[0] ?? '';
    const me = await load(`${url}/api/v1/me`, { headers: { cookie } });
    return { evaluate, readyz, me };
  } finally {
    await app.close();
  }
}

const fmt = (l: Load) => `${l.rps.toLocaleString('en')} | ${l.p50} | ${l.p99} | ${l.errors + l.non2xx}`;

async function measureRoutes(database: string, handle: DatabaseHandle): Promise<string[]> {
  const r = await appRoutes(handle);
  return [
    `| ${database} | evaluate (POST) | ${fmt(r.evaluate)} |`,
    `| ${database} | readyz (SELECT 1) | ${fmt(r.readyz)} |`,
    `| ${database} | me (GET, signed in: session lookup + user) | ${fmt(r.me)} |`,
  ];
}

async function main(): Promise<void> {
  const rssPeak = { value: process.memoryUsage.rss() };
  const sampler = setInterval(() => {
    rssPeak.value = Math.max(rssPeak.value, process.memoryUsage.rss());
  }, 100);

  console.log(`bench: ${SECONDS}s per measurement, ${CONNECTIONS} connections, loopback`);
  const engine = engineDecisionsPerSecond();
  console.log(`bench: engine ${engine.toLocaleString('en')} decisions/s`);
  const floor = await bareFloor();
  console.log(`bench: bare Fastify floor ${floor.rps} req/s`);

  const rows: string[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aftersales-bench-'));
  try {
    const pglite = await openDatabase({ dataDir });
    try {
      rows.push(...(await measureRoutes('PGlite', pglite)));
    } finally {
      await pglite.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const pgUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const pg = await openDatabase({ databaseUrl: pgUrl });
    try {
      rows.push(...(await measureRoutes('PostgreSQL', pg)));
    } finally {
      await pg.close();
    }
  } else {
    console.warn('bench: DATABASE_URL / TEST_DATABASE_URL not set — PostgreSQL rows SKIPPED');
  }
  clearInterval(sampler);

  const report = [
    `# Benchmark results`,
    ``,
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.`,
    `Load generator, server and database share the machine; ${CONNECTIONS} connections, ${SECONDS} s each, loopback.`,
    ``,
    `| measurement | value |`,
    `|---|---|`,
    `| policy engine, in process | ${engine.toLocaleString('en')} decisions/s |`,
    `| bare Fastify route returning a constant (the HTTP floor) | ${floor.rps.toLocaleString('en')} req/s, p50 ${floor.p50} ms, p99 ${floor.p99} ms |`,
    `| peak RSS of the bench process (server, embedded database and load generator together) | ${Math.round(rssPeak.value / 1024 / 1024)} MB |`,
    ``,
    `| database | route | req/s | p50 ms | p99 ms | errors + non-2xx |`,
    `|---|---|---|---|---|---|`,
    ...rows,
    ``,
  ].join('\n');
  writeFileSync(path.join(import.meta.dirname, 'results', 'latest.md'), report);
  console.log(`\n${report}`);
}

await main();
