/*
 * `npm run bench`: how fast the service is against this machine's own limit, on loopback only and in
 * bounded time (BENCH_SECONDS per load, 5 by default). For each database — PGlite always, PostgreSQL
 * when DATABASE_URL or TEST_DATABASE_URL is set (in a scratch database of its own) — it prepares the
 * data in this process, then measures, with autocannon at 50 connections from this process:
 *   - the baseline: a bare Fastify route doing one INSERT, and one indexed SELECT, on the same driver;
 *   - the app as `npm start` runs it (compiled first): claim intake (POST, signed in), the tracking look-up by
 *     maintenance number, a signed-in GET of who I am, and a dealer's CSV import of sales;
 * and the server process's peak RSS. The policy engine is timed in process. Writes
 * bench/results/latest.md.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { DEMO_PASSWORD, DEMO_SKUS } from '../src/db/seed.js';
import { Temporal } from '../src/domain/calendar.js';
import { decide } from '../src/domain/policy/evaluate.js';
import { builtInPolicyVersions } from '../src/domain/policy/halotek.js';
import { createScratchPostgresDatabase } from '../test/support/databases.js';
import {
  BENCH_ORIGIN,
  buildServerOnce,
  CONNECTIONS,
  type DatabaseTarget,
  type Load,
  load,
  SECONDS,
  startApp,
  startBaseline,
} from './harness.js';
import { accountOf, type Prepared, prepare } from './prepare.js';

const IMPORT_FILES = 4;
const IMPORT_ROWS = 5_000;

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

async function signIn(baseUrl: string, role: 'customer' | 'dealer'): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { origin: BENCH_ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ email: accountOf(role).email, password: DEMO_PASSWORD }),
  });
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
  if (!res.ok || !cookie) throw new Error(`sign-in as ${role}: ${res.status} ${await res.text()}`);
  return cookie;
}

/** Sales files as a dealer's till exports them: new serials, one buyer a row, all on one day. */
function salesCsv(file: number): string {
  const day = Temporal.Now.plainDateISO('Asia/Shanghai').subtract({ days: 3 }).toString();
  const rows = Array.from({ length: IMPORT_ROWS }, (_, i) => {
    const n = file * IMPORT_ROWS + i;
    return `BENCH-HS-${String(n).padStart(7, '0')},${DEMO_SKUS.headset},${day},Buyer ${n},buyer.${n}@example.com,+86 138 ${String(n).padStart(8, '0')}`;
  });
  return ['serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone', ...rows].join('\n');
}

async function importRowsPerSecond(baseUrl: string, cookie: string): Promise<number> {
  const files = Array.from({ length: IMPORT_FILES }, (_, f) => salesCsv(f));
  const started = performance.now();
  for (const csv of files) {
    const res = await fetch(`${baseUrl}/api/v1/purchases/import`, {
      method: 'POST',
      headers: { cookie, origin: BENCH_ORIGIN, 'content-type': 'text/csv' },
      body: csv,
    });
    if (res.status !== 201) throw new Error(`import: ${res.status} ${await res.text()}`);
  }
  return Math.round((IMPORT_FILES * IMPORT_ROWS) / ((performance.now() - started) / 1000));
}

type DatabaseResult = {
  database: DatabaseTarget['name'];
  insert: Load;
  select: Load;
  claim: Load;
  tracking: Load;
  me: Load;
  importRowsPerSecond: number;
  appRssMb: number;
  baselineRssMb: number;
};

const rotate = <T>(items: readonly T[]) => {
  let i = 0;
  return () => items[i++ % items.length] as T;
};

