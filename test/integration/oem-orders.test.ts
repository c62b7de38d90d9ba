import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, outbox } from '../../src/db/schema.js';
import { DEMO_OEM_ORDER, DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import type { OemOrder, OemOrderLedger } from '../../src/http/oem-orders/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { acceptAllReported, bookOrder, type OemWorld, oemWorld } from '../support/oem-fixtures.js';
import { lenientRiskSettings, TODAY } from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

type Resolved = {
  id: string;
  remedy: string;
  units: number;
  credit: { kind: string; amount: unknown } | null;
  orderVersion: number;
};

describe.each(testDatabases())('OEM orders, their ledger and next-order credits on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let w: OemWorld;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    // The demo client's many accepted defects against the other client's none would rightly hold its
    // credits for QA (oem-credit-gates.test.ts); this suite is about orders and ledgers.
    await lenientRiskSettings(t.db.db);
    for (const role of ['oem', 'sales', 'qa', 'support', 'dealer'] as const)
      cookies.set(role, await demoSession(t.app, role));
    w = await oemWorld(t.db.db);
  });

  const as = (role: Role, headers: Record<string, string> = {}) => ({
    origin: ORIGIN,
    cookie: cookies.get(role) ?? '',
    ...headers,
  });
  const get = (role: Role, url: string) => t.app.inject({ method: 'GET', url, headers: as(role) });
  const post = (role: Role, url: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: as(role, headers), payload });
  const order = {
    sku: DEMO_SKUS.bluetoothHeadset,
    quantity: 1001,
    deliveryDate: '2026-12-20',
  };
  const cookieSet = () => ({
    oem: cookies.get('oem'),
    sales: cookies.get('sales') ?? '',
    qa: cookies.get('qa') ?? '',
  });

  it('takes a client’s request without a price, and sales confirm it at the contract price with its spares', async () => {
    const res = await post('oem', '/api/v1/oem-orders', order);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<OemOrder>();
    expect(body).toMatchObject({
      state: 'requested',
      orderedOn: TODAY.toString(),
      client: { id: w.demoClient },
      quantity: 1001,
      spareUnits: 0,
      unitPrice: null,
      lots: [],
      version: 1,
    });
    expect(body.orderNumber).toMatch(/^OEM-2026-\d{6}$/);
    const [asked] = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'oem_order.requested'));
    expect(asked?.recipient).toBe('role:sales');

    const confirmed = await post('sales', `/api/v1/oem-orders/${body.id}/confirmation`, {
      spareRateBps: 30,
      expectedVersion: body.version,
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    // The price list's version in force on the order's day (the Bluetooth headset's rose 20 days ago).
    expect(confirmed.json<OemOrder>()).toMatchObject({
      state: 'confirmed',
      spareRateBps: 30,
      spareUnits: 4,
      unitPrice: { amountMinor: 18_900, currency: 'CNY' },
      deliveryDate: '2026-12-20',
      defectWindowEndsOn: '2027-12-20',
      version: 2,
      nextOrderCredits: { applied: [], granted: [] },
    });
    const [audit] = await t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'oem_order.confirmed'), eq(auditEvents.entityId, body.id)));
    expect(audit?.data).toMatchObject({ spareUnits: 4, unitPrice: { amountMinor: 18_900 } });
    const [message] = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'oem_order.confirmed'));
    expect(message?.recipient).toBe('procurement@brightwave-audio.example.com');
    // Confirmed once: a second confirmation is an illegal move.
    const twice = await post('sales', `/api/v1/oem-orders/${body.id}/confirmation`, {
      spareRateBps: 30,
      expectedVersion: 2,
    });
    expect([twice.statusCode, twice.json<{ error: { code: string } }>().error.code]).toEqual([
      409,
      'ILLEGAL_TRANSITION',
    ]);
  });

  it('refuses a price, spares or lots in a request, a rate outside the policy and a taken number, each with its code', async () => {
    const code = async (role: Role, payload: object, url = '/api/v1/oem-orders') => {
      const res = await post(role, url, payload);
      return [res.statusCode, res.json<{ error: { code: string } }>().error.code];
    };
    // The client never sets a price, a spare rate or lots: the fields do not exist in a request.
    for (const extra of [
      { unitPrice: { amountMinor: 999_900, currency: 'CNY' } },
      { spareRateBps: 50 },
      { lots: [{ lot: 'HS200-L2509C', units: 100_000_000 }] },
    ]) {
      const [status] = await code('oem', { ...order, ...extra });
      expect(status, JSON.stringify(extra)).toBe(400);
    }
    const requested = (
      await post('oem', '/api/v1/oem-orders', { ...order, orderNumber: 'BW-RATE-1' })
    ).json<OemOrder>();
    const confirm = `/api/v1/oem-orders/${requested.id}/confirmation`;
    for (const rate of [60, 29, 45.5]) {
      expect(await code('sales', { spareRateBps: rate, expectedVersion: 1 }, confirm)).toEqual([
        400,
        'SPARE_RATE_OUT_OF_RANGE',
      ]);
    }
    // Only the maker's sales confirm: not the client, not QA.
    expect(await code('oem', { spareRateBps: 40, expectedVersion: 1 }, confirm)).toEqual([403, 'FORBIDDEN']);
    expect(await code('qa', { spareRateBps: 40, expectedVersion: 1 }, confirm)).toEqual([403, 'FORBIDDEN']);
    expect(await code('sales', { spareRateBps: 40, expectedVersion: 7 }, confirm)).toEqual([
      409,
      'VERSION_CONFLICT',
    ]);
    // Declined with a reason the client reads; a declined order is confirmed no more.
    const declined = await post('sales', `/api/v1/oem-orders/${requested.id}/decline`, {
      reason: 'The BTH-500 is not made in December',
      expectedVersion: 1,
    });
    expect(declined.json<OemOrder>()).toMatchObject({
      state: 'declined',
      declineReason: 'The BTH-500 is not made in December',
    });
    expect((await get('oem', `/api/v1/oem-orders/${requested.id}`)).json<OemOrder>().declineReason).toBe(
      'The BTH-500 is not made in December',
    );
    expect(await code('sales', { spareRateBps: 40, expectedVersion: 2 }, confirm)).toEqual([
      409,
      'ILLEGAL_TRANSITION',
    ]);
    expect(await code('oem', { ...order, sku: 'NOPE-1' })).toEqual([400, 'UNKNOWN_PRODUCT']);
    expect(await code('oem', { ...order, orderNumber: DEMO_OEM_ORDER.orderNumber })).toEqual([
      409,
      'ORDER_NUMBER_TAKEN',
    ]);
    // A client's user requests for its own client only; another client does not exist for it.
    expect(await code('oem', { ...order, clientId: w.otherClient })).toEqual([404, 'OEM_CLIENT_NOT_FOUND']);
    expect(await code('sales', order)).toEqual([400, 'CLIENT_REQUIRED']);
    expect(await code('qa', { ...order, clientId: w.demoClient })).toEqual([403, 'FORBIDDEN']);
    const bySales = await post('sales', '/api/v1/oem-orders', {
      ...order,
      clientId: w.otherClient,
      orderNumber: 'NL-7002',
    });
    expect(bySales.statusCode, bySales.body).toBe(201);
    // No contract price for that client and product: sales add one first.
    expect(
      await code(
        'sales',
        { spareRateBps: 40, expectedVersion: 1 },
        `/api/v1/oem-orders/${bySales.json<OemOrder>().id}/confirmation`,
      ),
    ).toEqual([409, 'NO_CONTRACT_PRICE']);
  });

  it('shows a client its own orders only; another client’s is a 404', async () => {
    const mine = (await get('oem', '/api/v1/oem-orders?limit=200')).json<{
      items: { id: string; client: { id: string } }[];
    }>().items;
    expect(mine.map((o) => o.id)).toContain(w.demoOrder);
    expect(mine.every((o) => o.client.id === w.demoClient)).toBe(true);
    expect((await get('oem', `/api/v1/oem-orders/${w.otherOrder}`)).statusCode).toBe(404);
    expect((await get('oem', `/api/v1/oem-orders/${w.otherOrder}/ledger`)).statusCode).toBe(404);
    expect((await get('sales', `/api/v1/oem-orders/${w.otherOrder}`)).statusCode).toBe(200);
    expect((await get('dealer', '/api/v1/oem-orders')).statusCode).toBe(403);
  });

  it('journey: defects run past the spares, the client takes a credit, the next order shows it applied', async () => {
    const ledgerUrl = `/api/v1/oem-orders/${w.demoOrder}/ledger`;
    const before = (await get('oem', ledgerUrl)).json<OemOrderLedger>();
    expect(before).toMatchObject({
      allowance: 10,
      coveredBySpares: 9,
      excess: 0,
      sparesLeft: 1,
      excessUnresolved: 0,
    });

    // Nothing to choose yet.
    const early = await post('oem', `/api/v1/oem-orders/${w.demoOrder}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'money',
      expectedVersion: before.version,
    });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: { code: 'NO_EXCESS' } });

    const report = await post('oem', `/api/v1/oem-orders/${w.demoOrder}/defect-reports`, {
      serials: ['BTH500-2501-001300', 'BTH500-2501-001301', 'BTH500-2501-001302'],
      failureMode: 'Right earpiece silent',
    });
    expect(report.statusCode, report.body).toBe(201);
    expect(report.json()).toMatchObject({ lot: 'BTH500-L2501B', units: 3, reportedOn: TODAY.toString() });

    // One unit takes the last spare at once; the two beyond it wait for QA, and nothing is owed yet.
    const waiting = (await get('oem', ledgerUrl)).json<OemOrderLedger>();
    expect(waiting).toMatchObject({
      coveredBySpares: 10,
      excess: 0,
      awaitingQa: 2,
      sparesLeft: 0,
      excessUnresolved: 0,
    });
    expect(waiting.lines.at(-1)).toMatchObject({
      status: 'awaiting_qa',
      coveredBySpares: 1,
      awaitingQa: 2,
      excess: 0,
    });
    const unaccepted = await post('oem', `/api/v1/oem-orders/${w.demoOrder}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'money',
      expectedVersion: waiting.version,
    });
    expect(unaccepted.json()).toMatchObject({ error: { code: 'NO_EXCESS' } });
    expect(await t.db.db.select().from(outbox).where(eq(outbox.topic, 'oem_order.excess'))).toEqual([]);
    // QA asks for the units back, inspects them and accepts them.
    await acceptAllReported(t.app, cookies.get('qa') ?? '', w.demoOrder);

    const after = (await get('oem', ledgerUrl)).json<OemOrderLedger>();
    expect(after).toMatchObject({
      allowance: 10,
      defectsReported: 12,
      coveredBySpares: 10,
      excess: 2,
      awaitingQa: 0,
      sparesLeft: 0,
      excessUnresolved: 2,
      remediesOffered: [{ code: 'replacement_shipment' }, { code: 'next_order_credit' }],
    });
    expect(after.lines.at(-1)).toMatchObject({ status: 'partly_excess', coveredBySpares: 1, excess: 2 });
    expect(after.lines.at(-1)?.rmaNumber).toMatch(/^RMA-2026-\d{6}$/);
    expect(after.clauses.excess).toContain('OEM');
    expect(after.version).toBeGreaterThan(before.version);
    const told = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'oem_order.excess'));
    expect(told.map((m) => m.recipient).sort()).toEqual([
      'procurement@brightwave-audio.example.com',
      'role:sales',
    ]);

    // A choice made on the stale ledger (before QA's decision) is refused.
    const stale = await post('oem', `/api/v1/oem-orders/${w.demoOrder}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'money',
      expectedVersion: waiting.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      error: { code: 'VERSION_CONFLICT', details: { currentVersion: after.version } },
    });

    const choose = (key: string, body: object) =>
      post('oem', `/api/v1/oem-orders/${w.demoOrder}/excess-resolutions`, body, { 'idempotency-key': key });
    const chosen = await choose('credit-bw-0001-a', {
      remedy: 'next_order_credit',
      credit: 'money',
      expectedVersion: after.version,
    });
    expect(chosen.statusCode, chosen.body).toBe(201);
    const credit = chosen.json<Resolved>();
    expect(credit).toMatchObject({
      remedy: 'next_order_credit',
      units: 2,
      credit: { kind: 'money', amount: { amountMinor: 37_000, currency: 'CNY' } },
      appliedTo: null,
      orderVersion: after.version + 1,
    });
    // A retry answers with the first choice; the key with another choice is refused.
    const retry = await choose('credit-bw-0001-a', {
      remedy: 'next_order_credit',
      credit: 'money',
      expectedVersion: after.version,
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json<Resolved>().id).toBe(credit.id);
    const reused = await choose('credit-bw-0001-a', {
      remedy: 'replacement_shipment',
      expectedVersion: after.version,
    });
    expect(reused.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    const again = await choose('credit-bw-0001-b', {
      remedy: 'replacement_shipment',
      expectedVersion: credit.orderVersion,
    });
    expect(again.json()).toMatchObject({ error: { code: 'NO_EXCESS' } });

    // The pending credit, as the client sees it.
    const pending = (await get('oem', '/api/v1/excess-resolutions?pending=true')).json<{ id: string }[]>();
    expect(pending.map((c) => c.id)).toEqual([credit.id]);

    // An order of another product in another currency does not take the money credit…
    const other = await bookOrder(t.app, cookieSet(), {
      sku: DEMO_SKUS.headset,
      quantity: 200,
      spareRateBps: 50,
      deliveryDate: '2027-01-10',
      lots: [{ lot: 'HS200-L2601A' }],
      unitPrice: { amountMinor: 900, currency: 'USD' },
    });
    expect((other as unknown as OemOrder).nextOrderCredits.applied).toEqual([]);

    // …the next order in CNY does, in the transaction that confirms it, and both orders show it.
    const nextOrder = (await bookOrder(t.app, cookieSet(), {
      sku: DEMO_SKUS.bluetoothHeadset,
      quantity: 1000,
      spareRateBps: 40,
      deliveryDate: '2027-01-15',
      lots: [{ lot: 'BTH500-L2601A', serials: { first: 'BTH500-2601-000001', last: 'BTH500-2601-001000' } }],
      unitPrice: { amountMinor: 18_000, currency: 'CNY' },
    })) as unknown as OemOrder;
    expect(nextOrder.nextOrderCredits.applied).toMatchObject([
      {
        id: credit.id,
        order: { id: w.demoOrder, orderNumber: DEMO_OEM_ORDER.orderNumber },
        appliedTo: { id: nextOrder.id },
      },
    ]);
    expect(nextOrder.billing).toEqual({
      freeUnits: 0,
      orderValue: { amountMinor: 18_000_000, currency: 'CNY' },
      creditApplied: { amountMinor: 37_000, currency: 'CNY' },
      amountDue: { amountMinor: 17_963_000, currency: 'CNY' },
    });
    const source = (await get('oem', `/api/v1/oem-orders/${w.demoOrder}`)).json<OemOrder>();
    expect(source.nextOrderCredits.granted).toMatchObject([
      { id: credit.id, appliedTo: { id: nextOrder.id, orderNumber: nextOrder.orderNumber } },
    ]);
    expect((await get('oem', '/api/v1/excess-resolutions?pending=true')).json()).toEqual([]);
    const applied = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'oem_credit.applied'));
    expect(applied.map((a) => a.entityId)).toEqual([credit.id]);

    // A credit is applied once: a later order takes nothing more.
    const third = (await bookOrder(t.app, cookieSet(), {
      ...order,
      spareRateBps: 30,
      orderNumber: 'BW-PO-3',
      lots: [{ lot: 'BTH500-L2601B' }],
    })) as unknown as OemOrder;
    expect(third.nextOrderCredits.applied).toEqual([]);
  });

  it('applies a unit credit to the next order of the same product; sales may choose for the client', async () => {
    // The flagged order is past its spares (14 defects, 3 spares).
    const ledger = (await get('sales', `/api/v1/oem-orders/${w.flaggedOrder}/ledger`)).json<OemOrderLedger>();
    expect(ledger).toMatchObject({ allowance: 3, excess: 11, excessUnresolved: 11 });
    const part = await post('sales', `/api/v1/oem-orders/${w.flaggedOrder}/excess-resolutions`, {
      remedy: 'replacement_shipment',
      units: 5,
      expectedVersion: ledger.version,
    });
    expect(part.statusCode, part.body).toBe(201);
    const tooMany = await post('oem', `/api/v1/oem-orders/${w.flaggedOrder}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'units',
      units: 7,
      expectedVersion: part.json<Resolved>().orderVersion,
    });
    expect(tooMany.json()).toMatchObject({
      error: { code: 'UNITS_EXCEED_EXCESS', details: { unresolvedExcess: 6 } },
    });
    const units = await post('oem', `/api/v1/oem-orders/${w.flaggedOrder}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'units',
      expectedVersion: part.json<Resolved>().orderVersion,
    });
    expect(units.json<Resolved>()).toMatchObject({ units: 6, credit: { kind: 'units', amount: null } });
    const next = await bookOrder(t.app, cookieSet(), {
      sku: DEMO_SKUS.headset,
      quantity: 500,
      spareRateBps: 30,
      deliveryDate: '2027-02-01',
      lots: [{ lot: 'HS200-L2602A' }],
    });
    expect(next).toMatchObject({
      nextOrderCredits: { applied: [{ id: units.json<Resolved>().id, credit: { kind: 'units', units: 6 } }] },
      billing: { freeUnits: 6 },
    });
    // Another client never sees them.
    const list = await get('oem', '/api/v1/excess-resolutions');
    expect(list.json<{ clientId: string }[]>().every((r) => r.clientId === w.demoClient)).toBe(true);
  });

  it('applies a credit once when two next orders are booked at the same moment', async () => {
    const ledger = (await get('oem', `/api/v1/oem-orders/${w.flaggedOrder}/ledger`)).json<OemOrderLedger>();
    const more = await post('oem', `/api/v1/oem-orders/${w.flaggedOrder}/defect-reports`, {
      units: 2,
      failureMode: 'Microphone cuts out',
    });
    expect(more.statusCode, more.body).toBe(201);
    await acceptAllReported(t.app, cookies.get('qa') ?? '', w.flaggedOrder);
    const version = (await get('oem', `/api/v1/oem-orders/${w.flaggedOrder}/ledger`)).json<OemOrderLedger>();
    expect(version.excessUnresolved).toBe(ledger.excessUnresolved + 2);
    const credit = await post('oem', `/api/v1/oem-orders/${w.flaggedOrder}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'units',
      expectedVersion: version.version,
    });
    expect(credit.statusCode, credit.body).toBe(201);
    const request = async () =>
      (
        await post('oem', '/api/v1/oem-orders', {
          sku: DEMO_SKUS.headset,
          quantity: 100,
          deliveryDate: '2027-03-01',
        })
      ).json<OemOrder>();
    const [ra, rb] = [await request(), await request()];
    const confirm = (o: OemOrder) =>
      post('sales', `/api/v1/oem-orders/${o.id}/confirmation`, {
        spareRateBps: 50,
        expectedVersion: o.version,
      });
    const [a, b] = await Promise.all([confirm(ra), confirm(rb)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const taken = [a, b].map((r) => r.json<OemOrder>().nextOrderCredits.applied.map((c) => c.id));
    expect(taken.flat()).toEqual([credit.json<Resolved>().id]);
  });

  it('documents the OEM routes and their schemas in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    }>();
    for (const path of [
      '/api/v1/oem-orders/',
      '/api/v1/oem-orders/{id}/ledger',
      '/api/v1/oem-orders/{id}/confirmation',
      '/api/v1/oem-orders/{id}/decline',
      '/api/v1/oem-price-list/',
      '/api/v1/lots/',
      '/api/v1/lots/{id}/allocations',
      '/api/v1/oem-defect-reports/reviews',
      '/api/v1/oem-defect-reports/{id}/review',
      '/api/v1/oem-defect-reports/{id}/return-request',
      '/api/v1/oem-orders/{id}/excess-resolutions',
      '/api/v1/oem-defect-reports/import',
      '/api/v1/lot-defect-rates/',
      '/api/v1/batch-investigations/{id}/transitions',
      '/api/v1/maker-costs/export',
      '/api/v1/remake-orders/{id}/transitions',
      '/api/v1/replacement-shipments/',
      '/api/v1/replacement-shipments/{id}',
      '/api/v1/replacement-shipments/{id}/transitions',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    for (const schema of [
      'OemOrder',
      'OemOrderLedger',
      'ResolveExcessRequest',
      'BatchDefectInvestigation',
      'LotDefectRate',
      'MakerCostLedger',
      'RemakeOrder',
      'ReplacementShipment',
      'MoveShipmentRequest',
    ]) {
      expect(doc.components.schemas, schema).toHaveProperty([schema]);
    }
  });
});
