import { and, eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  excessResolutions,
  lotAllocations,
  lots,
  oemLotTotals,
  oemOrders,
} from '../../src/db/schema.js';
import { DEMO_FLAGGED_OEM_ORDER, DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import type { Lot, OemDefectReport, OemOrder, OemOrderLedger } from '../../src/http/oem-orders/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { bookOrder, type OemWorld, oemWorld, uploadEvidence } from '../support/oem-fixtures.js';
import { TODAY } from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Issue 14, items 4 and 5: no OEM client's word alone moves money. Each test replays an attack of the
 * penetration test (or a variant) and ends with nothing granted — a 4xx, or the thing waiting for a
 * person (sales, QA).
 */

type Err = { error: { code: string; message: string } };

describe.each(testDatabases())('OEM trust: prices, lots and QA acceptance on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let w: OemWorld;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    for (const role of ['oem', 'sales', 'qa', 'admin', 'support'] as const)
      cookies.set(role, await demoSession(t.app, role));
    w = await oemWorld(t.db.db);
  });

  const headers = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const get = (role: Role, url: string) => t.app.inject({ method: 'GET', url, headers: headers(role) });
  const post = (role: Role, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: headers(role), payload });
  const refusal = (res: LightMyRequestResponse) => [res.statusCode, res.json<Err>().error.code];
  const bookers = () => ({
    oem: cookies.get('oem'),
    sales: cookies.get('sales') ?? '',
    qa: cookies.get('qa') ?? '',
  });
  const creditsOf = async (orderId: string) =>
    (await t.db.db.select().from(excessResolutions).where(eq(excessResolutions.orderId, orderId))).length;
  const ledgerOf = async (orderId: string) =>
    (await get('oem', `/api/v1/oem-orders/${orderId}/ledger`)).json<OemOrderLedger>();

  it('attack: a client-set price 54× the catalogue, 1,000 units reported without evidence, a money credit — refused or waiting for QA', async () => {
    const catalogue = 18_900;
    // The client names its own price: the field does not exist for it, nothing is booked.
    const before = await t.db.db.$count(oemOrders);
    const priced = await post('oem', '/api/v1/oem-orders', {
      sku: DEMO_SKUS.bluetoothHeadset,
      quantity: 1000,
      deliveryDate: '2026-10-01',
      unitPrice: { amountMinor: catalogue * 54, currency: 'CNY' },
    });
    expect(refusal(priced)).toEqual([400, 'VALIDATION_FAILED']);
    expect(await t.db.db.$count(oemOrders)).toBe(before);

    // Booked the honest way, it is confirmed at the contract price in force — never the client's.
    const order = (await bookOrder(t.app, bookers(), {
      sku: DEMO_SKUS.bluetoothHeadset,
      quantity: 1000,
      spareRateBps: 50,
      deliveryDate: '2026-10-01',
      orderNumber: 'BW-ATTACK-1',
      lots: [{ lot: 'BTH500-L2609X' }],
    })) as unknown as OemOrder;
    expect(order.unitPrice).toEqual({ amountMinor: catalogue, currency: 'CNY' });

    // Every unit reported defective, no evidence: the 5 spares cover 5 at once, 995 wait for QA.
    const all = await post('oem', `/api/v1/oem-orders/${order.id}/defect-reports`, {
      units: 1000,
      failureMode: 'All dead',
    });
    expect(all.statusCode, all.body).toBe(201);
    const waiting = await ledgerOf(order.id);
    expect(waiting).toMatchObject({ coveredBySpares: 5, awaitingQa: 995, excess: 0, excessUnresolved: 0 });

    // The money credit on unaccepted units: nothing to grant.
    const credit = await post('oem', `/api/v1/oem-orders/${order.id}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'money',
      expectedVersion: waiting.version,
    });
    expect(refusal(credit)).toEqual([409, 'NO_EXCESS']);
    const shipment = await post('oem', `/api/v1/oem-orders/${order.id}/excess-resolutions`, {
      remedy: 'replacement_shipment',
      expectedVersion: waiting.version,
    });
    expect(refusal(shipment)).toEqual([409, 'NO_EXCESS']);
    expect(await creditsOf(order.id)).toBe(0);

    // The next order pays in full: no credit was made to take.
    const next = (await bookOrder(t.app, bookers(), {
      sku: DEMO_SKUS.bluetoothHeadset,
      quantity: 1000,
      spareRateBps: 50,
      deliveryDate: '2026-12-01',
      orderNumber: 'BW-ATTACK-2',
      lots: [{ lot: 'BTH500-L2609Y' }],
    })) as unknown as OemOrder;
    expect(next.nextOrderCredits.applied).toEqual([]);
    expect(next.billing.amountDue).toEqual({ amountMinor: 1000 * catalogue, currency: 'CNY' });

    // QA rejects the claim with a reason; the client reads it; still nothing is owed.
    const [queued] = (await get('qa', '/api/v1/oem-defect-reports/reviews'))
      .json<(OemDefectReport & { orderVersion: number; awaitingQa: number })[]>()
      .filter((r) => r.order.id === order.id);
    expect(queued).toMatchObject({ awaitingQa: 995, review: { undecidedUnits: 1000 } });
    const reason = 'Returned sample of 20 units all work: no fault found';
    const rejected = await post('qa', `/api/v1/oem-defect-reports/${queued?.id ?? ''}/review`, {
      rejectUnits: 995,
      reason,
      expectedVersion: queued?.orderVersion,
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const seen = (await get('oem', `/api/v1/oem-orders/${order.id}/defect-reports`)).json<
      OemDefectReport[]
    >();
    expect(seen[0]?.review).toMatchObject({ rejectedUnits: 995, rejectionReason: reason, undecidedUnits: 5 });
    const after = await ledgerOf(order.id);
    expect(after).toMatchObject({ coveredBySpares: 5, rejected: 995, awaitingQa: 0, excess: 0 });
    expect(after.lines[0]).toMatchObject({ rejectionReason: reason });
    expect(await creditsOf(order.id)).toBe(0);
    const applied = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'oem_credit.applied'));
    expect(applied).toEqual([]);
  });

  it('prices: a client cannot read or write the price list; a later price version leaves a confirmed order’s price — and its money credit — alone', async () => {
    expect((await get('oem', '/api/v1/oem-price-list')).statusCode).toBe(403);
    const own = await post('oem', '/api/v1/oem-price-list', {
      clientId: w.demoClient,
      sku: DEMO_SKUS.chargerModule,
      unitPrice: { amountMinor: 1, currency: 'CNY' },
      effectiveFrom: '2026-01-01',
    });
    expect(refusal(own)).toEqual([403, 'FORBIDDEN']);
    const order = (await bookOrder(t.app, bookers(), {
      sku: DEMO_SKUS.chargerModule,
      quantity: 600,
      spareRateBps: 50,
      deliveryDate: '2026-10-15',
      orderNumber: 'BW-PRICE-1',
      lots: [{ lot: 'CHG-L2610P' }],
    })) as unknown as OemOrder;
    expect(order.unitPrice).toEqual({ amountMinor: 10_000, currency: 'CNY' });
    // Sales add a version that would have applied on the order's day; the same day twice is refused.
    const later = await post('sales', '/api/v1/oem-price-list', {
      clientId: w.demoClient,
      sku: DEMO_SKUS.chargerModule,
      unitPrice: { amountMinor: 680_000, currency: 'CNY' },
      effectiveFrom: TODAY.subtract({ days: 1 }).toString(),
    });
    expect(later.statusCode, later.body).toBe(201);
    const again = await post('sales', '/api/v1/oem-price-list', {
      clientId: w.demoClient,
      sku: DEMO_SKUS.chargerModule,
      unitPrice: { amountMinor: 700_000, currency: 'CNY' },
      effectiveFrom: TODAY.subtract({ days: 1 }).toString(),
    });
    expect(refusal(again)).toEqual([409, 'PRICE_VERSION_EXISTS']);
    expect((await get('oem', `/api/v1/oem-orders/${order.id}`)).json<OemOrder>().unitPrice).toEqual({
      amountMinor: 10_000,
      currency: 'CNY',
    });
    const versions = (await get('sales', `/api/v1/oem-price-list?clientId=${w.demoClient}`)).json<
      { product: { sku: string }; unitPrice: { amountMinor: number } }[]
    >();
    expect(
      versions.filter((v) => v.product.sku === DEMO_SKUS.chargerModule).map((v) => v.unitPrice.amountMinor),
    ).toContain(680_000);

    // 4 units reported with a photo, 3 spares: the one beyond them, once QA accepts it from the photo,
    // is credited at the confirmed price — not at the new one.
    const photo = await uploadEvidence(t.app, cookies.get('oem') ?? '');
    const reported = await post('oem', `/api/v1/oem-orders/${order.id}/defect-reports`, {
      units: 4,
      failureMode: 'Fan stalls',
      evidenceUploadIds: [photo],
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const report = reported.json<OemDefectReport>();
    const waiting = await ledgerOf(order.id);
    const accepted = await post('qa', `/api/v1/oem-defect-reports/${report.id}/review`, {
      acceptUnits: 4,
      basis: 'evidence',
      expectedVersion: waiting.version,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const ledger = await ledgerOf(order.id);
    expect(ledger).toMatchObject({ excess: 1, excessUnresolved: 1 });
    const credit = await post('oem', `/api/v1/oem-orders/${order.id}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'money',
      expectedVersion: ledger.version,
    });
    expect(credit.json()).toMatchObject({
      credit: { kind: 'money', amount: { amountMinor: 10_000, currency: 'CNY' } },
    });
  });

  it('attack: 100 million units booked into another client’s flagged lot — no route lets a client name a lot, and no lot ships more than it holds', async () => {
    const [flagged] = await t.db.db.select().from(lots).where(eq(lots.code, 'HS200-L2509C'));
    const rateBefore = await t.db.db.select().from(oemLotTotals).where(eq(oemLotTotals.lot, 'HS200-L2509C'));
    expect(rateBefore[0]?.flagged).toBe(true);
    // The client's request has no lots…
    const withLot = await post('oem', '/api/v1/oem-orders', {
      sku: DEMO_SKUS.headset,
      quantity: 100_000_000,
      deliveryDate: '2026-10-01',
      lots: [{ lot: 'HS200-L2509C', units: 100_000_000 }],
    });
    expect(withLot.statusCode).toBe(400);
    // …lots are the maker's: a client may not allocate one…
    const order = (await bookOrder(t.app, bookers(), {
      sku: DEMO_SKUS.headset,
      quantity: 100_000_000,
      spareRateBps: 50,
      deliveryDate: '2026-10-01',
      orderNumber: 'BW-DILUTE-1',
      lots: [],
    })) as unknown as OemOrder;
    const byClient = await post('oem', `/api/v1/lots/${flagged?.id ?? ''}/allocations`, {
      orderId: order.id,
      units: 100_000_000,
    });
    expect(refusal(byClient)).toEqual([403, 'FORBIDDEN']);
    // …and even QA cannot ship more than the lot holds (its 1,000 units all went to OEM-BW-0002).
    const byQa = await post('qa', `/api/v1/lots/${flagged?.id ?? ''}/allocations`, {
      orderId: order.id,
      units: 100_000_000,
    });
    expect(refusal(byQa)).toEqual([409, 'LOT_UNITS_EXHAUSTED']);
    const one = await post('qa', `/api/v1/lots/${flagged?.id ?? ''}/allocations`, {
      orderId: order.id,
      units: 1,
    });
    expect(refusal(one)).toEqual([409, 'LOT_UNITS_EXHAUSTED']);
    // The lot's rate is what it was: still flagged for QA.
    const rateAfter = await t.db.db.select().from(oemLotTotals).where(eq(oemLotTotals.lot, 'HS200-L2509C'));
    expect(rateAfter).toEqual(rateBefore);
    // A report naming the other order's lot is refused: it is not this order's lot.
    const report = await post('oem', `/api/v1/oem-orders/${order.id}/defect-reports`, {
      lot: 'HS200-L2509C',
      units: 1,
      failureMode: 'x',
    });
    expect(report.statusCode).toBe(400);
  });

  it('lots: not beyond what a lot holds, not to a request, not to another product, not twice to one order', async () => {
    const lot = (
      await post('qa', '/api/v1/lots', {
        sku: DEMO_SKUS.chargerModule,
        code: 'CHG-L2611T',
        quantity: 100,
        madeOn: '2026-11-01',
      })
    ).json<Lot>();
    expect(lot).toMatchObject({ quantity: 100, allocated: 0, left: 100 });
    expect(
      refusal(
        await post('sales', '/api/v1/lots', {
          sku: DEMO_SKUS.headset,
          code: 'CHG-L2611T',
          quantity: 5,
          madeOn: '2026-11-01',
        }),
      ),
    ).toEqual([409, 'LOT_OF_ANOTHER_PRODUCT']);
    expect(
      refusal(
        await post('qa', '/api/v1/lots', {
          sku: DEMO_SKUS.chargerModule,
          code: 'CHG-L2611T',
          quantity: 5,
          madeOn: '2026-11-01',
        }),
      ),
    ).toEqual([409, 'LOT_CODE_TAKEN']);
    const order = (await bookOrder(t.app, bookers(), {
      sku: DEMO_SKUS.chargerModule,
      quantity: 300,
      spareRateBps: 40,
      deliveryDate: '2026-11-20',
      orderNumber: 'BW-LOTS-1',
      lots: [],
    })) as unknown as OemOrder;
    const allocate = (units: number, orderId = order.id) =>
      post('qa', `/api/v1/lots/${lot.id}/allocations`, { orderId, units });
    expect(refusal(await allocate(101))).toEqual([409, 'LOT_UNITS_EXHAUSTED']);
    const requested = (
      await post('oem', '/api/v1/oem-orders', {
        sku: DEMO_SKUS.chargerModule,
        quantity: 10,
        deliveryDate: '2026-12-01',
      })
    ).json<OemOrder>();
    expect(refusal(await allocate(10, requested.id))).toEqual([409, 'ORDER_NOT_CONFIRMED']);
    expect(refusal(await allocate(1, w.flaggedOrder))).toEqual([409, 'LOT_OF_ANOTHER_PRODUCT']);
    expect((await allocate(60)).statusCode).toBe(201);
    expect(refusal(await allocate(10))).toEqual([409, 'LOT_ALREADY_ON_ORDER']);
    expect((await get('qa', `/api/v1/lots/${lot.id}`)).json<Lot>()).toMatchObject({
      allocated: 60,
      left: 40,
    });
    // A report on a request (no lots, no price) is refused.
    const early = await post('oem', `/api/v1/oem-orders/${requested.id}/defect-reports`, {
      units: 1,
      failureMode: 'x',
    });
    expect(refusal(early)).toEqual([409, 'ORDER_NOT_CONFIRMED']);
    // Never more defects than units delivered: 60 of the 300 have shipped.
    const tooMany = await post('oem', `/api/v1/oem-orders/${order.id}/defect-reports`, {
      units: 61,
      failureMode: 'Fan noise',
    });
    expect(refusal(tooMany)).toEqual([400, 'UNITS_EXCEED_LOT']);
    expect(
      (
        await post('oem', `/api/v1/oem-orders/${order.id}/defect-reports`, {
          units: 60,
          failureMode: 'Fan noise',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      refusal(
        await post('oem', `/api/v1/oem-orders/${order.id}/defect-reports`, {
          units: 1,
          failureMode: 'Fan noise',
        }),
      ),
    ).toEqual([400, 'UNITS_EXCEED_DELIVERED']);
  });

  it('race: two orders reaching for the last units of a lot at once — one gets them, the other is 409', async () => {
    for (let round = 0; round < 3; round++) {
      const lot = (
        await post('qa', '/api/v1/lots', {
          sku: DEMO_SKUS.chargerModule,
          code: `CHG-RACE-L${round}`,
          quantity: 150,
          madeOn: '2026-11-01',
        })
      ).json<Lot>();
      const orders = [] as OemOrder[];
      for (const i of [0, 1, 2]) {
        orders.push(
          (await bookOrder(t.app, bookers(), {
            sku: DEMO_SKUS.chargerModule,
            quantity: 100,
            spareRateBps: 40,
            deliveryDate: '2026-11-20',
            orderNumber: `BW-RACE-${round}-${i}`,
            lots: [],
          })) as unknown as OemOrder,
        );
      }
      const answers = await Promise.all(
        orders.map((o, i) =>
          post(i % 2 ? 'sales' : 'qa', `/api/v1/lots/${lot.id}/allocations`, { orderId: o.id, units: 100 }),
        ),
      );
      expect(
        answers.filter((a) => a.statusCode === 201),
        answers.map((a) => a.body).join('\n'),
      ).toHaveLength(1);
      for (const lost of answers.filter((a) => a.statusCode !== 201)) {
        expect(refusal(lost)).toEqual([409, 'LOT_UNITS_EXHAUSTED']);
      }
      const [sum] = await t.db.db
        .select({ units: sql<number>`coalesce(sum(${lotAllocations.units}), 0)::int` })
        .from(lotAllocations)
        .where(eq(lotAllocations.lotId, lot.id));
      expect(sum?.units).toBe(100);
      const [totals] = await t.db.db
        .select()
        .from(oemLotTotals)
        .where(
          and(eq(oemLotTotals.lot, lot.code), eq(oemLotTotals.productId, w.product(DEMO_SKUS.chargerModule))),
        );
      expect(totals?.unitsShipped).toBe(100);
    }
  });

  it('QA’s review: acceptance rests on evidence or returned units, rejection on a reason; only QA decides, once', async () => {
    const order = (await bookOrder(t.app, bookers(), {
      sku: DEMO_SKUS.chargerModule,
      quantity: 400,
      spareRateBps: 30,
      deliveryDate: '2026-11-01',
      orderNumber: 'BW-REVIEW-1',
      lots: [{ lot: 'CHG-L2611R' }],
    })) as unknown as OemOrder;
    const report = (
      await post('oem', `/api/v1/oem-orders/${order.id}/defect-reports`, {
        units: 6,
        failureMode: 'Smells burnt',
      })
    ).json<OemDefectReport>();
    const url = `/api/v1/oem-defect-reports/${report.id}/review`;
    let version = (await ledgerOf(order.id)).version;
    expect(
      refusal(await post('oem', url, { acceptUnits: 6, basis: 'evidence', expectedVersion: version })),
    ).toEqual([403, 'FORBIDDEN']);
    expect(
      refusal(await post('sales', url, { acceptUnits: 6, basis: 'evidence', expectedVersion: version })),
    ).toEqual([403, 'FORBIDDEN']);
    expect(
      refusal(await post('qa', url, { acceptUnits: 6, basis: 'evidence', expectedVersion: version })),
    ).toEqual([400, 'EVIDENCE_REQUIRED']);
    expect(
      refusal(await post('qa', url, { acceptUnits: 6, basis: 'returned_units', expectedVersion: version })),
    ).toEqual([400, 'RETURN_NOT_REQUESTED']);
    expect(refusal(await post('qa', url, { acceptUnits: 6, expectedVersion: version }))).toEqual([
      400,
      'BASIS_REQUIRED',
    ]);
    expect(refusal(await post('qa', url, { rejectUnits: 2, expectedVersion: version }))).toEqual([
      400,
      'REASON_REQUIRED',
    ]);
    expect(
      refusal(
        await post('qa', url, {
          acceptUnits: 7,
          rejectUnits: 0,
          basis: 'evidence',
          expectedVersion: version,
        }),
      ),
    ).toEqual([409, 'UNITS_EXCEED_UNDECIDED']);
    // A return number the client ships against; then the inspected units decide.
    const rma = await post('qa', `/api/v1/oem-defect-reports/${report.id}/return-request`, {
      expectedVersion: version,
    });
    expect(rma.statusCode, rma.body).toBe(200);
    version = rma.json<{ orderVersion: number }>().orderVersion;
    const seen = (await get('oem', `/api/v1/oem-orders/${order.id}/defect-reports`)).json<
      OemDefectReport[]
    >();
    expect(seen[0]?.review.rmaNumber).toMatch(/^RMA-2026-\d{6}$/);
    // Two reviewers at once on the same units: one decision, the other stale.
    const answers = await Promise.all([
      post('qa', url, {
        acceptUnits: 4,
        rejectUnits: 2,
        basis: 'returned_units',
        reason: 'Two work fine',
        expectedVersion: version,
      }),
      post('admin', url, { acceptUnits: 6, basis: 'returned_units', expectedVersion: version }),
    ]);
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    const loser = answers.find((a) => a.statusCode !== 200);
    if (!loser) throw new Error('both decisions went through');
    expect(refusal(loser)).toEqual([409, 'VERSION_CONFLICT']);
    const ledger = await ledgerOf(order.id);
    // 2 spares (400 × 0.3 %, rounded up); whichever decision won, the rest is settled once.
    expect(ledger.awaitingQa).toBe(0);
    expect(ledger.coveredBySpares + ledger.excess + ledger.rejected).toBe(6);
    const reviewed = await t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'oem_defect.reviewed'), eq(auditEvents.entityId, report.id)));
    expect(reviewed).toHaveLength(1);
  });

  it('QA’s queue shows the seeded report waiting, and the client sees it waiting too', async () => {
    const queue = (await get('qa', '/api/v1/oem-defect-reports/reviews')).json<
      { order: { orderNumber: string }; awaitingQa: number }[]
    >();
    expect(queue.find((q) => q.order.orderNumber === 'OEM-BW-0003')).toMatchObject({ awaitingQa: 2 });
    expect((await get('oem', '/api/v1/oem-defect-reports/reviews')).statusCode).toBe(403);
    const [flagged] = await t.db.db
      .select()
      .from(oemOrders)
      .where(eq(oemOrders.orderNumber, DEMO_FLAGGED_OEM_ORDER.orderNumber));
    expect(flagged?.state).toBe('confirmed');
  });
});
