import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeCostReport } from '../../src/app/insight/cost/cost-report.js';
import {
  auditEvents,
  claims,
  dealerRemedies,
  maintenanceOrderParts,
  maintenanceOrderWork,
  parts,
  products,
  purchases,
  quotes,
  reimbursementClaims,
} from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import { productCategories } from '../../src/domain/reference-data.js';
import type { Role } from '../../src/domain/access/access.js';
import type { MaintenanceState } from '../../src/domain/maintenance/state-machine.js';
import { startsFormula } from '../../src/domain/csv.js';
import type { CostReportBody, CostRowsBody } from '../../src/http/insight/cost/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN } from '../support/sessions.js';
import {
  claimOn,
  demoParties,
  type DemoParties,
  insertMaintenanceOrder,
  insertPurchase,
  lenientRiskSettings,
  TODAY,
} from '../support/service-fixtures.js';

/*
 * Parts and labour on a maintenance order, and the cost of warranty they feed (issue 19 item 2): who may
 * record (the order's center's technicians and support), when (while the center holds the product; after,
 * only support's audited correction), within which bounds, and what two saves at once do. Then the
 * report: who reads it, that each figure is the sum of its rows, and that it equals a naive recomputation
 * over randomly generated rows.
 */

type Work = {
  version: number;
  labourHours: number;
  parts: { part: { id: string }; quantity: number; unitCost: { amountMinor: number } }[];
  partsCost: { amountMinor: number };
  labourCost: { amountMinor: number };
  total: { amountMinor: number };
};

