import { eq, ne, TransactionRollbackError } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lotsOf } from '../../src/app/oem/oem-records.js';
import { lotRateOfTotals } from '../../src/domain/oem/early-warning.js';
import type { Database, DatabaseHandle } from '../../src/db/client.js';
import { oemDefectReports, oemLotTotals, oemOrders } from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { oemWorld, type OemWorld } from '../support/oem-fixtures.js';
import { testDatabases } from '../support/databases.js';

/*
 * `oem_lot_totals` is kept by triggers (migration 0015) so that QA's lot rates need not add up every
 * order and report. Whatever is written — orders with lot details or only lot codes, reports, changed
 * spare rates and lots, deletions — the totals must equal what lotsOf() and the reports add up to.
 */

type Totals = Map<
  string,
  { unitsShipped: number; shipments: number; spareRateBps: number | null; defects: number }
>;

async function expectedTotals(db: Database): Promise<Totals> {
  const totals: Totals = new Map();
  const entry = (productId: string, lot: string) => {
    const key = `${productId} ${lot}`;
    const found = totals.get(key) ?? { unitsShipped: 0, shipments: 0, spareRateBps: null, defects: 0 };
    totals.set(key, found);
    return found;
  };
  for (const order of await db.select().from(oemOrders)) {
    for (const l of lotsOf(order)) {
      const e = entry(order.productId, l.lot);
      e.unitsShipped += l.units;
      e.shipments += 1;
      e.spareRateBps = Math.min(e.spareRateBps ?? Infinity, order.spareRateBps);
    }
  }
  // Units QA rejected are no defects of the lot.
  for (const report of await db.select().from(oemDefectReports))
    entry(report.productId, report.lot).defects += report.units - report.rejectedUnits;
  // A lot whose reports were all rejected and whose orders went elsewhere is no lot (as kept, below).
  for (const [key, t] of totals) if (t.shipments === 0 && t.defects === 0) totals.delete(key);
  return totals;
}

async function keptTotals(db: Database): Promise<Totals> {
  const totals: Totals = new Map();
  for (const row of await db.select().from(oemLotTotals)) {
    // A lot whose last order and report went away keeps a row of zeros: it is no lot.
    if (row.shipments === 0 && row.defects === 0) continue;
    totals.set(`${row.productId} ${row.lot}`, {
      unitsShipped: row.unitsShipped,
      shipments: row.shipments,
      spareRateBps: row.spareRateBps,
      defects: row.defects,
    });
  }
  return totals;
}

const LOTS = ['LT-A', 'LT-B', 'LT-C', 'LT-D'];

type Step =
  | {
      kind: 'order';
      lots: { lot: string; units: number }[];
      detailed: boolean;
      spareRateBps: number;
      product: number;
    }
  | { kind: 'report'; order: number; lot: number; units: number }
  | { kind: 'spare'; order: number; spareRateBps: number }
  | { kind: 'relot'; order: number; lots: { lot: string; units: number }[] }
  | { kind: 'units'; report: number; units: number }
  | { kind: 'reject'; report: number; units: number }
  | { kind: 'unreport'; report: number }
  | { kind: 'unorder'; order: number };

