/*
 * `npx tsx bench/micro.ts`: the cost of one request of each bench load, one at a time through
 * app.inject on PGlite in this process (database included), as CPU ms per request. Unlike req/s under
 * load it does not depend on what else the machine is doing, so it shows what a change saves.
 * `npx tsx bench/micro.ts claim` runs one load (health, me, tracking, claim, import); PROFILE=1 prints
 * where its CPU went; MICRO_DB=postgres (with TEST_DATABASE_URL) uses a scratch PostgreSQL database,
 * whose own CPU is then not counted.
 */
import { randomUUID } from 'node:crypto';
import { Session } from 'node:inspector/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { Temporal } from '../src/domain/calendar.js';
import { buildServer } from '../src/http/server.js';
import { createScratchPostgresDatabase } from '../test/support/databases.js';
import { prepare, signIn } from './prepare.js';

const N = Number(process.env.MICRO_N ?? 300);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aftersales-micro-'));
const pgUrl = process.env.MICRO_DB === 'postgres' ? process.env.TEST_DATABASE_URL : undefined;
const scratch = pgUrl ? await createScratchPostgresDatabase(pgUrl) : undefined;
const handle = await openDatabase(scratch ? { databaseUrl: scratch.url } : { dataDir });
try {
  const prepared = await prepare(handle);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    AUTH_SECRET: 'bench-auth-secret-of-at-least-32-characters',
    STORE_TIME_ZONE: 'Asia/Shanghai',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const app = await buildServer({ db: handle, config, clock: () => Temporal.Now.instant(), logger: false });
  const origin = config.publicUrl.origin;
  const cookie = await signIn(app, 'customer');
  const loads: Record<string, (i: number) => Promise<number>> = {
    // The framework's floor: every hook, no database.
    health: async () => (await app.inject({ url: '/healthz' })).statusCode,
    me: async () => (await app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode,
    tracking: async (i) =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/tracking/lookup',
          payload: prepared.tracked[i % prepared.tracked.length],
        })
      ).statusCode,
    claim: async () =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/claims',
          headers: { cookie, origin, 'idempotency-key': randomUUID() },
          payload: { purchaseId: prepared.customerPurchaseId, cause: 'quality', description: 'Crackles.' },
        })
      ).statusCode,
  };
  if (process.argv[2] === 'import') {
    const dealerCookie = await signIn(app, 'dealer');
    const day = Temporal.Now.plainDateISO('Asia/Shanghai').subtract({ days: 3 }).toString();
    const session = process.env.PROFILE ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    for (let file = 0; file < 3; file++) {
      const csv = [
        'serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone',
        ...Array.from({ length: 5000 }, (_, i) => {
          const n = file * 5000 + i;
          return `MICRO-${String(n).padStart(7, '0')},HS-200,${day},Buyer ${n},buyer.${n}@example.com,+86 138 ${String(n).padStart(8, '0')}`;
        }),
      ].join('\n');
      const started = performance.now();
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/purchases/import',
        headers: { cookie: dealerCookie, origin, 'content-type': 'text/csv' },
        payload: csv,
      });
      if (res.statusCode !== 201) throw new Error(res.body);
      console.log(`import file ${file}: ${Math.round(5000 / ((performance.now() - started) / 1000))} rows/s`);
    }
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      summarize(profile);
    }
  }
  for (const [name, run] of Object.entries(loads)) {
    if (process.argv[2] && process.argv[2] !== name) continue;
    for (let i = 0; i < 20; i++) await run(i); // warm
    const session = process.env.PROFILE ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < N; i++) {
      const status = await run(i);
      if (status >= 300) throw new Error(`${name}: ${status}`);
    }
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - started;
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      summarize(profile);
      session.disconnect();
    }
    console.log(
      `${name.padEnd(10)} ${((used.user + used.system) / 1000 / N).toFixed(2)} CPU ms/request, ${(wall / N).toFixed(2)} ms wall`,
    );
  }
  await app.close();
} finally {
  await handle.close();
  await scratch?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}

function summarize(profile: {
  nodes: { callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
}): void {
  const total = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const byFn = new Map<string, number>();
  const byPkg = new Map<string, number>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const file = f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/main\//, '');
    const key = `${f.functionName || '(anon)'} ${file}:${f.lineNumber}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (n.hitCount ?? 0));
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url)?.[1] ??
      (file.startsWith('src/') ? file : f.url ? 'node' : f.functionName);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + (n.hitCount ?? 0));
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  console.log(`self time by package or source file:\n${top(byPkg, 20)}\nby function:\n${top(byFn, 25)}`);
}
