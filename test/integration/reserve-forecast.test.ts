import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decideEntitlement } from '../../src/app/entitlements/evaluate-entitlement.js';
import type { Database } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/rows.js';
import {
  claims,
  dealerRemedies,
  dealers,
  endUsers,
  products,
  purchases,
  reimbursementClaims,
} from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import { roles } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import { ageInMonths } from '../../src/domain/insight/reserve/history.js';
import { builtInPolicyVersions } from '../../src/domain/policy/halotek.js';
import type { ReserveResponse } from '../../src/http/insight/reserve/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession } from '../support/sessions.js';

/*
 * The reserve on a small data set worked out by hand (the test app's today is 2026-11-25 in Shanghai;
 * the built-in policy's warranty is one year, 12 months of life):
 *
 *   cohort A: 10 units bought 2025-11-26 — in month 11 of life, lived all of it (26 Oct–25 Nov):
 *             observed months 0–11, nothing left to come.
 *   cohort B: 20 units bought 2026-08-26 — in month 2, lived all of it: observed months 0–2,
 *             months 3–11 still to come (9 × 20 = 180 unit-months).
 *   claims:   A: two in month 0, one in month 5, one in month 11; B: one in month 1.
 *             Not counted: a human-damage claim (paid), a withdrawn one, one on a rejected sale.
 *   life table: month 0 2/30, month 1 1/30, month 2 0/30, months 3–11 over 10 units: month 5 1/10,
 *             month 11 1/10, the rest 0.
 *   claims to come: B's 20 units × (0.1 + 0.1) = 4.
 *   cost per claim: one approved reimbursement of CNY 500.00 (a pending and a rejected one are not
 *             money paid) over the product's 5 warranty claims = CNY 100.00.
 *   provision: 4 × 10,000 = 40,000 minor units.
 */

const TODAY = '2026-11-25';

async function world(db: Database) {
  await seedDemoData(db, { today: Temporal.PlainDate.from(TODAY) });
  const [product] = await db
    .insert(products)
    .values({
      sku: 'RSV-100',
      nameEn: 'Reserve test panel',
      nameZh: '储备测试屏',
      category: 'dc_power_panel',
    })
    .returning({ id: products.id });
  const [quiet] = await db
    .insert(products)
    .values({ sku: 'RSV-200', nameEn: 'Quiet headset', nameZh: '安静耳机', category: 'headset' })
    .returning({ id: products.id });
  const [dealer] = await db.select({ id: dealers.id }).from(dealers).limit(1);
  const [user] = await db
    .insert(endUsers)
    .values({ name: 'Reserve Buyer', email: 'reserve@example.com' })
    .returning({ id: endUsers.id });
  if (!product || !quiet || !dealer || !user) throw new Error('fixtures missing');
  const sale = async (
    productId: string,
    purchaseDate: string,
    verification: 'verified' | 'rejected' = 'verified',
  ) => {
    const id = randomUUID();
    await db.insert(purchases).values({
      id,
      productId,
      dealerId: dealer.id,
      endUserId: user.id,
      purchaseDate,
      verification,
      ...(verification === 'rejected'
        ? { rejectionCode: 'REJECTED_BY_CHECKER' as const, rejectionReason: 'test' }
        : {}),
    });
    return id;
  };
  const claim = async (
    purchaseId: string,
    purchaseDate: string,
    reportedOn: string,
    options: { cause?: 'quality' | 'human_damage'; status?: 'open' | 'withdrawn' } = {},
  ) => {
    const cause = options.cause ?? 'quality';
    const decision = decideEntitlement(
      builtInPolicyVersions,
      { purchaseDate, reportDate: reportedOn, cause },
      { storeTimeZone: 'Asia/Shanghai' },
    );
    const id = randomUUID();
    await db.insert(claims).values({
      id,
      purchaseId,
      endUserId: user.id,
      reportedOn,
      cause,
      description: 'test',
      decision,
      policyVersionId: decision.policyVersion,
      status: options.status ?? 'open',
    });
    return id;
  };
  const a: string[] = [];
  for (let i = 0; i < 10; i++) a.push(await sale(product.id, '2025-11-26'));
  const b: string[] = [];
  for (let i = 0; i < 20; i++) b.push(await sale(product.id, '2026-08-26'));
  for (let i = 0; i < 5; i++) await sale(quiet.id, '2026-09-26');
  const rejected = await sale(product.id, '2026-08-26', 'rejected');
  const paidFor: string[] = [];
  paidFor.push(await claim(a[0] ?? '', '2025-11-26', '2025-12-01'));
  paidFor.push(await claim(a[1] ?? '', '2025-11-26', '2025-12-20'));
  await claim(a[2] ?? '', '2025-11-26', '2026-05-01');
  await claim(a[3] ?? '', '2025-11-26', '2026-11-01');
  await claim(b[0] ?? '', '2026-08-26', '2026-10-01');
  await claim(b[1] ?? '', '2026-08-26', '2026-10-02', { cause: 'human_damage' });
  await claim(b[2] ?? '', '2026-08-26', '2026-10-03', { status: 'withdrawn' });
  await claim(rejected, '2026-08-26', '2026-10-04');
  const remedy = async (
    claimId: string,
    status: 'approved' | 'pending' | 'rejected',
    amountMinor: number,
  ) => {
    const [r] = await db
      .insert(dealerRemedies)
      .values({
        claimId,
        dealerId: dealer.id,
        kind: 'refund',
        refundMinor: amountMinor,
        currency: 'CNY',
        performedOn: '2025-12-02',
        performedBy: 'user:dealer',
      })
      .returning({ id: dealerRemedies.id });
    if (!r) throw new Error('no remedy');
    const decided = status !== 'pending';
    await db.insert(reimbursementClaims).values({
      dealerRemedyId: r.id,
      dealerId: dealer.id,
      status,
      amountMinor,
      currency: 'CNY',
      decidedBy: decided ? 'user:support' : null,
      decidedAt: decided ? new Date('2025-12-05T02:00:00Z') : null,
    });
  };
  await remedy(paidFor[0] ?? '', 'approved', 50_000);
  await remedy(paidFor[1] ?? '', 'pending', 30_000);
  const extra = await claim(a[4] ?? '', '2025-11-26', '2026-11-20', { status: 'withdrawn' });
  await remedy(extra, 'rejected', 70_000);
  return { productId: product.id, quietId: quiet.id };
}

