import { randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { and, eq, isNull, like, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accounts,
  approvals,
  auditEvents,
  CREDENTIAL_PROVIDER,
  dealerRemedies,
  excessResolutions,
  maintenanceOrderEvents,
  maintenanceOrders,
  makerCostEntries,
  oemDefectReports,
  outbox,
  reimbursementClaims,
  remakeOrders,
  users,
} from '../../src/db/schema.js';
import { DEMO_PASSWORD, DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import type { OemOrder, OemOrderLedger } from '../../src/http/oem-orders/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { claimOn as maintenanceClaimOn, REPAIR_PATH, wangFangPurchase } from '../support/maintenance.js';
import {
  acceptAllReported,
  bookOrder,
  type OemWorld,
  oemWorld,
  uploadEvidence,
} from '../support/oem-fixtures.js';
import {
  claimOn,
  type DemoParties,
  demoParties,
  insertPurchase,
  insertUnit,
  TODAY,
  lenientRiskSettings,
} from '../support/service-fixtures.js';
import { demoSession, ORIGIN, sessionCookie, signIn } from '../support/sessions.js';

/*
 * Many clients acting on the same objects at the same moment: two technicians and support moving one
 * maintenance order, a dealer's two counters refunding one sale, an OEM client reporting defects while
 * QA confirms the batch defect of their lot, two excess remedies chosen on one ledger, two next orders
 * booked against one credit. Each contested action has exactly one winner; every loser gets a 409 with a
 * machine-readable code; and what is stored afterwards is what some serial order of the winners gives —
 * no lost update, no double refund, no unit counted twice. On PostgreSQL the requests really run side by
 * side (a pool of connections); on PGlite its one connection interleaves them between transactions.
 */

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

/** How many requests were turned away with a 409, per database: printed at the end. */
const conflicts = new Map<string, number>();

function expectConflict(res: LightMyRequestResponse, codes: readonly string[]): string {
  expect(res.statusCode, res.body).toBe(409);
  const body = res.json<ErrorBody>();
  expect(body.error.message).toEqual(expect.any(String));
  expect(codes, `${body.error.code}: ${body.error.message}`).toContain(body.error.code);
  return body.error.code;
}

/** Each round is the whole set of contests on a fresh database; CONCURRENCY_ROUNDS=20 for a longer run. */
const ROUNDS = Number(process.env.CONCURRENCY_ROUNDS ?? 1);
const rounds = testDatabases().flatMap((db) =>
  Array.from({ length: ROUNDS }, (_, i) => ({ name: db.name, round: i + 1, open: () => db.open() })),
);

describe.each(rounds)('many clients on the same objects at once, on $name (round $round)', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '10000' });
  const cookies = new Map<string, string>();
  let p: DemoParties;
  let w: OemWorld;
  let provoked = 0;

  /** Another staff user of a role and scope, signed in with the demo password. */
  async function extraUser(
    key: string,
    role: Role,
    scope: { serviceCenterId?: string; dealerId?: string; oemClientId?: string },
  ) {
    const id = randomUUID();
    const email = `${key}@concurrency.example.com`;
    await t.db.db.insert(users).values({ id, name: key, email, emailVerified: true, role, ...scope });
    await t.db.db.insert(accounts).values({
      id: randomUUID(),
      accountId: id,
      providerId: CREDENTIAL_PROVIDER,
      userId: id,
      password: await hashPassword(DEMO_PASSWORD),
    });
    const res = await signIn(t.app, email);
    cookies.set(key, sessionCookie(res.headers['set-cookie']));
  }

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    await lenientRiskSettings(t.db.db);
    for (const role of [
      'technician',
      'support',
      'dealer',
      'qa',
      'oem',
      'sales',
      'customer',
      'admin',
    ] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    p = await demoParties(t.db.db);
    w = await oemWorld(t.db.db);
    await extraUser('technician2', 'technician', { serviceCenterId: p.center(0) });
    await extraUser('dealer2', 'dealer', { dealerId: p.dealer(0) });
    await extraUser('oem2', 'oem', { oemClientId: w.demoClient });
  });

  afterAll(() => {
    conflicts.set(`${testDb.name} round ${testDb.round}`, provoked);
    console.info(
      `concurrency (${testDb.name}, round ${testDb.round}): ${provoked} conflicts provoked, every one a 409`,
    );
  });

  const as = (who: string) => ({ origin: ORIGIN, cookie: cookies.get(who) ?? '' });
  const bookers = () => ({
    oem: cookies.get('oem'),
    sales: cookies.get('sales') ?? '',
    qa: cookies.get('qa') ?? '',
  });
  const post = (who: string, url: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { ...as(who), ...headers }, payload });
  const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: as(who) });
  const count = async (query: Promise<{ n: number }[]>) => (await query)[0]?.n ?? 0;
  const n = sql<number>`count(*)::int`;

  it('moves a maintenance order once per version while two technicians and support press at once', async () => {
    const path = REPAIR_PATH;
    const racers = ['technician', 'technician2', 'support', 'technician', 'technician2'];
    const orders = await Promise.all(
      [0, 1].map(async () => {
        const claimId = await maintenanceClaimOn(t.app, t.db.db, await wangFangPurchase(t.db.db));
        const res = await post('support', `/api/v1/claims/${claimId}/maintenance-order`, {
          mode: 'walk_in',
          location: { cityId: 'shenzhen' },
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ id: string; version: number }>();
      }),
    );
    // Both orders at once, each round every racer at the version all of them read.
    await Promise.all(
      orders.map(async (order) => {
        let version = order.version;
        for (const to of path) {
          const answers = await Promise.all(
            racers.map((who, i) =>
              post(who, `/api/v1/maintenance-orders/${order.id}/transitions`, {
                to,
                expectedVersion: version,
                note: `${who} #${i}`,
              }),
            ),
          );
          const won = answers.filter((a) => a.statusCode === 200);
          expect(won, answers.map((a) => a.body).join('\n')).toHaveLength(1);
          for (const lost of answers.filter((a) => a.statusCode !== 200)) {
            expectConflict(lost, ['VERSION_CONFLICT']);
            expect(lost.json<ErrorBody>().error.details).toEqual({ currentVersion: version + 1 });
            provoked += 1;
          }
          expect(won[0]?.json()).toMatchObject({ state: to, version: version + 1 });
          version += 1;
        }
      }),
    );
    for (const order of orders) {
      const [row] = await t.db.db.select().from(maintenanceOrders).where(eq(maintenanceOrders.id, order.id));
      expect(row).toMatchObject({ state: 'closed', version: order.version + path.length });
      // The timeline, the audit trail and the customer's messages hold the winners only: a serial walk.
      const events = await t.db.db
        .select({ to: maintenanceOrderEvents.toState })
        .from(maintenanceOrderEvents)
        .where(eq(maintenanceOrderEvents.orderId, order.id))
        .orderBy(maintenanceOrderEvents.at, maintenanceOrderEvents.id);
      expect(events.map((e) => e.to).slice(-path.length)).toEqual(path);
      expect(events).toHaveLength(path.length + 1);
      const moved = await t.db.db
        .select({ data: auditEvents.data })
        .from(auditEvents)
        .where(and(eq(auditEvents.entityId, order.id), eq(auditEvents.action, 'maintenance_order.moved')));
      expect(moved.map((m) => (m.data as { version: number }).version).sort((a, b) => a - b)).toEqual(
        path.map((_, i) => order.version + 1 + i),
      );
      const told = await t.db.db
        .select({ topic: outbox.topic })
        .from(outbox)
        .where(sql`${outbox.payload}->>'maintenanceOrderId' = ${order.id}`);
      expect(told.map((m) => m.topic).sort()).toEqual(
        [
          'maintenance_order.issued',
          'maintenance_order.received',
          'maintenance_order.repaired',
          'maintenance_order.returned',
        ].sort(),
      );
    }
  });

  it('refunds a sale once while the dealer’s two counters press refund on its claims at once', async () => {
    for (let round = 0; round < 3; round++) {
      const purchase = await insertPurchase(t.db.db, {
        productId: p.productId,
        dealerId: p.dealer(0),
        endUserId: p.endUser(0),
        daysAgo: 3,
      });
      // The customer reported the fault twice (two claims on one sale): still one unit to take back.
      const first = await claimOn(t.app, t.db.db, purchase, p.endUser(0));
      const second = await claimOn(t.app, t.db.db, purchase, p.endUser(0));
      const refund = (serial: string) => ({
        kind: 'refund',
        returnedSerial: serial,
        refund: { amountMinor: 29_900, currency: 'CNY' },
      });
      // The new unit is one in stock in the registry; the returned serial is this round's own.
      await insertUnit(t.db.db, { serial: `NEW-${round}`, productId: p.productId });
      const replacement = { kind: 'replacement', replacementSerial: `NEW-${round}` };
      const returned = `A-${round}`;
      const answers = await Promise.all([
        post('dealer', `/api/v1/claims/${first}/dealer-remedy`, refund(returned)),
        post('dealer2', `/api/v1/claims/${first}/dealer-remedy`, refund(returned)),
        post('dealer', `/api/v1/claims/${second}/dealer-remedy`, refund(returned)),
        post('dealer2', `/api/v1/claims/${second}/dealer-remedy`, replacement),
        post('dealer2', `/api/v1/claims/${second}/dealer-remedy`, refund(returned)),
      ]);
      const won = answers.filter((a) => a.statusCode === 201);
      expect(won, answers.map((a) => a.body).join('\n')).toHaveLength(1);
      for (const lost of answers.filter((a) => a.statusCode !== 201)) {
        expectConflict(lost, ['DEALER_REMEDY_EXISTS', 'PURCHASE_ALREADY_REMEDIED', 'CLAIM_CLOSED']);
        provoked += 1;
      }
      const remedies = await t.db.db
        .select({ id: dealerRemedies.id })
        .from(dealerRemedies)
        .innerJoin(reimbursementClaims, eq(reimbursementClaims.dealerRemedyId, dealerRemedies.id))
        .where(sql`${dealerRemedies.claimId} in (${first}, ${second})`);
      expect(remedies).toHaveLength(1);
      const audited = await count(
        t.db.db
          .select({ n })
          .from(auditEvents)
          .where(
            and(
              eq(auditEvents.action, 'dealer_remedy.performed'),
              sql`${auditEvents.entityId} in (${first}, ${second})`,
            ),
          ),
      );
      expect(audited).toBe(1);
    }
  });

  it('takes one of a customer’s remedy choices pressed at once from two screens', async () => {
    for (let round = 0; round < 3; round++) {
      const purchase = await insertPurchase(t.db.db, {
        productId: p.productId,
        dealerId: p.dealer(0),
        endUserId: p.endUser(0),
        daysAgo: 2,
      });
      const claimId = await claimOn(t.app, t.db.db, purchase, p.endUser(0));
      const answers = await Promise.all(
        ['refund', 'replacement', 'service_center', 'refund'].map((remedy) =>
          post('customer', `/api/v1/claims/${claimId}/remedy`, { remedy, expectedVersion: 1 }),
        ),
      );
      const won = answers.filter((a) => a.statusCode === 200);
      expect(won, answers.map((a) => a.body).join('\n')).toHaveLength(1);
      for (const lost of answers.filter((a) => a.statusCode !== 200)) {
        expectConflict(lost, ['VERSION_CONFLICT', 'REMEDY_ALREADY_CHOSEN']);
        provoked += 1;
      }
      const chosen = won[0]?.json<{ chosenRemedy: string }>().chosenRemedy;
      const audited = await t.db.db
        .select({ data: auditEvents.data })
        .from(auditEvents)
        .where(and(eq(auditEvents.entityId, claimId), like(auditEvents.action, 'claim.remedy%')));
      expect(audited).toHaveLength(1);
      expect(JSON.stringify(audited[0]?.data)).toContain(String(chosen));
    }
  });

  it('never counts a unit twice when the client reports defects while QA confirms the batch defect', async () => {
    const headset = w.product(DEMO_SKUS.headset);
    for (let trial = 0; trial < 3; trial++) {
      const lot = `HS200-RACE-${trial}`;
      const orderId = (
        await bookOrder(t.app, bookers(), {
          sku: DEMO_SKUS.headset,
          quantity: 1000,
          spareRateBps: 30,
          deliveryDate: '2026-09-01',
          lots: [{ lot }],
        })
      ).id;
      const report = (who: string, units: number) =>
        post(who, `/api/v1/oem-orders/${orderId}/defect-reports`, { lot, units, failureMode: 'No sound' });
      expect((await report('oem', 2)).statusCode).toBe(201);
      const opened = await post('qa', '/api/v1/batch-investigations', { productId: headset, lots: [lot] });
      expect(opened.statusCode, opened.body).toBe(201);
      let inv = opened.json<{ id: string; version: number; state: string }>();
      const moveUrl = `/api/v1/batch-investigations/${inv.id}/transitions`;
      if (inv.state === 'proposed') {
        inv = (await post('qa', moveUrl, { to: 'open', expectedVersion: inv.version })).json();
      }
      const attached = await post('qa', `/api/v1/batch-investigations/${inv.id}/evidence`, {
        uploadIds: [await uploadEvidence(t.app, cookies.get('qa') ?? '')],
        expectedVersion: inv.version,
      });
      expect(attached.statusCode, attached.body).toBe(200);
      inv = attached.json();

      const confirm = post('qa', moveUrl, {
        to: 'confirmed',
        expectedVersion: inv.version,
        rootCause: 'production',
        costs: {
          unitCost: { amountMinor: 4_000, currency: 'CNY' },
          airFreightPerShipment: { amountMinor: 80_000, currency: 'CNY' },
        },
      });
      const racing = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => report(i % 2 ? 'oem' : 'oem2', 1)),
        confirm,
        ...Array.from({ length: 6 }, (_, i) => report(i % 2 ? 'oem' : 'oem2', 1)),
      ]);
      for (const r of racing) expect(r.statusCode, r.body).toBeLessThan(300);
      const total = 2 + 12;

      // Every unit of the lot is the remake's: none on the spares, none remade twice, each costed once.
      const reports = await t.db.db
        .select({ units: oemDefectReports.units, remake: oemDefectReports.remakeOrderId })
        .from(oemDefectReports)
        .where(eq(oemDefectReports.orderId, orderId));
      expect(reports.reduce((s, r) => s + r.units, 0)).toBe(total);
      expect(reports.filter((r) => r.remake === null)).toEqual([]);
      const ledger = (await get('oem', `/api/v1/oem-orders/${orderId}/ledger`)).json<OemOrderLedger>();
      expect(ledger).toMatchObject({ coveredByRemake: total, coveredBySpares: 0, excess: 0, sparesLeft: 3 });
      const remade = await t.db.db
        .select({ units: sql<number>`coalesce(sum(${remakeOrders.units}), 0)::int`, n })
        .from(remakeOrders)
        .where(eq(remakeOrders.orderId, orderId));
      expect(remade[0]?.units).toBe(total);
      const costed = await t.db.db
        .select({
          kind: makerCostEntries.kind,
          units: sql<number>`coalesce(sum(${makerCostEntries.units}), 0)::int`,
          n,
        })
        .from(makerCostEntries)
        .where(eq(makerCostEntries.lot, lot))
        .groupBy(makerCostEntries.kind);
      expect(costed.find((c) => c.kind === 'remake_units')?.units).toBe(total);
      expect(costed.find((c) => c.kind === 'air_freight')?.n).toBe(remade[0]?.n);
    }
  });

  it('lets one of several excess remedies chosen on one ledger through; the rest are 409', async () => {
    for (let round = 0; round < 3; round++) {
      const ledgerUrl = `/api/v1/oem-orders/${w.demoOrder}/ledger`;
      const before = (await get('oem', ledgerUrl)).json<OemOrderLedger>();
      // Spares first, then excess: four units beyond them to choose a remedy for.
      const grow = 4 - before.excessUnresolved + before.sparesLeft;
      if (grow > 0) {
        const res = await post('oem', `/api/v1/oem-orders/${w.demoOrder}/defect-reports`, {
          lot: 'BTH500-L2501B',
          units: grow,
          failureMode: 'Will not pair',
        });
        expect(res.statusCode, res.body).toBe(201);
        // Beyond the spares, units are owed only once QA accepts them.
        await acceptAllReported(t.app, cookies.get('qa') ?? '', w.demoOrder);
      }
      const ledger = (await get('oem', ledgerUrl)).json<OemOrderLedger>();
      expect(ledger.excessUnresolved).toBe(4);
      const choose = (who: string, body: object) =>
        post(
          who,
          `/api/v1/oem-orders/${w.demoOrder}/excess-resolutions`,
          { ...body, units: 4, expectedVersion: ledger.version },
          { 'idempotency-key': randomUUID() },
        );
      const answers = await Promise.all([
        choose('oem', { remedy: 'replacement_shipment' }),
        choose('oem2', { remedy: 'next_order_credit', credit: 'units' }),
        choose('sales', { remedy: 'next_order_credit', credit: 'money' }),
        choose('oem2', { remedy: 'replacement_shipment' }),
      ]);
      const won = answers.filter((a) => a.statusCode === 201);
      expect(won, answers.map((a) => a.body).join('\n')).toHaveLength(1);
      for (const lost of answers.filter((a) => a.statusCode !== 201)) {
        expectConflict(lost, ['VERSION_CONFLICT', 'UNITS_EXCEED_EXCESS', 'NO_EXCESS']);
        provoked += 1;
      }
      const after = (await get('oem', ledgerUrl)).json<OemOrderLedger>();
      expect(after.excessUnresolved).toBe(0);
    }
    const resolved = await t.db.db
      .select({ units: sql<number>`sum(${excessResolutions.units})::int` })
      .from(excessResolutions)
      .where(eq(excessResolutions.orderId, w.demoOrder));
    const ledger = (await get('oem', `/api/v1/oem-orders/${w.demoOrder}/ledger`)).json<OemOrderLedger>();
    expect(resolved[0]?.units).toBe(ledger.excess);
  });

  it('applies one credit to one of several next orders booked at the same moment', async () => {
    const ledgerUrl = `/api/v1/oem-orders/${w.demoOrder}/ledger`;
    const more = await post('oem', `/api/v1/oem-orders/${w.demoOrder}/defect-reports`, {
      lot: 'BTH500-L2501B',
      units: 3,
      failureMode: 'Will not pair',
    });
    expect(more.statusCode, more.body).toBe(201);
    await acceptAllReported(t.app, cookies.get('qa') ?? '', w.demoOrder);
    const ledger = (await get('oem', ledgerUrl)).json<OemOrderLedger>();
    const credit = await post('oem', `/api/v1/oem-orders/${w.demoOrder}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'units',
      units: ledger.excessUnresolved,
      expectedVersion: ledger.version,
    });
    expect(credit.statusCode, credit.body).toBe(201);
    // Every credit still waiting (the races above may have left some, in units or money, whichever
    // request won): each goes to one order only — except a money credit still waiting for its second
    // approval (four eyes), which no order takes yet.
    const waiting = await t.db.db
      .select({ id: excessResolutions.id })
      .from(excessResolutions)
      .where(
        and(
          eq(excessResolutions.clientId, w.demoClient),
          eq(excessResolutions.remedy, 'next_order_credit'),
          isNull(excessResolutions.appliedToOrderId),
        ),
      );
    const unapproved = new Set(
      (await t.db.db.select({ subjectId: approvals.subjectId, state: approvals.state }).from(approvals))
        .filter((a) => a.state !== 'approved')
        .map((a) => a.subjectId),
    );
    const pending = waiting.filter((c) => !unapproved.has(c.id));
    expect(pending.map((c) => c.id)).toContain(credit.json<{ id: string }>().id);
    // Six requests, then their six confirmations at the same moment: each takes the client's credits.
    const requested: OemOrder[] = [];
    for (const who of ['oem', 'oem2', 'sales', 'oem', 'oem2', 'sales']) {
      const r = await post(who, '/api/v1/oem-orders', {
        ...(who === 'sales' ? { clientId: w.demoClient } : {}),
        sku: DEMO_SKUS.bluetoothHeadset,
        quantity: 200,
        deliveryDate: '2027-03-01',
      });
      expect(r.statusCode, r.body).toBe(201);
      requested.push(r.json<OemOrder>());
    }
    const answers = await Promise.all(
      requested.map((o, i) =>
        post(i % 2 ? 'sales' : 'admin', `/api/v1/oem-orders/${o.id}/confirmation`, {
          spareRateBps: 50,
          expectedVersion: o.version,
        }),
      ),
    );
    for (const a of answers) expect(a.statusCode, a.body).toBe(200);
    const taken = answers.flatMap((a) => a.json<OemOrder>().nextOrderCredits.applied.map((c) => c.id));
    expect(taken.sort()).toEqual(pending.map((c) => c.id).sort());
    const booked = new Set(answers.map((a) => a.json<OemOrder>().id));
    for (const { id } of pending) {
      const [row] = await t.db.db.select().from(excessResolutions).where(eq(excessResolutions.id, id));
      expect(booked).toContain(row?.appliedToOrderId);
    }
  });
  it('books one of several orders sent at once under one order number; the others are 409', async () => {
    const answers = await Promise.all(
      ['oem', 'oem2', 'sales', 'oem'].map((who, i) =>
        post(who, '/api/v1/oem-orders', {
          ...(who === 'sales' ? { clientId: w.demoClient } : {}),
          orderNumber: 'BW-RACE-0001',
          sku: DEMO_SKUS.chargerModule,
          quantity: 100 + i,
          deliveryDate: '2027-03-01',
        }),
      ),
    );
    const won = answers.filter((a) => a.statusCode === 201);
    expect(won, answers.map((a) => a.body).join('\n')).toHaveLength(1);
    for (const lost of answers.filter((a) => a.statusCode !== 201)) {
      expectConflict(lost, ['ORDER_NUMBER_TAKEN']);
      provoked += 1;
    }
    const booked = await count(
      t.db.db
        .select({ n })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.action, 'oem_order.requested'),
            eq(auditEvents.entityId, won[0]?.json<OemOrder>().id ?? ''),
          ),
        ),
    );
    expect(booked).toBe(1);
  });
});
