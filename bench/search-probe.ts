/*
 * Scratch probe for the staff search: times GET /api/v1/search for a few texts against an existing
 * scale database and prints EXPLAIN (ANALYZE, BUFFERS) of every statement it sends.
 *   npx tsx bench/search-probe.ts --database-url postgres://… | --data-dir ./scale-data  [--reps 10] [--explain] [q…]
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { createPglite, driverOf, openDatabase, PGLITE_START_PARAMS } from '../src/db/client.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/db/seed.js';
import { rowsOf } from '../src/db/rows.js';
import { buildServer } from '../src/http/server.js';
import { SCALE_NOW } from './generate.js';

const ORIGIN = 'http://localhost:3000';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      reps: { type: 'string', default: '10' },
      explain: { type: 'boolean', default: false },
      role: { type: 'string', default: 'support' },
    },
  });
  const handle = values['database-url']
    ? await openDatabase({ databaseUrl: values['database-url'] })
    : await openDatabase({
        pglite: await createPglite({ dataDir: values['data-dir'], startParams: PGLITE_START_PARAMS }),
      });
  const config = loadConfig({
    LOG_LEVEL: process.env.PROBE_LOG ?? 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    AUTH_SECRET: randomBytes(32).toString('base64url'),
  });
  const app = await buildServer({
    db: handle,
    config,
    clock: () => SCALE_NOW,
    ...(process.env.PROBE_LOG ? {} : { logger: false }),
  });
  await app.ready();
  const account = DEMO_ACCOUNTS.find((a) => a.role === values.role);
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    headers: { origin: ORIGIN },
    payload: { email: account?.email, password: DEMO_PASSWORD },
  });
  const setCookie = res.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie : [setCookie ?? ''])
    .find((c) => c.startsWith('aftersales.session_token='))
    ?.split(';')[0];
  if (!cookie) throw new Error(res.body);

  let texts = positionals;
  if (texts.length === 0) {
    const [claimed] = rowsOf(
      await handle.db.execute(sql`
      select u.name, u.phone, un.serial
      from claims c join purchases p on p.id = c.purchase_id join end_users u on u.id = c.end_user_id
      join units un on un.id = p.unit_id
      where u.phone is not null
      order by c.created_at desc, c.id offset (select count(*) / 2 from claims) / 50 limit 1`),
    );
    const [order] = rowsOf(
      await handle.db.execute(
        sql`select maintenance_number from maintenance_orders order by created_at desc offset 20 limit 1`,
      ),
    );
    const digits = String(claimed?.['phone']).replace(/\D/g, '');
    texts = [
      `${digits.slice(-8, -4)} ${digits.slice(-4)}`,
      String(claimed?.['serial']),
      String(claimed?.['name']),
      'Li Wei',
      String(order?.['maintenance_number']),
    ];
  }
  const driver = driverOf(handle);
  for (const q of texts) {
    const url = `/api/v1/search?q=${encodeURIComponent(q)}`;
    const once = async () => {
      const r = await app.inject({ method: 'GET', url, headers: { origin: ORIGIN, cookie } });
      return r;
    };
    let last = await once();
    if (last.statusCode >= 500) console.log(last.body);
    await once();
    const times: number[] = [];
    for (let i = 0; i < Number(values.reps); i++) {
      const t0 = performance.now();
      last = await once();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const body = last.json<Record<string, { items: unknown[]; more: boolean } | null>>();
    const counts = ['claims', 'maintenanceOrders', 'purchases']
      .map((k) => `${k} ${body[k] ? `${body[k].items.length}${body[k].more ? '+' : ''}` : '-'}`)
      .join(', ');
    console.log(
      `${JSON.stringify(q)} [${values.role}]: HTTP ${last.statusCode} median ${times[Math.floor(times.length / 2)]?.toFixed(1)} ms, p95 ${times[Math.ceil(times.length * 0.95) - 1]?.toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)}; ${counts}`,
    );
    if (!values.explain) continue;
    const seen: { text: string; values: unknown[] }[] = [];
    if (driver.kind === 'postgres') {
      const pool = driver.pool as unknown as { query: (...args: unknown[]) => unknown };
      const original = pool.query;
      pool.query = function (this: unknown, ...args: unknown[]) {
        const [first, second] = args;
        const text = typeof first === 'string' ? first : (first as { text?: string }).text;
        const vals = Array.isArray(second) ? second : ((first as { values?: unknown[] }).values ?? []);
        if (text) seen.push({ text, values: vals });
        return original.apply(driver.pool, args);
      };
      await once();
      pool.query = original;
    } else {
      const client = driver.client as unknown as { query: (...args: unknown[]) => unknown };
      const original = client.query;
      client.query = function (this: unknown, ...args: unknown[]) {
        const [text, vals] = args as [string, unknown[] | undefined];
        seen.push({ text, values: vals ?? [] });
        return original.apply(driver.client, args);
      };
      await once();
      client.query = original;
    }
    for (const s of seen) {
      if (!/^\s*(select|with)\b/i.test(s.text)) continue;
      const explain = `explain (analyze, buffers, costs) ${s.text}`;
      const rows =
        driver.kind === 'postgres'
          ? (await driver.pool.query<{ 'QUERY PLAN': string }>(explain, s.values)).rows
          : (await driver.client.query<{ 'QUERY PLAN': string }>(explain, s.values)).rows;
      console.log(
        `--- ${s.text.slice(0, 100).replace(/\s+/g, ' ')}… ${JSON.stringify(s.values).slice(0, 100)}`,
      );
      if (process.env.PROBE_TIMES) {
        for (let i = 0; i < 4; i++) {
          const again =
            driver.kind === 'postgres'
              ? (await driver.pool.query<{ 'QUERY PLAN': string }>(explain, s.values)).rows
              : (await driver.client.query<{ 'QUERY PLAN': string }>(explain, s.values)).rows;
          rows.push(...again);
        }
        console.log(
          rows
            .map((r) => r['QUERY PLAN'])
            .filter((l) => /Planning Time|Execution Time/.test(l))
            .join(' | '),
        );
      } else console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
  }
  await app.close();
  await handle.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