for (const testDb of testDatabases()) {
  describe(`the warranty reserve on ${testDb.name}`, () => {
    const t = useTestApp(testDb);
    let ids: { productId: string; quietId: string };
    const cookies = new Map<string, string>();
    beforeAll(async () => {
      ids = await world(t.db.db);
      for (const role of roles) cookies.set(role, await demoSession(t.app, role));
    });
    const get = async (query: string, role = 'admin') =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/insight/reserve${query}`,
        headers: { cookie: cookies.get(role) ?? '' },
      });

    it('gives the figures worked out by hand', async () => {
      const res = await get(`?productId=${ids.productId}`);
      expect(res.statusCode).toBe(200);
      const body = res.json<ReserveResponse>();
      expect(body.asOf).toBe(TODAY);
      expect(body.currency).toBe('CNY');
      const [p] = body.products;
      expect(body.products).toHaveLength(1);
      expect(p?.product.sku).toBe('RSV-100');
      expect(p?.warrantyMonths).toBe(12);
      expect(p?.unitsInForce).toBe(30);
      expect(p?.claimsObserved).toBe(5);
      expect(p?.unitMonthsToCome).toBeCloseTo(180, 9);
      const table = p?.lifeTable.map((r) => [r.ageMonths, r.unitMonths, r.claims]);
      expect(table).toEqual([
        [0, 30, 2],
        [1, 30, 1],
        [2, 30, 0],
        [3, 10, 0],
        [4, 10, 0],
        [5, 10, 1],
        [6, 10, 0],
        [7, 10, 0],
        [8, 10, 0],
        [9, 10, 0],
        [10, 10, 0],
        [11, 10, 1],
      ]);
      expect(p?.lifeTable[0]?.rate).toBeCloseTo(2 / 30, 12);
      expect(p?.expectedClaims).toBeCloseTo(4, 9);
      expect(p?.costPerClaim).toMatchObject({
        amountMinor: 10_000,
        basis: 'product',
        claims: 5,
        reimbursementsMinor: 50_000,
        makerCostsMinor: 0,
        oemCreditsMinor: 0,
      });
      expect(p?.provision).toEqual({ amountMinor: 40_000, currency: 'CNY' });
      expect(p?.interval.low.amountMinor).toBeLessThanOrEqual(40_000);
      expect(p?.interval.high.amountMinor).toBeGreaterThanOrEqual(40_000);
      expect(p?.weibull).not.toBeNull();
      expect(body.total.provision).toEqual({ amountMinor: 40_000, currency: 'CNY' });
      // Deterministic: the same request gives the same interval.
      expect((await get(`?productId=${ids.productId}`)).json()).toEqual(body);
    });

    it('forecasts zero for a product without claims, with an upper bound, at every product’s cost per claim', async () => {
      const body = (await get(`?productId=${ids.quietId}`)).json<ReserveResponse>();
      const [p] = body.products;
      expect(p?.unitsInForce).toBe(5);
      expect(p?.claimsObserved).toBe(0);
      expect(p?.provision.amountMinor).toBe(0);
      expect(p?.weibull).toBeNull();
      expect(p?.costPerClaim.basis).toBe('all_products');
      expect(p?.interval.low.amountMinor).toBe(0);
      expect(p?.interval.high.amountMinor).toBeGreaterThanOrEqual(0);
    });

    it('as of an earlier day uses only what was known then', async () => {
      // On 2026-08-25 cohort B was not sold, the claims of October and November not made, nothing paid
      // after that day; A was in month 8 of life (26 Jul–25 Aug, all of it lived).
      const body = (await get(`?productId=${ids.productId}&asOf=2026-08-25`)).json<ReserveResponse>();
      const [p] = body.products;
      expect(p?.unitsInForce).toBe(10);
      expect(p?.claimsObserved).toBe(3);
      expect(p?.lifeTable.slice(0, 9).map((r) => r.unitMonths)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10]);
      expect(p?.lifeTable[9]?.rate).toBeNull();
      // Months 9–11 take month 8's rate (0): nothing expected.
      expect(p?.expectedClaims).toBe(0);
      expect(p?.costPerClaim.amountMinor).toBe(Math.round(50_000 / 3));
    });

    it('refuses a day after today, and bad input, with a code', async () => {
      const future = await get('?asOf=2026-11-26');
      expect(future.statusCode).toBe(400);
      expect(future.json()).toMatchObject({ error: { code: 'AS_OF_IN_FUTURE' } });
      expect((await get('?asOf=2026-02-30')).statusCode).toBe(400);
      expect((await get('?currency=cny')).statusCode).toBe(400);
      expect((await get('?productId=nope')).statusCode).toBe(400);
    });

    it('is read by admins, QA and sales (who read the maker’s costs); every other role is refused', async () => {
      for (const role of roles) {
        const res = await get(`?productId=${ids.productId}`, role);
        expect([role, res.statusCode]).toEqual([role, ['admin', 'qa', 'sales'].includes(role) ? 200 : 403]);
      }
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/insight/reserve' });
      expect(anonymous.statusCode).toBe(401);
    });

    it('counts months of life in SQL as the domain does, month ends and leap days included', async () => {
      const day = fc
        .integer({ min: 0, max: 2000 })
        .map((n) => Temporal.PlainDate.from('2023-01-01').add({ days: n }));
      const pairs = fc.sample(fc.tuple(day, fc.integer({ min: 0, max: 800 })), { numRuns: 400, seed: 19 });
      const ends = ['2024-01-31', '2024-02-29', '2023-03-31', '2024-08-31'].map((d) =>
        Temporal.PlainDate.from(d),
      );
      const all = [
        ...pairs.map(([p, n]) => [p, p.add({ days: n })] as const),
        ...ends.flatMap((p) =>
          [27, 28, 29, 30, 31, 59, 60, 61, 365, 366].map((n) => [p, p.add({ days: n })] as const),
        ),
      ];
      const rows = rowsOf(
        await t.db.db.execute(sql`
          select p::text as p, d::text as d,
            ((extract(year from d)::int - extract(year from p)::int) * 12 + extract(month from d)::int - extract(month from p)::int)
            - case when (p + make_interval(months => ((extract(year from d)::int - extract(year from p)::int) * 12
                + extract(month from d)::int - extract(month from p)::int)))::date > d then 1 else 0 end as age
          from unnest(${sql.param(all.map(([p]) => p.toString()))}::date[], ${sql.param(all.map(([, d]) => d.toString()))}::date[]) as x(p, d)`),
      );
      expect(rows).toHaveLength(all.length);
      for (const r of rows) {
        const expected = ageInMonths(
          Temporal.PlainDate.from(String(r.p)),
          Temporal.PlainDate.from(String(r.d)),
        );
        expect([r.p, r.d, Number(r.age)]).toEqual([r.p, r.d, expected]);
      }
    });
  });
}