const lotsArb = fc.uniqueArray(
  fc.record({ lot: fc.constantFrom(...LOTS), units: fc.integer({ min: 1, max: 5_000 }) }),
  { minLength: 1, maxLength: 3, selector: (l) => l.lot },
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('order' as const),
    lots: lotsArb,
    detailed: fc.boolean(),
    spareRateBps: fc.integer({ min: 30, max: 50 }),
    product: fc.nat(1),
  }),
  fc.record({
    kind: fc.constant('report' as const),
    order: fc.nat(),
    lot: fc.nat(),
    units: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({
    kind: fc.constant('spare' as const),
    order: fc.nat(),
    spareRateBps: fc.integer({ min: 30, max: 50 }),
  }),
  fc.record({ kind: fc.constant('relot' as const), order: fc.nat(), lots: lotsArb }),
  fc.record({
    kind: fc.constant('units' as const),
    report: fc.nat(),
    units: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({ kind: fc.constant('unreport' as const), report: fc.nat() }),
  fc.record({
    kind: fc.constant('reject' as const),
    report: fc.nat(),
    units: fc.integer({ min: 0, max: 50 }),
  }),
  fc.record({ kind: fc.constant('unorder' as const), order: fc.nat() }),
);

describe.each(testDatabases())('lot totals on $name', (testDb) => {
  let handle: DatabaseHandle;
  let world: OemWorld;
  let made = 0;

  beforeAll(async () => {
    handle = await testDb.open();
    await seedDemoData(handle.db, { today: Temporal.PlainDate.from('2026-11-25') });
    world = await oemWorld(handle.db);
  });
  afterAll(async () => {
    await handle.close();
  });

  async function apply(db: Database, step: Step): Promise<void> {
    // A request carries no lots until it is confirmed: the steps work on the orders that ship.
    const orders = await db
      .select()
      .from(oemOrders)
      .where(ne(oemOrders.state, 'requested'))
      .orderBy(oemOrders.createdAt, oemOrders.id);
    const reports = await db
      .select()
      .from(oemDefectReports)
      .orderBy(oemDefectReports.createdAt, oemDefectReports.id);
    const order = (i: number) => orders[i % Math.max(orders.length, 1)];
    const report = (i: number) => reports[i % Math.max(reports.length, 1)];
    switch (step.kind) {
      case 'order': {
        const quantity = step.lots.reduce((s, l) => s + l.units, 0);
        await db.insert(oemOrders).values({
          orderNumber: `LT-${++made}`,
          clientId: made % 2 ? world.demoClient : world.otherClient,
          productId: world.product(step.product ? 'BTH-500' : 'HS-200'),
          quantity,
          spareRateBps: step.spareRateBps,
          spareUnits: Math.ceil((quantity * step.spareRateBps) / 10_000),
          deliveryDate: '2026-09-01',
          lots: step.lots.map((l) => l.lot),
          // Orders booked before lot details were kept have only the codes.
          lotDetails: step.detailed ? step.lots.map((l) => ({ ...l, serials: null })) : [],
        });
        return;
      }
      case 'report': {
        const o = order(step.order);
        if (!o) return;
        const lots = lotsOf(o);
        const lot = lots[step.lot % lots.length]?.lot ?? 'LT-NONE';
        await db.insert(oemDefectReports).values({
          orderId: o.id,
          clientId: o.clientId,
          productId: o.productId,
          lot,
          units: step.units,
          failureMode: 'no sound',
          reportedOn: '2026-11-20',
          reportedBy: 'test',
          source: 'api',
        });
        return;
      }
      case 'spare': {
        const o = order(step.order);
        if (o)
          await db.update(oemOrders).set({ spareRateBps: step.spareRateBps }).where(eq(oemOrders.id, o.id));
        return;
      }
      case 'relot': {
        const o = order(step.order);
        if (!o) return;
        await db
          .update(oemOrders)
          .set({
            lots: step.lots.map((l) => l.lot),
            lotDetails: step.lots.map((l) => ({ ...l, serials: null })),
            quantity: step.lots.reduce((s, l) => s + l.units, 0),
          })
          .where(eq(oemOrders.id, o.id));
        return;
      }
      case 'units': {
        const r = report(step.report);
        if (r)
          await db
            .update(oemDefectReports)
            .set({
              units: step.units,
              serials: [],
              acceptedUnits: 0,
              rejectedUnits: 0,
              rejectionReason: null,
            })
            .where(eq(oemDefectReports.id, r.id));
        return;
      }
      case 'reject': {
        const r = report(step.report);
        if (r) {
          const rejected = Math.min(step.units, r.units);
          await db
            .update(oemDefectReports)
            .set({
              acceptedUnits: 0,
              rejectedUnits: rejected,
              rejectionReason: rejected ? 'no fault found' : null,
            })
            .where(eq(oemDefectReports.id, r.id));
        }
        return;
      }
      case 'unreport': {
        const r = report(step.report);
        if (r) await db.delete(oemDefectReports).where(eq(oemDefectReports.id, r.id));
        return;
      }
      case 'unorder': {
        const o = order(step.order);
        // Only an order nothing else points at: one this test made, without reports.
        if (!o?.orderNumber.startsWith('LT-') || reports.some((r) => r.orderId === o.id)) return;
        await db.delete(oemOrders).where(eq(oemOrders.id, o.id));
        return;
      }
    }
  }

  it('starts equal to what the seeded orders and reports add up to', async () => {
    expect(await keptTotals(handle.db)).toEqual(await expectedTotals(handle.db));
  });

  it('ranks by the same lower bound and flag as the domain, to the last bit', async () => {
    // The list is ordered by generated columns computing wilsonInterval's lower bound in SQL.
    const productId = world.product('HS-200');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        async (unitsShipped, defects, spareRateBps) => {
          let kept: { lower: number; flagged: boolean } | undefined;
          await handle.db
            .transaction(async (tx) => {
              [kept] = await tx
                .insert(oemLotTotals)
                .values({ productId, lot: 'LT-PROBE', unitsShipped, shipments: 1, spareRateBps, defects })
                .returning({ lower: oemLotTotals.lower, flagged: oemLotTotals.flagged });
              tx.rollback();
            })
            .catch((err: unknown) => {
              if (!(err instanceof TransactionRollbackError)) throw err;
            });
          const rate = lotRateOfTotals({ unitsShipped, spareRateBps, defects });
          expect(kept).toEqual({ lower: rate.lower, flagged: rate.flagged });
        },
      ),
      {
        numRuns: 150,
        // At the flag's edge (12 in 1,000 against 0.5 %, 7 in 1,000 not), nothing shipped, more
        // defects than units.
        examples: [
          [1000, 12, 50],
          [1000, 7, 50],
          [0, 0, 30],
          [0, 5, 30],
          [10, 12, 50],
        ],
      },
    );
  });

  it('stays equal through any sequence of writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (steps) => {
        await handle.db.transaction(async (tx) => {
          for (const step of steps) await apply(tx, step);
        });
        expect(await keptTotals(handle.db)).toEqual(await expectedTotals(handle.db));
      }),
      { numRuns: Number(process.env.LOT_TOTALS_RUNS ?? 15), seed: 20261130 },
    );
  });
});