async function measure(target: DatabaseTarget, open: () => Promise<DatabaseHandle>): Promise<DatabaseResult> {
  const log = (what: string) => {
    console.log(`bench: ${target.name}: ${what}`);
  };
  let prepared: Prepared;
  const handle = await open();
  try {
    prepared = await prepare(handle);
  } finally {
    await handle.close();
  }
  log(`prepared (${prepared.tracked.length} maintenance orders to look up)`);

  const baseline = await startBaseline(target);
  let baselineRssMb: number;
  let insert: Load;
  let select: Load;
  try {
    insert = await load(baseline.url, {
      method: 'POST',
      path: '/insert',
      body: JSON.stringify({ note: 'The panel trips its breaker under load.' }),
    });
    log(`baseline INSERT ${insert.rps} req/s`);
    const nextId = rotate(prepared.baselineIds);
    select = await load(baseline.url, {
      path: '/select/first',
      vary: (r) => ({ ...r, path: `/select/${nextId()}` }),
    });
    log(`baseline SELECT ${select.rps} req/s`);
  } finally {
    await baseline.stop();
    baselineRssMb = baseline.peakRssMb();
  }

  const app = await startApp(target);
  try {
    const customer = await signIn(app.url, 'customer');
    const claimHeaders = { cookie: customer, origin: BENCH_ORIGIN, 'content-type': 'application/json' };
    const claim = await load(app.url, {
      method: 'POST',
      path: '/api/v1/claims',
      headers: claimHeaders,
      body: JSON.stringify({
        purchaseId: prepared.customerPurchaseId,
        cause: 'quality',
        description: 'The left earcup crackles at any volume.',
      }),
      // Every submission is a new one, as a client that retries safely sends it.
      vary: (r: autocannon.Request) => ({
        ...r,
        headers: { ...claimHeaders, 'idempotency-key': randomUUID() },
      }),
    });
    log(`claim intake ${claim.rps} req/s`);
    const nextTracked = rotate(prepared.tracked);
    const tracking = await load(app.url, {
      method: 'POST',
      path: '/api/v1/tracking/lookup',
      body: JSON.stringify(prepared.tracked[0]),
      vary: (r) => ({ ...r, body: JSON.stringify(nextTracked()) }),
    });
    log(`tracking ${tracking.rps} req/s`);
    const me = await load(app.url, { path: '/api/v1/me', headers: { cookie: customer } });
    log(`signed-in /me ${me.rps} req/s`);
    const imported = await importRowsPerSecond(app.url, await signIn(app.url, 'dealer'));
    log(`import ${imported} rows/s`);
    return {
      database: target.name,
      insert,
      select,
      claim,
      tracking,
      me,
      importRowsPerSecond: imported,
      appRssMb: app.peakRssMb(),
      baselineRssMb,
    };
  } finally {
    await app.stop();
  }
}

const n = (v: number) => v.toLocaleString('en');
const ratio = (a: number, b: number) => (b === 0 ? '–' : `${Math.round((a / b) * 100)} %`);
const check = (ok: boolean) => (ok ? 'met' : '**missed**');

function databaseTable(r: DatabaseResult): string[] {
  const row = (what: string, l: Load, versus: string, target: string) =>
    `| ${what} | ${n(l.rps)} | ${l.p50} | ${l.p99} | ${l.errors + l.non2xx} | ${versus} | ${target} |`;
  const claimOk = r.claim.rps >= 0.4 * r.insert.rps && r.claim.p99 <= 1.5 * r.insert.p99;
  const trackingOk = r.tracking.rps >= 0.7 * r.select.rps && r.tracking.p99 <= 1.5 * r.select.p99;
  return [
    `### ${r.database}`,
    ``,
    `| load | req/s | p50 ms | p99 ms | errors + non-2xx | against the baseline (rate, p99) | target |`,
    `|---|---|---|---|---|---|---|`,
    row('baseline: bare route, one INSERT', r.insert, '–', '–'),
    row('baseline: bare route, one SELECT by key', r.select, '–', '–'),
    row(
      'claim intake (POST, signed in: validate, decide, claim + audit + link + outbox)',
      r.claim,
      `${ratio(r.claim.rps, r.insert.rps)}, ${(r.claim.p99 / r.insert.p99).toFixed(1)}×`,
      `≥ 40 %, ≤ 1.5×: ${check(claimOk)}`,
    ),
    row(
      'tracking look-up by maintenance number (POST, guest)',
      r.tracking,
      `${ratio(r.tracking.rps, r.select.rps)}, ${(r.tracking.p99 / r.select.p99).toFixed(1)}×`,
      `≥ 70 %, ≤ 1.5×: ${check(trackingOk)}`,
    ),
    row('who I am (GET /me, signed in)', r.me, ratio(r.me.rps, r.select.rps), '–'),
    ``,
    `| measurement | value | target |`,
    `|---|---|---|`,
    `| bulk import of sales from CSV (${IMPORT_FILES} files × ${n(IMPORT_ROWS)} rows, one after another) | ${n(r.importRowsPerSecond)} rows/s | ≥ 50,000: ${check(r.importRowsPerSecond >= 50_000)} |`,
    `| app server (\`aftersales serve\`) peak RSS over its run | ${r.appRssMb} MB | ≤ 250: ${check(r.appRssMb <= 250)} |`,
    `| baseline server peak RSS | ${r.baselineRssMb} MB | – |`,
    ``,
  ];
}

/*
 * Kept with the results: what was found when the targets were missed, and what stands in the way. Measured
 * with `npx tsx bench/micro.ts` (CPU per request, one at a time) and PostgreSQL's statement log.
 */
