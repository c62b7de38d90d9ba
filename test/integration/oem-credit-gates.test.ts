import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { approvals, excessResolutions, riskReviews } from '../../src/db/schema.js';
import { DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { defaultRiskSettings } from '../../src/domain/risk/signals.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { bookOrder, oemWorld, uploadEvidence } from '../support/oem-fixtures.js';
import { TODAY } from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Issue 14, items 3 and 6, for OEM credits: a money credit above the four-eyes threshold is not taken
 * by the client's next order until sales approve it as the second person; a credit of a client whose
 * accepted excess stands out against other clients' waits for QA's review. Either way the confirmation
 * of the next order goes on, without the credit.
 */

type Ledger = { version: number; excess: number; excessUnresolved: number };

describe.each(testDatabases())('OEM credits wait for four eyes and fraud reviews on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    for (const role of ['oem', 'sales', 'qa', 'admin'] as const)
      cookies.set(role, await demoSession(t.app, role));
  });

  const headers = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const call = (role: Role, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: headers(role), ...(payload ? { payload } : {}) });
  const bookers = () => ({
    oem: cookies.get('oem'),
    sales: cookies.get('sales') ?? '',
    qa: cookies.get('qa') ?? '',
  });
  let orderNo = 0;
  const book = async () =>
    bookOrder(t.app, bookers(), {
      sku: DEMO_SKUS.chargerModule,
      quantity: 600,
      spareRateBps: 50,
      deliveryDate: '2026-10-15',
      orderNumber: `BW-GATE-${++orderNo}`,
      lots: [{ lot: `CHG-GATE-${orderNo}` }],
    });

  /** An order with `excess` units beyond its 3 spares, accepted by QA, taken as a money credit. */
  const moneyCredit = async (excess: number) => {
    const order = await book();
    const photo = await uploadEvidence(t.app, cookies.get('oem') ?? '');
    const reported = await call('oem', 'POST', `/api/v1/oem-orders/${order.id}/defect-reports`, {
      units: 3 + excess,
      failureMode: 'Fan stalls',
      evidenceUploadIds: [photo],
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const waiting = (await call('oem', 'GET', `/api/v1/oem-orders/${order.id}/ledger`)).json<Ledger>();
    const accepted = await call(
      'qa',
      'POST',
      `/api/v1/oem-defect-reports/${reported.json<{ id: string }>().id}/review`,
      {
        acceptUnits: 3 + excess,
        basis: 'evidence',
        expectedVersion: waiting.version,
      },
    );
    expect(accepted.statusCode, accepted.body).toBe(200);
    const ledger = (await call('oem', 'GET', `/api/v1/oem-orders/${order.id}/ledger`)).json<Ledger>();
    const credit = await call('oem', 'POST', `/api/v1/oem-orders/${order.id}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'money',
      expectedVersion: ledger.version,
    });
    expect(credit.statusCode, credit.body).toBe(201);
    const [row] = await t.db.db
      .select()
      .from(excessResolutions)
      .where(eq(excessResolutions.orderId, order.id));
    if (!row) throw new Error('no credit');
    return row;
  };
  const appliedTo = async (creditId: string) =>
    (await t.db.db.select().from(excessResolutions).where(eq(excessResolutions.id, creditId)))[0]
      ?.appliedToOrderId;

  it('a money credit above the threshold is not taken by the next order until sales approve it', async () => {
    const set = await call('admin', 'PUT', '/api/v1/settings/four-eyes', { thresholds: { CNY: 10_000 } });
    expect(set.statusCode, set.body).toBe(200);
    const credit = await moneyCredit(2); // 2 × CN¥100.00: above CN¥100.00
    const [approval] = await t.db.db.select().from(approvals).where(eq(approvals.subjectId, credit.id));
    expect(approval).toMatchObject({ kind: 'oem_credit', state: 'pending', amountMinor: 20_000 });

    const next = await book();
    expect(await appliedTo(credit.id)).toBeNull();

    // The client asked; sales are the second person.
    const decided = await call('sales', 'POST', `/api/v1/approvals/${approval?.id ?? ''}/decision`, {
      decision: 'approved',
      expectedVersion: approval?.version ?? 1,
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const later = await book();
    expect(await appliedTo(credit.id)).toBe(later.id);
    expect(later.id).not.toBe(next.id);
    await call('admin', 'PUT', '/api/v1/settings/four-eyes', { thresholds: { CNY: 200_000 } });
  });

  it('a rejected credit never applies', async () => {
    await call('admin', 'PUT', '/api/v1/settings/four-eyes', { thresholds: { CNY: 10_000 } });
    const credit = await moneyCredit(2);
    const [approval] = await t.db.db.select().from(approvals).where(eq(approvals.subjectId, credit.id));
    const rejected = await call('sales', 'POST', `/api/v1/approvals/${approval?.id ?? ''}/decision`, {
      decision: 'rejected',
      reason: 'The returned units work',
      expectedVersion: approval?.version ?? 1,
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    await book();
    await book();
    expect(await appliedTo(credit.id)).toBeNull();
    await call('admin', 'PUT', '/api/v1/settings/four-eyes', { thresholds: { CNY: 200_000 } });
  });

  it('with no other client to compare with, no credit is held as an outlier', async () => {
    // The demo has one OEM client: its rate has no peers, so the outlier rule stays quiet.
    await call('admin', 'PUT', '/api/v1/settings/risk', {
      ...defaultRiskSettings,
      outlierMinSample: 1,
      outlierFactorPercent: 100,
    });
    const credit = await moneyCredit(1);
    const next = await book();
    expect(await appliedTo(credit.id)).toBe(next.id);
    expect(await t.db.db.select().from(riskReviews).where(eq(riskReviews.subjectId, credit.id))).toEqual([]);
  });

  it('a client whose accepted excess stands out against another’s clean volume has its credit held for QA', async () => {
    // Another client, 20,000 units delivered and nothing accepted beyond its spares.
    const w = await oemWorld(t.db.db);
    await bookOrder(t.app, bookers(), {
      clientId: w.otherClient,
      sku: DEMO_SKUS.chargerModule,
      quantity: 20_000,
      spareRateBps: 50,
      deliveryDate: '2026-10-15',
      orderNumber: 'NL-GATE-1',
      lots: [{ lot: 'CHG-GATE-NL' }],
    });
    await call('admin', 'PUT', '/api/v1/settings/risk', defaultRiskSettings);
    const credit = await moneyCredit(1);
    const next = await book();
    // The confirmation went through; the credit waits, and QA has it in its queue with the numbers.
    expect(await appliedTo(credit.id)).toBeNull();
    const [review] = await t.db.db.select().from(riskReviews).where(eq(riskReviews.subjectId, credit.id));
    expect(review).toMatchObject({ subjectKind: 'excess_resolution', status: 'pending' });
    expect(review?.signals[0]?.code).toBe('oem_excess_outlier');
    const queue = await call('qa', 'GET', '/api/v1/risk-reviews?status=pending');
    expect(queue.json<{ id: string }[]>().map((r) => r.id)).toContain(review?.id);
    // Support does not review OEM credits; QA approves, and a later order takes it.
    expect((await call('admin', 'GET', `/api/v1/risk-reviews/${review?.id ?? ''}`)).statusCode).toBe(200);
    const approved = await call('qa', 'POST', `/api/v1/risk-reviews/${review?.id ?? ''}/decision`, {
      decision: 'approved',
      expectedVersion: review?.version ?? 1,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const later = await book();
    expect(await appliedTo(credit.id)).toBe(later.id);
    expect(later.id).not.toBe(next.id);
  });
});
