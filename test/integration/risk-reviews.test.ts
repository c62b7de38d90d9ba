import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  auditEvents,
  dealerRemedies,
  endUsers,
  instanceSettings,
  maintenanceOrders,
  outbox,
  products,
  purchases,
  reimbursementClaims,
  riskReviews,
  units,
  uploads,
} from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import { defaultRiskSettings } from '../../src/domain/risk/signals.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { claimOn, type DemoParties, demoParties, TODAY } from '../support/service-fixtures.js';
import { colleagueSession, demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Issue 14, item 6: each fraud signal stops the money at the point it would move — a dealer's refund or
 * replacement, a free repair, the maker's reimbursement — and puts the object in a person's queue; the
 * person approves (it goes through) or rejects with a reason (it never does), and never for their own
 * request. Each attack of the trial that these rules answer is one test here.
 */

type Review = {
  id: string;
  status: string;
  subjectKind: string;
  subjectId: string;
  version: number;
  signals: { code: string; facts: Record<string, unknown> }[];
};

describe.each(testDatabases())('fraud signals and the review queue on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = { dealer: '', support: '', secondSupport: '', customer: '', admin: '', qa: '' };
  let secondSupportActor = '';
  let supportActor = '';
  let p: DemoParties;
  let productId = '';

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    for (const role of ['dealer', 'support', 'customer', 'admin', 'qa'] as const) {
      cookies[role] = await demoSession(t.app, role);
    }
    const second = await colleagueSession(t.db.db, t.app, 'support', 'risk.second@halotek.example.com');
    cookies.secondSupport = second.cookie;
    secondSupportActor = second.actor;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: as('support') });
    supportActor = `user:${me.json<{ id: string }>().id}`;
    p = await demoParties(t.db.db);
    // A product of its own, so that the dealers' rates below count only this suite's sales.
    const [product] = await t.db.db
      .insert(products)
      .values({
        sku: `RISK-${randomUUID().slice(0, 8)}`,
        nameEn: 'Test headset',
        nameZh: '测试耳机',
        category: 'headset',
        priceMinor: 29_900,
        currency: 'CNY',
      })
      .returning({ id: products.id });
    productId = product?.id ?? '';
  });

  beforeEach(async () => {
    await t.db.db.delete(instanceSettings).where(eq(instanceSettings.key, 'risk.settings'));
  });

  const as = (role: keyof typeof cookies) => ({ origin: ORIGIN, cookie: cookies[role] });

  /** A customer of their own, so that each test controls how many claims they have made. */
  const newCustomer = async () => {
    const [row] = await t.db.db
      .insert(endUsers)
      .values({ name: 'Test customer', email: `c-${randomUUID()}@example.com` })
      .returning({ id: endUsers.id });
    return row?.id ?? '';
  };

  const sale = async (
    endUserId: string,
    opts: {
      daysAgo?: number;
      dealer?: 0 | 1;
      unitId?: string;
      proofUploadId?: string;
      createdDaysAgo?: number;
      productId?: string;
    } = {},
  ) => {
    const [row] = await t.db.db
      .insert(purchases)
      .values({
        productId: opts.productId ?? productId,
        // Sold at a price, as a dealer records it: a refund is bounded by it and needs no approval.
        priceMinor: 19_900,
        currency: 'CNY',
        dealerId: p.dealer(opts.dealer ?? 0),
        endUserId,
        purchaseDate: TODAY.subtract({ days: opts.daysAgo ?? 3 }).toString(),
        unitId: opts.unitId ?? null,
        proofUploadId: opts.proofUploadId ?? null,
        ...(opts.createdDaysAgo === undefined
          ? {}
          : {
              createdAt: new Date(
                Date.parse(`${TODAY.subtract({ days: opts.createdDaysAgo }).toString()}T04:00:00Z`),
              ),
            }),
      })
      .returning({ id: purchases.id });
    return row?.id ?? '';
  };

  const refund = (claimId: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${claimId}/dealer-remedy`,
      headers: as('dealer'),
      payload: { kind: 'refund', refund: { amountMinor: 19_900, currency: 'CNY' } },
    });
  const reviewOf = async (subjectId: string) =>
    (await t.db.db.select().from(riskReviews).where(eq(riskReviews.subjectId, subjectId)))[0];
  const decide = (role: keyof typeof cookies, id: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/risk-reviews/${id}/decision`, headers: as(role), payload });
  const remediesOf = async (claimId: string) =>
    t.db.db.select().from(dealerRemedies).where(eq(dealerRemedies.claimId, claimId));

  it('holds the fourth claim of a customer in 12 months before any refund or free repair, and pays out once support approves', async () => {
    const customer = await newCustomer();
    const claimIds: string[] = [];
    for (let i = 0; i < 3; i++) claimIds.push(await claimOn(t.app, t.db.db, await sale(customer), customer));
    // The fourth: a sale three months old, repaired under warranty rather than refunded.
    const fourth = await claimOn(t.app, t.db.db, await sale(customer, { daysAgo: 90 }), customer);
    const repair = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${fourth}/maintenance-order`,
        headers: as('support'),
        payload: { mode: 'walk_in', location: { cityId: 'shenzhen' } },
      });

    const held = await repair();
    expect(held.statusCode, held.body).toBe(409);
    expect(held.json()).toMatchObject({ error: { code: 'RISK_REVIEW_PENDING' } });
    // Which rule held it is support's to know, not the caller's.
    expect(held.body).not.toContain('frequent_claims');
    expect(
      await t.db.db.select().from(maintenanceOrders).where(eq(maintenanceOrders.claimId, fourth)),
    ).toEqual([]);
    const review = await reviewOf(fourth);
    expect(review).toMatchObject({ subjectKind: 'claim', status: 'pending', endUserId: customer });
    expect(review?.signals).toEqual([{ code: 'frequent_claims', facts: { claims: 4, limit: 3 } }]);
    expect(held.json()).toMatchObject({ error: { details: { reviewId: review?.id } } });

    // Pressing again, or by another door, opens no second review.
    expect((await repair()).statusCode).toBe(409);
    expect((await refund(fourth)).statusCode).toBe(409);
    expect(await t.db.db.select().from(riskReviews).where(eq(riskReviews.subjectId, fourth))).toHaveLength(1);
    expect(await remediesOf(fourth)).toEqual([]);

    // The queue, oldest first, with the rule's numbers.
    const queue = await t.app.inject({
      method: 'GET',
      url: '/api/v1/risk-reviews?status=pending',
      headers: as('support'),
    });
    expect(queue.statusCode).toBe(200);
    expect(queue.json<Review[]>().find((r) => r.subjectId === fourth)?.signals[0]?.code).toBe(
      'frequent_claims',
    );

    // The agent who pressed "issue" is not the one who clears it.
    expect(
      (await decide('support', review?.id ?? '', { decision: 'approved', expectedVersion: 1 })).statusCode,
    ).toBe(403);
    const approved = await decide('secondSupport', review?.id ?? '', {
      decision: 'approved',
      expectedVersion: 1,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const issued = await repair();
    expect(issued.statusCode, issued.body).toBe(201);
    // Signals are worked out when money would move: the customer's first claim, paid out only now, is
    // looked at with the four claims they have made this year, and waits too.
    expect((await refund(claimIds[0] ?? '')).statusCode).toBe(409);
    const audit = await t.db.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.entityId, review?.id ?? ''));
    expect(audit.map((a) => a.action).sort()).toEqual(['risk.review.approved', 'risk.review.opened']);
  });

  it('an honest customer — three claims in a year, registered at purchase — is never held', async () => {
    const customer = await newCustomer();
    const claimIds: string[] = [];
    for (let i = 0; i < 3; i++) claimIds.push(await claimOn(t.app, t.db.db, await sale(customer), customer));
    for (const claimId of claimIds) expect((await refund(claimId)).statusCode).toBe(201);
    expect(await t.db.db.select().from(riskReviews).where(eq(riskReviews.endUserId, customer))).toEqual([]);
  });

  it('a rejected claim never pays out; rejecting needs a reason, and a decision is final', async () => {
    const customer = await newCustomer();
    let last = '';
    for (let i = 0; i < 4; i++) last = await claimOn(t.app, t.db.db, await sale(customer), customer);
    expect((await refund(last)).statusCode).toBe(409);
    const review = await reviewOf(last);
    const noReason = await decide('support', review?.id ?? '', { decision: 'rejected', expectedVersion: 1 });
    expect(noReason.statusCode).toBe(400);
    const rejected = await decide('support', review?.id ?? '', {
      decision: 'rejected',
      reason: 'Four receipts from one shop in a week',
      expectedVersion: 1,
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const again = await refund(last);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'RISK_REVIEW_REJECTED' } });
    expect(await remediesOf(last)).toEqual([]);
    const twice = await decide('secondSupport', review?.id ?? '', {
      decision: 'approved',
      expectedVersion: 2,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ error: { code: 'RISK_REVIEW_ALREADY_DECIDED' } });

    // The customer sees it on the claim and is told, with the reason; never which rule held it.
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/claims/${last}`, headers: as('support') });
    expect(view.json()).toMatchObject({
      review: { status: 'rejected', reason: 'Four receipts from one shop in a week' },
    });
    const told = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'risk_review.rejected'));
    const mine = told.find((m) => m.body.includes(last));
    expect(mine?.body).toContain('Four receipts from one shop in a week');
    expect(mine?.body).not.toContain('frequent');
    const queued = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'risk_review.opened'));
    expect(queued.some((m) => m.recipient === 'role:support' && m.body.includes(last))).toBe(true);
  });

  it('holds a claim on a serial that another purchase carries, or on a receipt whose bytes another purchase used', async () => {
    const [unit] = await t.db.db
      .insert(units)
      .values({ serial: `RISK-SN-${randomUUID().slice(0, 8)}`, productId, lot: 'L-RISK' })
      .returning({ id: units.id });
    const first = await newCustomer();
    const second = await newCustomer();
    // A unit is in one live purchase at most (purchase verification's index): the earlier purchase of
    // it was rejected — a registration the dealer's sale to another buyer superseded — and still counts.
    const earlier = await sale(first, { unitId: unit?.id });
    await t.db.db
      .update(purchases)
      .set({ verification: 'rejected', rejectionCode: 'SOLD_TO_ANOTHER_BUYER' })
      .where(eq(purchases.id, earlier));
    const claimOnCopy = await claimOn(t.app, t.db.db, await sale(second, { unitId: unit?.id }), second);
    expect((await refund(claimOnCopy)).statusCode).toBe(409);
    expect((await reviewOf(claimOnCopy))?.signals).toEqual([
      { code: 'duplicate_serial', facts: { otherPurchases: 1 } },
    ]);

    // The same image uploaded twice is two uploads with one SHA-256.
    const sha = 'ab'.repeat(32);
    const proof = async () =>
      (
        await t.db.db
          .insert(uploads)
          .values({
            kind: 'proof_of_purchase',
            mediaType: 'image/jpeg',
            sizeBytes: 10,
            sha256: sha,
            uploadedBy: 'guest',
          })
          .returning({ id: uploads.id })
      )[0]?.id ?? '';
    const third = await newCustomer();
    await sale(first, { proofUploadId: await proof(), createdDaysAgo: 60 });
    const onSameBytes = await claimOn(
      t.app,
      t.db.db,
      await sale(third, { proofUploadId: await proof(), createdDaysAgo: 60 }),
      third,
    );
    expect((await refund(onSameBytes)).statusCode).toBe(409);
    expect((await reviewOf(onSameBytes))?.signals.map((s) => s.code)).toEqual(['duplicate_proof']);
  });

  it('holds the second claim made days after registering the product, not the first', async () => {
    const customer = await newCustomer();
    const proof = async () =>
      (
        await t.db.db
          .insert(uploads)
          .values({
            kind: 'proof_of_purchase',
            mediaType: 'image/jpeg',
            sizeBytes: 10,
            sha256: randomUUID().replaceAll('-', '').padEnd(64, '0'),
            uploadedBy: 'guest',
          })
          .returning({ id: uploads.id })
      )[0]?.id ?? '';
    const firstClaim = await claimOn(
      t.app,
      t.db.db,
      await sale(customer, { proofUploadId: await proof(), createdDaysAgo: 1 }),
      customer,
    );
    expect((await refund(firstClaim)).statusCode).toBe(201);
    const secondClaim = await claimOn(
      t.app,
      t.db.db,
      await sale(customer, { proofUploadId: await proof(), createdDaysAgo: 2 }),
      customer,
    );
    expect((await refund(secondClaim)).statusCode).toBe(409);
    expect((await reviewOf(secondClaim))?.signals).toEqual([
      { code: 'late_registration', facts: { leadDays: 2, lateClaims: 2, withinDays: 3 } },
    ]);
  });

  it('holds the reimbursement of a dealer whose refunds stand out, and its approver cannot wave it through alone', async () => {
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/risk',
      headers: as('admin'),
      payload: { ...defaultRiskSettings, outlierMinSample: 5 },
    });
    // A product of this test's own. The other dealer: 40 sales of it, none refunded. Ours: 6 sales,
    // 5 refunds, each to a different customer (so no customer-side rule fires).
    const [ownProduct] = await t.db.db
      .insert(products)
      .values({
        sku: `RISK-D-${randomUUID().slice(0, 8)}`,
        nameEn: 'Test panel',
        nameZh: '测试直流屏',
        category: 'headset',
        priceMinor: 29_900,
        currency: 'CNY',
      })
      .returning({ id: products.id });
    const product = { productId: ownProduct?.id ?? '' };
    for (let i = 0; i < 40; i++) await sale(await newCustomer(), { dealer: 1, ...product });
    const reimbursements: string[] = [];
    for (let i = 0; i < 6; i++) {
      const customer = await newCustomer();
      const purchase = await sale(customer, product);
      if (i === 5) continue;
      const claimId = await claimOn(t.app, t.db.db, purchase, customer);
      const res = await refund(claimId);
      expect(res.statusCode, res.body).toBe(201);
      reimbursements.push(res.json<{ reimbursement: { id: string } }>().reimbursement.id);
    }
    const target = reimbursements[4] ?? '';
    const held = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reimbursements/${target}/decision`,
      headers: as('support'),
      payload: { decision: 'approved', expectedVersion: 1 },
    });
    expect(held.statusCode, held.body).toBe(409);
    expect(held.json()).toMatchObject({ error: { code: 'RISK_REVIEW_PENDING' } });
    const [still] = await t.db.db
      .select()
      .from(reimbursementClaims)
      .where(eq(reimbursementClaims.id, target));
    expect(still?.status).toBe('pending');
    const review = await reviewOf(target);
    expect(review).toMatchObject({
      subjectKind: 'reimbursement',
      raisedBy: supportActor,
      dealerId: p.dealer(0),
    });
    expect(review?.signals[0]).toMatchObject({
      code: 'dealer_remedy_outlier',
      facts: { events: 5, base: 6 },
    });

    // Four eyes: the agent whose approval was held does not clear it.
    const own = await decide('support', review?.id ?? '', { decision: 'approved', expectedVersion: 1 });
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ error: { code: 'OWN_REQUEST' } });
    const cleared = await decide('secondSupport', review?.id ?? '', {
      decision: 'approved',
      expectedVersion: 1,
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ decidedBy: secondSupportActor });
    const approved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reimbursements/${target}/decision`,
      headers: as('support'),
      payload: { decision: 'approved', expectedVersion: 1 },
    });
    expect(approved.statusCode, approved.body).toBe(200);

    // Another of its reimbursements, declined on review: declined as a reimbursement too, and the
    // dealer is told why.
    const other = reimbursements[3] ?? '';
    const heldToo = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reimbursements/${other}/decision`,
      headers: as('support'),
      payload: { decision: 'approved', expectedVersion: 1 },
    });
    expect(heldToo.statusCode).toBe(409);
    const otherReview = await reviewOf(other);
    const declined = await decide('secondSupport', otherReview?.id ?? '', {
      decision: 'rejected',
      reason: 'Refunds without returned units',
      expectedVersion: 1,
    });
    expect(declined.statusCode, declined.body).toBe(200);
    const [rejected] = await t.db.db
      .select()
      .from(reimbursementClaims)
      .where(eq(reimbursementClaims.id, other));
    expect(rejected).toMatchObject({
      status: 'rejected',
      reason: 'Refunds without returned units',
      decidedBy: secondSupportActor,
    });
    const dealerTold = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'reimbursement.rejected'));
    expect(
      dealerTold.some((m) => m.body.includes(other) && m.body.includes('Refunds without returned units')),
    ).toBe(true);
  });

  it('two counters pressing refund on a held claim at once share one review, and nothing is paid', async () => {
    const customer = await newCustomer();
    let last = '';
    for (let i = 0; i < 4; i++) last = await claimOn(t.app, t.db.db, await sale(customer), customer);
    const [a, b] = await Promise.all([refund(last), refund(last)]);
    expect([a.statusCode, b.statusCode]).toEqual([409, 409]);
    expect(await t.db.db.select().from(riskReviews).where(eq(riskReviews.subjectId, last))).toHaveLength(1);
    expect(await remediesOf(last)).toEqual([]);
  });

  it('thresholds are the admin’s: audited, validated, and read by staff only', async () => {
    const put = (role: keyof typeof cookies, payload: object) =>
      t.app.inject({ method: 'PUT', url: '/api/v1/settings/risk', headers: as(role), payload });
    expect((await put('support', defaultRiskSettings)).statusCode).toBe(403);
    expect((await put('admin', { ...defaultRiskSettings, outlierFactorPercent: 50 })).statusCode).toBe(400);
    expect((await put('admin', { ...defaultRiskSettings, maxClaimsPer12Months: 5 })).statusCode).toBe(200);
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/settings/risk', headers: as('qa') });
    expect(read.json()).toMatchObject({ maxClaimsPer12Months: 5 });
    for (const role of ['dealer', 'customer'] as const) {
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/v1/settings/risk', headers: as(role) })).statusCode,
      ).toBe(403);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/v1/risk-reviews', headers: as(role) })).statusCode,
      ).toBe(403);
    }
    const [audit] = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'risk.settings.updated'))
      .orderBy(desc(auditEvents.occurredAt))
      .limit(1);
    expect(audit?.data).toMatchObject({ from: defaultRiskSettings, to: { maxClaimsPer12Months: 5 } });

    // With 5 allowed, a fourth claim goes straight through.
    const customer = await newCustomer();
    let last = '';
    for (let i = 0; i < 4; i++) last = await claimOn(t.app, t.db.db, await sale(customer), customer);
    expect((await refund(last)).statusCode).toBe(201);
  });

  it('QA sees the OEM credits it reviews, not the customers’ claims', async () => {
    const customer = await newCustomer();
    let last = '';
    for (let i = 0; i < 4; i++) last = await claimOn(t.app, t.db.db, await sale(customer), customer);
    expect((await refund(last)).statusCode).toBe(409);
    const review = await reviewOf(last);
    const qaList = await t.app.inject({ method: 'GET', url: '/api/v1/risk-reviews', headers: as('qa') });
    expect(qaList.json<Review[]>().some((r) => r.subjectKind === 'claim')).toBe(false);
    const qaOne = await t.app.inject({
      method: 'GET',
      url: `/api/v1/risk-reviews/${review?.id ?? ''}`,
      headers: as('qa'),
    });
    expect(qaOne.statusCode).toBe(404);
    expect(
      (await decide('qa', review?.id ?? '', { decision: 'approved', expectedVersion: 1 })).statusCode,
    ).toBe(404);
  });
});