const WHAT_STANDS_IN_THE_WAY = `
## What stands in the way

Measured on PostgreSQL; PGlite has one embedded connection, so every request there waits its turn and its
rows are shown for reference only.

- **Claim intake** (target ≥ 40 % of the bare INSERT). A claim is nine statements — the session read, the
  Idempotency-Key look-up, then in one transaction BEGIN, the purchase with its product, customer, unit and
  dealer, the claim, its audit event, the tracking link, the acknowledgement, COMMIT — against the baseline's
  one autocommitted INSERT. One at a time it costs about 5.7 ms of server CPU (\`MICRO_DB=postgres npx tsx
  bench/micro.ts claim\`), the ORM building statements its largest single part, the rest spread thin (zod,
  Temporal, the engine, the driver's protocol, socket writes). With the load generator and PostgreSQL on the
  same two cores the server has about one core, so about 170 claims a second is this design's ceiling here.
  Done: the answer is built from the rows just written (one read fewer), and the purchase's five-table join
  is a named statement, planned once per connection. Left: 40 % needs about 1 ms a claim — the claim, audit
  event, link and acknowledgement written in one statement (a CTE chain) without the ORM on this path.
- **Tracking look-up** (target ≥ 70 % of the bare SELECT). Two statements (the claim with its product,
  contacts, latest order and center; then the order's timeline) and a rate-limit count, against one
  primary-key SELECT of a narrow row; about 2.5 ms of server CPU a look-up. Done: four statements became
  two, and the join, which PostgreSQL planned in 1.6 ms on every request — more than running it — is a
  named statement. Left: the response goes through the zod serializer and two round trips; one statement
  returning the timeline as JSON would be next.
- **Signed-in requests** (\`/me\`, no target): 378 → about 1,500 req/s. The session and its user are read in
  one named query instead of better-auth's two through its endpoint machinery.
- **Import** (target 50,000 rows/s). Each row is parsed and checked (dates, contacts), looked up three ways
  and written to four tables (unit, customer, purchase, audit event); purchases carry nine indexes and four
  foreign keys. Done: every table is written in one statement with an array parameter per column, and
  look-ups use \`= any(array)\` — 2,500 → about 6,500 rows/s; PostgreSQL now spends about 200 ms of a
  5,000-row file on the purchases' insert alone (its statement log). Left: 50,000 rows/s is 100 ms a file
  for everything; it would need COPY into a staging table and checks done in SQL.
- **p99 at 50 connections** (target ≤ 1.5× the baseline's). The pool has 10 connections; a request that
  holds one for a transaction of several statements makes the other 40 wait, so the tail is the queue.
- **Memory** (target ≤ 250 MB). Met on PostgreSQL with \`npm start\`'s 160 MB old space; without the cap V8
  grows its heap to about 260 MB of garbage under the import load. PGlite cannot meet it: the embedded
  PostgreSQL (WebAssembly) keeps its buffers in the process — the bare baseline server on PGlite alone
  peaks near 475 MB.
`;

async function main(): Promise<void> {
  console.log('bench: compiling the server (tsc -p tsconfig.build.json)');
  buildServerOnce();
  console.log(`bench: ${SECONDS}s per load, ${CONNECTIONS} connections, loopback`);
  const engine = engineDecisionsPerSecond();
  console.log(`bench: engine ${n(engine)} decisions/s`);

  const results: DatabaseResult[] = [];
  // BENCH_ONLY=postgres skips PGlite while working on a change; such a run only prints its table.
  const only = process.env.BENCH_ONLY;
  if (only !== 'postgres') {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aftersales-bench-'));
    try {
      results.push(await measure({ name: 'PGlite', dataDir }, () => openDatabase({ dataDir })));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const pgUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const scratch = await createScratchPostgresDatabase(pgUrl);
    try {
      results.push(
        await measure({ name: 'PostgreSQL', url: scratch.url }, () =>
          openDatabase({ databaseUrl: scratch.url }),
        ),
      );
    } finally {
      await scratch.drop();
    }
  } else {
    console.warn('!!! bench: DATABASE_URL / TEST_DATABASE_URL not set — the PostgreSQL rows are SKIPPED !!!');
  }

  const report = [
    `# Benchmark results`,
    ``,
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    `The load generator (this process), the server process and the database share the cores; ${CONNECTIONS} connections, ${SECONDS} s per load, loopback.`,
    `The targets are the issue's, set for PostgreSQL on this machine; PGlite (one embedded connection) is shown against the same.`,
    ``,
    `| measurement | value | target |`,
    `|---|---|---|`,
    `| policy engine, in process | ${n(engine)} decisions/s | ≥ 1,000,000: ${check(engine >= 1_000_000)} |`,
    ``,
    ...results.flatMap(databaseTable),
    WHAT_STANDS_IN_THE_WAY,
  ].join('\n');
  if (only === undefined) writeFileSync(path.join(import.meta.dirname, 'results', 'latest.md'), report);
  console.log(`\n${report}`);
}

await main();
