/*
 * Readies a database for `npm run bench`, in the bench process, before any server is started on it:
 * migrations, the demo seed, the baseline's table, and repairs in progress to look up. The repairs are
 * made through the app's own routes (a dealer's CSV, support reporting each claim, a maintenance order
 * each), so the rows are exactly what production writes.
 */
import { randomUUID } from 'node:crypto';
import { eq, like, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { ensureBuiltInPolicies } from '../src/db/policies.js';
import { endUsers, purchases } from '../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SKUS, seedDemoData } from '../src/db/seed.js';
import { Temporal } from '../src/domain/calendar.js';
import { buildServer } from '../src/http/server.js';
import { benchBaseline } from './baseline-table.js';

const BASELINE_ROWS = 10_000;
const TRACKED_ORDERS = 200;
const STORE_TIME_ZONE = 'Asia/Shanghai';

export type Prepared = {
  /** Primary keys of the baseline table, for the SELECT route to rotate through. */
  baselineIds: string[];
  /** Maintenance numbers and the contact each was registered with. */
  tracked: { maintenanceNumber: string; contact: string }[];
  /** A purchase of the demo customer, which the claim-intake load reports problems with. */
  customerPurchaseId: string;
};

export const accountOf = (role: (typeof DEMO_ACCOUNTS)[number]['role']) => {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`the demo seed has no ${role}`);
  return account;
};

/** A demo account's session cookie, signed in through the app's own route. */
export async function signIn(
  app: FastifyInstance,
  role: (typeof DEMO_ACCOUNTS)[number]['role'],
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    headers: { origin: app.config.publicUrl.origin },
    payload: { email: accountOf(role).email, password: DEMO_PASSWORD },
  });
  const cookie = [res.headers['set-cookie']].flat()[0]?.split(';')[0];
  if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in as ${role}: ${res.statusCode} ${res.body}`);
  return cookie;
}

/** The same, over HTTP against a server process (`npm run bench` and `bench:peer` measure child processes). */
export async function signInOverHttp(
  baseUrl: string,
  origin: string,
  role: (typeof DEMO_ACCOUNTS)[number]['role'],
): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ email: accountOf(role).email, password: DEMO_PASSWORD }),
  });
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
  if (!res.ok || !cookie) throw new Error(`sign-in as ${role}: ${res.status} ${await res.text()}`);
  return cookie;
}

async function call(
  app: FastifyInstance,
  cookie: string,
  method: 'POST',
  url: string,
  payload: unknown,
  contentType = 'application/json',
): Promise<Record<string, unknown>> {
  const res = await app.inject({
    method,
    url,
    headers: { cookie, origin: app.config.publicUrl.origin, 'content-type': contentType },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json<Record<string, unknown>>();
}

export async function prepare(handle: DatabaseHandle): Promise<Prepared> {
  const { db } = handle;
  const today = Temporal.Now.plainDateISO(STORE_TIME_ZONE);
  await migrateDatabase(handle);
  await ensureBuiltInPolicies(db);
  await seedDemoData(db, { today });

  await db.execute(sql`create table if not exists bench_baseline (
    id uuid primary key default gen_random_uuid(),
    note text not null,
    created_at timestamptz not null default now())`);
  await db.execute(sql`insert into bench_baseline (note)
    select 'baseline row ' || g from generate_series(1, ${BASELINE_ROWS}) g`);
  const baselineIds = (
    await db.select({ id: benchBaseline.id }).from(benchBaseline).limit(BASELINE_ROWS)
  ).map((r) => r.id);

  const config = loadConfig({
    LOG_LEVEL: 'silent',
    AUTH_SECRET: 'bench-auth-secret-of-at-least-32-characters',
    STORE_TIME_ZONE,
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
  });
  const app = await buildServer({ db: handle, config, clock: () => Temporal.Now.instant(), logger: false });
  try {
    const dealer = await signIn(app, 'dealer');
    const support = await signIn(app, 'support');
    // Bought 200 days ago: inside the year of free repair, past the replacement windows.
    const bought = today.subtract({ days: 200 }).toString();
    const csv = [
      'serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone',
      ...Array.from(
        { length: TRACKED_ORDERS },
        (_, i) =>
          `BENCH-DCP-${randomUUID().slice(0, 8).toUpperCase()},${DEMO_SKUS.dcPowerPanel},${bought},Bench Buyer ${i},bench.buyer.${i}@example.com,`,
      ),
    ].join('\n');
    await call(app, dealer, 'POST', '/api/v1/purchases/import', csv, 'text/csv');
    const bought200 = await db
      .select({ id: purchases.id, email: endUsers.email })
      .from(purchases)
      .innerJoin(endUsers, eq(endUsers.id, purchases.endUserId))
      .where(like(endUsers.email, 'bench.buyer.%'));
    const tracked: Prepared['tracked'] = [];
    for (const purchase of bought200) {
      const claim = await call(app, support, 'POST', '/api/v1/claims', {
        purchaseId: purchase.id,
        cause: 'quality',
        description: 'The panel trips its breaker under load.',
      });
      const order = await call(app, support, 'POST', `/api/v1/claims/${String(claim.id)}/maintenance-order`, {
        mode: 'mail_in',
        location: { cityId: 'guangzhou' },
      });
      tracked.push({ maintenanceNumber: String(order.maintenanceNumber), contact: purchase.email ?? '' });
    }

    const [customerPurchase] = await db
      .select({ id: purchases.id })
      .from(purchases)
      .innerJoin(endUsers, eq(endUsers.id, purchases.endUserId))
      .where(eq(endUsers.email, accountOf('customer').email))
      .limit(1);
    if (!customerPurchase) throw new Error('the demo customer has no purchase');
    return { baselineIds, tracked, customerPurchaseId: customerPurchase.id };
  } finally {
    await app.close();
  }
}