describe.each(testDatabases())('parts, labour and the cost of warranty on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let world: DemoParties;
  let fuse: string;
  let board: string;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    await lenientRiskSettings(t.db.db);
    for (const role of [
      'admin',
      'support',
      'technician',
      'customer',
      'dealer',
      'qa',
      'sales',
      'oem',
    ] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    world = await demoParties(t.db.db);
  });

  const as = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const putWork = (role: Role, orderId: string, body: object) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v1/maintenance-orders/${orderId}/work`,
      headers: as(role),
      payload: body,
    });
  const getWork = (role: Role, orderId: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1/maintenance-orders/${orderId}/work`, headers: as(role) });

  /** An order of a fresh sale and claim, at a demo center, in a state. */
  const order = async (state: MaintenanceState, center: 0 | 1 = 0) => {
    const purchase = await insertPurchase(t.db.db, {
      productId: world.productId,
      dealerId: world.dealer(0),
      endUserId: world.endUser(0),
      daysAgo: 100,
    });
    const claim = await claimOn(t.app, t.db.db, purchase, world.endUser(0));
    return insertMaintenanceOrder(t.db.db, { claimId: claim, serviceCenterId: world.center(center), state });
  };

  it('lets an admin keep the parts list, and no one else', async () => {
    const create = (role: Role, body: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/parts', headers: as(role), payload: body });
    const made = await create('admin', {
      partNumber: 'T-FUSE-10A',
      name: { en: 'Fuse 10 A', zh: '保险丝 10 A' },
      unitCostMinor: 250,
    });
    expect(made.statusCode, made.body).toBe(201);
    fuse = made.json<{ id: string }>().id;
    const boardRes = await create('admin', {
      partNumber: 'T-MB-220-48',
      name: { en: 'Main board', zh: '主板' },
      unitCostMinor: 32_000,
      productId: world.productId,
    });
    expect(boardRes.statusCode, boardRes.body).toBe(201);
    board = boardRes.json<{ id: string }>().id;
    expect(boardRes.json()).toMatchObject({ unitCost: { amountMinor: 32_000, currency: 'CNY' }, version: 1 });

    // The same number twice, a technician adding, a negative cost: refused.
    expect(
      (
        await create('admin', { partNumber: 'T-FUSE-10A', name: { en: 'x', zh: 'x' }, unitCostMinor: 1 })
      ).json(),
    ).toMatchObject({ error: { code: 'PART_NUMBER_TAKEN' } });
    expect(
      (await create('technician', { partNumber: 'X-1', name: { en: 'x', zh: 'x' }, unitCostMinor: 1 }))
        .statusCode,
    ).toBe(403);
    expect(
      (await create('admin', { partNumber: 'X-2', name: { en: 'x', zh: 'x' }, unitCostMinor: -1 }))
        .statusCode,
    ).toBe(400);

    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/parts?productId=${world.productId}`,
      headers: as('technician'),
    });
    expect(list.statusCode).toBe(200);
    const listed = list.json<{ partNumber: string; product: { id: string } | null }[]>();
    expect(listed.map((p) => p.partNumber)).toEqual(expect.arrayContaining(['T-FUSE-10A', 'T-MB-220-48']));
    // Only this product's parts and the shared ones.
    expect(listed.every((p) => p.product === null || p.product.id === world.productId)).toBe(true);
    const [audit] = await t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'part.created'), eq(auditEvents.entityId, fuse)));
    expect(audit?.actor).toMatch(/^user:/);
  });

  it('records a technician’s parts and hours on its center’s order, priced and audited', async () => {
    const o = await order('repairing');
    const before = await getWork('technician', o.id);
    expect(before.json()).toMatchObject({ version: 0, parts: [], rule: 'record', mayChange: true });
    const res = await putWork('technician', o.id, {
      expectedVersion: 0,
      parts: [
        { partId: board, quantity: 1 },
        { partId: fuse, quantity: 3 },
      ],
      labourHours: 1.5,
    });
    expect(res.statusCode, res.body).toBe(200);
    const work = res.json<Work>();
    // 32,000 + 3 × 250 = 32,750; 1.5 h × 120.00 = 180.00.
    expect(work).toMatchObject({
      version: 1,
      labourHours: 1.5,
      partsCost: { amountMinor: 32_750 },
      labourCost: { amountMinor: 18_000 },
      total: { amountMinor: 50_750 },
    });
    const [audit] = await t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'maintenance_order.work_recorded'), eq(auditEvents.entityId, o.id)));
    expect(audit?.data).toMatchObject({ before: { labourHundredths: 0 }, after: { labourHundredths: 150 } });

    // A part's new cost prices later recordings; the board already on the order keeps its cost.
    const partRow = (await t.db.db.select().from(parts).where(eq(parts.id, board)))[0];
    const changed = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/parts/${board}`,
      headers: as('admin'),
      payload: {
        partNumber: 'T-MB-220-48',
        name: { en: 'Main board', zh: '主板' },
        unitCostMinor: 40_000,
        productId: world.productId,
        active: true,
        expectedVersion: partRow?.version ?? 1,
      },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const again = await putWork('technician', o.id, {
      expectedVersion: 1,
      parts: [{ partId: board, quantity: 2 }],
      labourHours: 2,
    });
    expect(again.json<Work>()).toMatchObject({
      version: 2,
      partsCost: { amountMinor: 64_000 },
      labourCost: { amountMinor: 24_000 },
    });
  });

  it('hides another center’s order behind a 404 and refuses the roles that do not repair', async () => {
    const other = await order('repairing', 1);
    const body = { expectedVersion: 0, parts: [{ partId: fuse, quantity: 1 }], labourHours: 1 };
    expect((await putWork('technician', other.id, body)).json()).toMatchObject({
      error: { code: 'MAINTENANCE_ORDER_NOT_FOUND' },
    });
    expect((await getWork('technician', other.id)).statusCode).toBe(404);
    for (const role of ['customer', 'dealer', 'qa', 'sales', 'oem'] as const) {
      expect((await putWork(role, other.id, body)).statusCode, role).toBe(403);
    }
    expect((await getWork('customer', other.id)).statusCode).toBe(403);
    // Support may, for any center.
    expect((await putWork('support', other.id, body)).statusCode).toBe(200);
    expect(
      await t.db.db.select().from(maintenanceOrderWork).where(eq(maintenanceOrderWork.orderId, other.id)),
    ).toHaveLength(1);
  });

  it('refuses negative, fractional, huge and repeated quantities and hours, and changes nothing', async () => {
    const o = await order('diagnosing');
    const bad: [object, string | number][] = [
      [{ parts: [{ partId: fuse, quantity: -1 }], labourHours: 1 }, 400],
      [{ parts: [{ partId: fuse, quantity: 0 }], labourHours: 1 }, 400],
      [{ parts: [{ partId: fuse, quantity: 1.5 }], labourHours: 1 }, 400],
      [{ parts: [{ partId: fuse, quantity: 1001 }], labourHours: 1 }, 400],
      [{ parts: [{ partId: fuse, quantity: 1e12 }], labourHours: 1 }, 400],
      [{ parts: [], labourHours: -0.5 }, 400],
      [{ parts: [], labourHours: 200.01 }, 400],
      [{ parts: [], labourHours: 1e9 }, 400],
      [{ parts: [], labourHours: 1.234 }, 'LABOUR_OUT_OF_RANGE'],
      [
        {
          parts: [
            { partId: fuse, quantity: 1 },
            { partId: fuse, quantity: 2 },
          ],
          labourHours: 1,
        },
        'DUPLICATE_PART',
      ],
      [
        { parts: [{ partId: '00000000-0000-4000-8000-000000000000', quantity: 1 }], labourHours: 1 },
        'UNKNOWN_PART',
      ],
      [{ parts: Array.from({ length: 51 }, () => ({ partId: fuse, quantity: 1 })), labourHours: 1 }, 400],
    ];
    for (const [body, expected] of bad) {
      const res = await putWork('technician', o.id, { expectedVersion: 0, ...body });
      if (typeof expected === 'number') expect(res.statusCode, JSON.stringify(body)).toBe(expected);
      else expect(res.json(), JSON.stringify(body)).toMatchObject({ error: { code: expected } });
    }
    expect(
      await t.db.db.select().from(maintenanceOrderWork).where(eq(maintenanceOrderWork.orderId, o.id)),
    ).toEqual([]);
  });

  it('records nothing before the product is in or on a cancelled order; after it went back, only support corrects, saying why', async () => {
    const body = { expectedVersion: 0, parts: [{ partId: fuse, quantity: 1 }], labourHours: 0.5 };
    for (const state of ['issued', 'awaitingParts', 'cancelled'] as const) {
      const o = await order(state);
      expect((await putWork('technician', o.id, body)).json(), state).toMatchObject({
        error: { code: 'WORK_NOT_EXPECTED' },
      });
      expect((await putWork('support', o.id, body)).statusCode, state).toBe(409);
    }
    for (const state of ['returned', 'closed'] as const) {
      const o = await order(state);
      expect((await getWork('technician', o.id)).json()).toMatchObject({ rule: 'correct', mayChange: false });
      const tech = await putWork('technician', o.id, { ...body, correctionReason: 'forgot the fuse' });
      expect(tech.json(), state).toMatchObject({ error: { code: 'CORRECTION_NOT_ALLOWED' } });
      expect((await putWork('support', o.id, body)).json()).toMatchObject({
        error: { code: 'CORRECTION_REASON_REQUIRED' },
      });
      const fixed = await putWork('support', o.id, {
        ...body,
        correctionReason: 'The center forgot the fuse',
      });
      expect(fixed.statusCode, fixed.body).toBe(200);
      const [audit] = await t.db.db
        .select()
        .from(auditEvents)
        .where(
          and(eq(auditEvents.action, 'maintenance_order.work_corrected'), eq(auditEvents.entityId, o.id)),
        );
      expect(audit?.data).toMatchObject({ reason: 'The center forgot the fuse', state });
    }
  });

  it('lets one of two saves at once win and tells the other to reload', async () => {
    const o = await order('repairing');
    const first = await Promise.all([
      putWork('technician', o.id, {
        expectedVersion: 0,
        parts: [{ partId: fuse, quantity: 1 }],
        labourHours: 1,
      }),
      putWork('support', o.id, {
        expectedVersion: 0,
        parts: [{ partId: board, quantity: 1 }],
        labourHours: 2,
      }),
    ]);
    expect(first.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(first.find((r) => r.statusCode === 409)?.json()).toMatchObject({
      error: { code: 'VERSION_CONFLICT', details: { currentVersion: 1 } },
    });
    const second = await Promise.all(
      [1, 2, 3].map((q) =>
        putWork('technician', o.id, {
          expectedVersion: 1,
          parts: [{ partId: fuse, quantity: q }],
          labourHours: q,
        }),
      ),
    );
    expect(second.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const winner = second.find((r) => r.statusCode === 200)?.json<Work>();
    const stored = await t.db.db
      .select()
      .from(maintenanceOrderParts)
      .where(eq(maintenanceOrderParts.orderId, o.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.quantity).toBe(winner?.parts[0]?.quantity);
    const [w] = await t.db.db
      .select()
      .from(maintenanceOrderWork)
      .where(eq(maintenanceOrderWork.orderId, o.id));
    expect(w?.version).toBe(2);
  });

  describe('the cost of warranty', () => {
    const report = (role: Role, query = '') =>
      t.app.inject({ method: 'GET', url: `/api/v1/insight/cost${query}`, headers: as(role) });

    it('is read by admins, QA and sales; a dealer, customer, technician or OEM client gets 403', async () => {
      for (const role of ['admin', 'qa', 'sales'] as const)
        expect((await report(role)).statusCode, role).toBe(200);
      for (const role of ['dealer', 'customer', 'technician', 'oem', 'support'] as const) {
        expect((await report(role)).statusCode, role).toBe(403);
        const rows = await t.app.inject({
          method: 'GET',
          url: '/api/v1/insight/cost/rows?category=repair_parts',
          headers: as(role),
        });
        expect(rows.statusCode, role).toBe(403);
        const csv = await t.app.inject({
          method: 'GET',
          url: '/api/v1/insight/cost/export.csv',
          headers: as(role),
        });
        expect(csv.statusCode, role).toBe(403);
      }
      expect((await report('admin', '?from=2026-11-01&to=2026-01-01')).json()).toMatchObject({
        error: { code: 'RANGE_REVERSED' },
      });
      expect((await report('admin', '?from=2020-01-01&to=2026-01-01')).json()).toMatchObject({
        error: { code: 'RANGE_TOO_LONG' },
      });
    });

    it('counts free repairs, reimbursed remedies and paid service, each figure the sum of its rows', async () => {
      const res = await report('qa', `?productId=${world.productId}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<CostReportBody>();
      const month = TODAY.toString().slice(0, 7);
      const cell = (category: string) =>
        body.cells.find(
          (c) => c.productId === world.productId && c.month === month && c.category === category,
        );
      expect(cell('repair_parts')?.amountMinor).toBeGreaterThan(0);
      for (const category of ['repair_parts', 'repair_labour'] as const) {
        const rows = await t.app.inject({
          method: 'GET',
          url: `/api/v1/insight/cost/rows?category=${category}&productId=${world.productId}&month=${month}`,
          headers: as('qa'),
        });
        const drill = rows.json<CostRowsBody>();
        expect(drill.total.amountMinor).toBe(cell(category)?.amountMinor);
        expect(drill.rows.reduce((s, r) => s + r.amount.amountMinor, 0)).toBe(cell(category)?.amountMinor);
        expect(
          drill.rows.every((r) => r.source === 'maintenance_order' && /^M-/.test(r.reference ?? '')),
        ).toBe(true);
      }
      const figures = body.figures.find((f) => f.productId === world.productId);
      expect(figures?.unitsSold).toBeGreaterThan(0);
      expect(figures?.costPerUnitSoldMinor).toBe(
        Math.round((figures?.costMinor ?? 0) / (figures?.unitsSold ?? 1)),
      );
    });

    it('writes a CSV whose typed text never starts a formula', async () => {
      await t.db.db
        .update(products)
        .set({ nameEn: '=HYPERLINK("http://evil")' })
        .where(eq(products.id, world.productId));
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/insight/cost/export.csv?productId=${world.productId}`,
        headers: as('sales'),
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/csv/);
      const lines = res.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toMatch(/^month,product_sku,product_name,units_sold,claims,dealer_refund/);
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines.slice(1)) {
        const name = line.split(',')[2] ?? '';
        expect(startsFormula(name), line).toBe(false);
      }
    });
  });

  /*
   * The report equals a naive recomputation over the rows: random sales, claims, free and paid repairs'
   * parts and hours, reimbursements and invoices, on a product of their own, summed by hand per month
   * and category and compared with what the report's SQL makes of them.
   */
  it('equals a naive recomputation over randomly generated rows', async () => {
    const [template] = await t.db.db.select().from(claims).limit(1);
    if (!template) throw new Error('a claim to copy');
    const rowArb = fc.record({
      daysAgo: fc.integer({ min: 0, max: 400 }),
      claimed: fc.boolean(),
      withdrawn: fc.boolean(),
      repair: fc.option(
        fc.record({
          state: fc.constantFrom<MaintenanceState>('repairing', 'returned', 'cancelled', 'paidService'),
          hundredths: fc.integer({ min: 0, max: 20_000 }),
          rate: fc.integer({ min: 0, max: 100_000 }),
          lines: fc.array(
            fc.record({
              quantity: fc.integer({ min: 1, max: 1000 }),
              cost: fc.integer({ min: 0, max: 10_000_000 }),
            }),
            { maxLength: 3 },
          ),
          recordedDaysAgo: fc.integer({ min: 0, max: 400 }),
        }),
        { nil: undefined },
      ),
      reimbursement: fc.option(
        fc.record({
          kind: fc.constantFrom('refund', 'replacement'),
          status: fc.constantFrom('approved', 'rejected', 'pending'),
          amount: fc.integer({ min: 0, max: 10_000_000 }),
          currency: fc.constantFrom('CNY', 'CNY', 'USD'),
          decidedHoursAgo: fc.integer({ min: 0, max: 9000 }),
        }),
        { nil: undefined },
      ),
      invoice: fc.option(
        fc.record({
          amount: fc.integer({ min: 0, max: 10_000_000 }),
          hoursAgo: fc.integer({ min: 0, max: 9000 }),
        }),
        { nil: undefined },
      ),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 8 }), async (rows) => {
        run += 1;
        const [product] = await t.db.db
          .insert(products)
          .values({
            sku: `PROP-${run}-${Date.now()}`,
            nameEn: 'Property product',
            nameZh: '属性产品',
            category: productCategories[0],
          })
          .returning({ id: products.id });
        const productId = product?.id ?? '';
        const expectedCells = new Map<string, number>();
        const add = (month: string, category: string, amount: number) =>
          expectedCells.set(
            `${month} ${category}`,
            (expectedCells.get(`${month} ${category}`) ?? 0) + amount,
          );
        const expectedVolumes = new Map<string, { unitsSold: number; claims: number }>();
        const vol = (month: string) => {
          const v = expectedVolumes.get(month) ?? { unitsSold: 0, claims: 0 };
          expectedVolumes.set(month, v);
          return v;
        };
        const from = TODAY.subtract({ days: 365 });
        const inRange = (day: string) => day >= from.toString() && day <= TODAY.toString();
        const shanghaiDay = (hoursAgo: number) =>
          new Date(Date.parse('2026-11-25T04:00:00Z') - hoursAgo * 3_600_000 + 8 * 3_600_000)
            .toISOString()
            .slice(0, 10);
        for (const [i, row] of rows.entries()) {
          const purchaseDay = TODAY.subtract({ days: row.daysAgo }).toString();
          const [purchase] = await t.db.db
            .insert(purchases)
            .values({
              productId,
              dealerId: world.dealer(0),
              endUserId: world.endUser(0),
              purchaseDate: purchaseDay,
            })
            .returning({ id: purchases.id });
          if (inRange(purchaseDay)) vol(purchaseDay.slice(0, 7)).unitsSold += 1;
          if (!row.claimed && !row.repair && !row.reimbursement && !row.invoice) continue;
          const [claim] = await t.db.db
            .insert(claims)
            .values({
              purchaseId: purchase?.id ?? '',
              endUserId: world.endUser(0),
              reportedOn: purchaseDay,
              cause: 'quality',
              description: 'generated',
              decision: template.decision,
              policyVersionId: template.policyVersionId,
              status: row.withdrawn ? 'withdrawn' : 'open',
            })
            .returning({ id: claims.id });
          const claimId = claim?.id ?? '';
          if (inRange(purchaseDay) && !row.withdrawn) vol(purchaseDay.slice(0, 7)).claims += 1;
          if (row.repair) {
            const r = row.repair;
            const o = await insertMaintenanceOrder(t.db.db, {
              claimId,
              serviceCenterId: world.center(0),
              state: r.state,
            });
            const day = TODAY.subtract({ days: r.recordedDaysAgo }).toString();
            await t.db.db.insert(maintenanceOrderWork).values({
              orderId: o.id,
              labourHundredths: r.hundredths,
              labourRateMinor: r.rate,
              currency: 'CNY',
              productId,
              firstRecordedOn: day,
              recordedBy: 'system',
            });
            for (const [j, line] of r.lines.entries()) {
              const [part] = await t.db.db
                .insert(parts)
                .values({
                  partNumber: `P-${run}-${i}-${j}-${Date.now()}`,
                  nameEn: 'p',
                  nameZh: 'p',
                  unitCostMinor: line.cost,
                  currency: 'CNY',
                })
                .returning({ id: parts.id });
              await t.db.db.insert(maintenanceOrderParts).values({
                orderId: o.id,
                partId: part?.id ?? '',
                quantity: line.quantity,
                unitCostMinor: line.cost,
                currency: 'CNY',
              });
            }
            // Naively: a free repair is one not found misused and not cancelled.
            if (inRange(day) && r.state !== 'cancelled' && r.state !== 'paidService') {
              if (r.lines.length > 0)
                add(
                  day.slice(0, 7),
                  'repair_parts',
                  r.lines.reduce((s, l) => s + l.quantity * l.cost, 0),
                );
              if (r.hundredths > 0)
                add(day.slice(0, 7), 'repair_labour', Math.floor((r.hundredths * r.rate + 50) / 100));
            }
          }
          if (row.reimbursement) {
            const r = row.reimbursement;
            const [remedy] = await t.db.db
              .insert(dealerRemedies)
              .values({
                claimId,
                dealerId: world.dealer(0),
                kind: r.kind,
                replacementSerial: r.kind === 'replacement' ? `N-${claimId}` : null,
                refundMinor: r.kind === 'refund' ? r.amount : null,
                currency: r.kind === 'refund' ? 'CNY' : null,
                performedOn: purchaseDay,
                performedBy: 'system',
              })
              .returning({ id: dealerRemedies.id });
            const decided =
              r.status === 'pending'
                ? null
                : new Date(Date.parse('2026-11-25T04:00:00Z') - r.decidedHoursAgo * 3_600_000);
            await t.db.db.insert(reimbursementClaims).values({
              dealerRemedyId: remedy?.id ?? '',
              dealerId: world.dealer(0),
              status: r.status as 'approved',
              amountMinor: r.amount,
              currency: r.currency,
              decidedAt: decided,
              decidedBy: decided ? 'system' : null,
            });
            const day = shanghaiDay(r.decidedHoursAgo);
            if (r.status === 'approved' && r.currency === 'CNY' && inRange(day)) {
              add(day.slice(0, 7), r.kind === 'refund' ? 'dealer_refund' : 'dealer_replacement', r.amount);
            }
          }
          if (row.invoice) {
            const at = new Date(Date.parse('2026-11-25T04:00:00Z') - row.invoice.hoursAgo * 3_600_000);
            await t.db.db.insert(quotes).values({
              claimId,
              state: 'invoiced',
              lines: [],
              totalMinor: row.invoice.amount,
              currency: 'CNY',
              quotedBy: 'system',
              invoiceNumber: `INV-P-${run}-${i}-${Date.now()}`,
              invoicedAt: at,
              // An invoice keeps the tax it was issued under (quotes_invoice_tax_check).
              invoiceTaxRateBasisPoints: 1300,
              invoicePricesIncludeTax: true,
            });
            const day = shanghaiDay(row.invoice.hoursAgo);
            if (inRange(day)) add(day.slice(0, 7), 'paid_service', row.invoice.amount);
          }
        }
        const got = await computeCostReport(t.db.db, {
          from: from.toString(),
          to: TODAY.toString(),
          productId,
          storeTimeZone: 'Asia/Shanghai',
        });
        const gotCells = new Map(got.cells.map((c) => [`${c.month} ${c.category}`, c.amountMinor]));
        expect(gotCells).toEqual(expectedCells);
        const gotVolumes = new Map(
          got.volumes.map((v) => [v.month, { unitsSold: v.unitsSold, claims: v.claims }]),
        );
        expect(gotVolumes).toEqual(
          new Map([...expectedVolumes].filter(([, v]) => v.unitsSold > 0 || v.claims > 0)),
        );
        const costTotal = [...expectedCells]
          .filter(([k]) => !k.endsWith('paid_service'))
          .reduce((s, [, v]) => s + v, 0);
        expect(got.figures[0]?.costMinor ?? 0).toBe(costTotal);
        // Whatever was in dollars is counted apart, never added.
        expect(got.excluded.every((e) => e.currency === 'USD')).toBe(true);
      }),
      { numRuns: testDb.name === 'postgres' ? 25 : 12 },
    );
    await t.db.db.execute(sql`select 1`);
  }, 120_000);
});
