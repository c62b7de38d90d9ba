/*
 * `npx tsx bench/import-statements.ts` (with TEST_DATABASE_URL): where a dealer's CSV import spends its
 * time on PostgreSQL, statement by statement — each statement's wall time from the driver's call to its
 * answer, summed over the import of two 5,000-row files into a scratch database prepared as the bench's.
 * `bench/micro.ts import` with PROFILE=1 shows the server's own CPU (mostly idle: it waits on these).
 */
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { Temporal } from '../src/domain/calendar.js';
import { buildServer } from '../src/http/server.js';
import { createScratchPostgresDatabase } from '../test/support/databases.js';
import { prepare, signIn } from './prepare.js';

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('set TEST_DATABASE_URL');

const timings = new Map<string, { calls: number; ms: number }>();
let recording = false;
type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const original = Reflect.get(pg.Client.prototype, 'query') as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0];
  const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
  const result = original.apply(this, args);
  if (!recording || typeof text !== 'string' || !(result instanceof Promise)) return result;
  const key = text.replace(/\s+/g, ' ').slice(0, 90);
  const started = performance.now();
  const done = () => {
    const t = timings.get(key) ?? { calls: 0, ms: 0 };
    t.calls += 1;
    t.ms += performance.now() - started;
    timings.set(key, t);
  };
  result.then(done, done);
  return result;
};

const scratch = await createScratchPostgresDatabase(url);
const handle = await openDatabase({ databaseUrl: scratch.url });
try {
  await prepare(handle);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    AUTH_SECRET: 'bench-auth-secret-of-at-least-32-characters',
    STORE_TIME_ZONE: 'Asia/Shanghai',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const app = await buildServer({ db: handle, config, clock: () => Temporal.Now.instant(), logger: false });
  const dealer = await signIn(app, 'dealer');
  const day = Temporal.Now.plainDateISO('Asia/Shanghai').subtract({ days: 3 }).toString();
  let total = 0;
  for (let file = 0; file < 2; file++) {
    const csv = [
      'serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone',
      ...Array.from({ length: 5000 }, (_, i) => {
        const n = file * 5000 + i;
        return `STMT-${String(n).padStart(7, '0')},HS-200,${day},Buyer ${n},buyer.${n}@example.com,+86 138 ${String(n).padStart(8, '0')}`;
      }),
    ].join('\n');
    recording = true;
    const started = performance.now();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/purchases/import',
      headers: { cookie: dealer, origin: config.publicUrl.origin, 'content-type': 'text/csv' },
      payload: csv,
    });
    total += performance.now() - started;
    recording = false;
    if (res.statusCode !== 201) throw new Error(res.body);
  }
  await app.close();
  const rows = [...timings.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const inStatements = rows.reduce((sum, [, t]) => sum + t.ms, 0);
  console.log(
    `two files of 5,000 rows: ${total.toFixed(0)} ms, of which ${inStatements.toFixed(0)} ms waiting on statements`,
  );
  console.log('| ms a file | calls a file | statement |\n|---|---|---|');
  for (const [text, t] of rows.slice(0, 15)) {
    console.log(`| ${(t.ms / 2).toFixed(0)} | ${t.calls / 2} | \`${text}\` |`);
  }
} finally {
  await handle.close();
  await scratch.drop();
}
