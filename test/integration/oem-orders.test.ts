import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, outbox } from '../../src/db/schema.js';
import { DEMO_OEM_ORDER, DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import type { OemOrder, OemOrderLedger } from '../../src/http/oem-orders/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { type OemWorld, oemWorld } from '../support/oem-fixtures.js';
import { TODAY } from '../support/service-fixtures.js';
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
    spareRateBps: 30,
    deliveryDate: '2026-12-20',
    lots: [{ lot: 'BTH500-L2511Z' }],
  };

  it('books an order with its spares (quantity × rate, rounded up) and an order number', async () => {
    const res = await post('oem', '/api/v1/oem-orders', order);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<OemOrder>();
    expect(body).toMatchObject({
      client: { id: w.demoClient },
      quantity: 1001,
      spareRateBps: 30,
      spareUnits: 4,
      deliveryDate: '2026-12-20',
      defectWindowEndsOn: '2027-12-20',
      lots: [{ lot: 'BTH500-L2511Z', units: 1001, serials: null }],
      version: 1,
      nextOrderCredits: { applied: [], granted: [] },
    });
    expect(body.orderNumber).toMatch(/^OEM-2026-\d{6}$/);
    const [audit] = await t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'oem_order.created'), eq(auditEvents.entityId, body.id)));
    expect(audit?.data).toMatchObject({ spareUnits: 4, policyVersion: body.policyVersion });
    const [message] = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'oem_order.created'));
    expect(message?.recipient).toBe('procurement@brightwave-audio.example.com');
  });

  it('refuses a spare rate outside the policy’s range, bad lots and a taken number, each with its code', async () => {
    const code = async (role: Role, payload: object) => {
      const res = await post(role, '/api/v1/oem-orders', payload);
      return [res.statusCode, res.json<{ error: { code: string } }>().error.code];
    };
    expect(await code('oem', { ...order, spareRateBps: 60 })).toEqual([400, 'SPARE_RATE_OUT_OF_RANGE']);
    expect(await code('oem', { ...order, spareRateBps: 29 })).toEqual([400, 'SPARE_RATE_OUT_OF_RANGE']);
    expect(await code('oem', { ...order, spareRateBps: 45.5 })).toEqual([400, 'SPARE_RATE_OUT_OF_RANGE']);
    expect(
      await code('oem', {
        ...order,
        lots: [
          { lot: 'A1', units: 500 },
          { lot: 'A2', units: 500 },
        ],
      }),
    ).toEqual([400, 'LOT_UNITS_MISMATCH']);
    expect(await code('oem', { ...order, lots: [{ lot: 'HS200-L2509C' }] })).toEqual([
      409,
      'LOT_OF_ANOTHER_PRODUCT',
    ]);
    expect(await code('oem', { ...order, sku: 'NOPE-1' })).toEqual([400, 'UNKNOWN_PRODUCT']);
    expect(await code('oem', { ...order, orderNumber: DEMO_OEM_ORDER.orderNumber })).toEqual([
      409,
      'ORDER_NUMBER_TAKEN',
    ]);
    // A client's user books for its own client only; another client does not exist for it.
    expect(await code('oem', { ...order, clientId: w.otherClient })).toEqual([404, 'OEM_CLIENT_NOT_FOUND']);
    expect(await code('sales', order)).toEqual([400, 'CLIENT_REQUIRED']);
    expect(await code('qa', { ...order, clientId: w.demoClient })).toEqual([403, 'FORBIDDEN']);
    const bySales = await post('sales', '/api/v1/oem-orders', {
      ...order,
      clientId: w.otherClient,
      orderNumber: 'NL-7002',
    });
    expect(bySales.statusCode, bySales.body).toBe(201);
  });

  it('shows a client its own orders only; another client’s is a 404', async () => {
    const mine = (await get('oem', '/api/v1/oem-orders')).json<{ id: string; client: { id: string } }[]>();
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

    const after = (await get('oem', ledgerUrl)).json<OemOrderLedger>();
    expect(after).toMatchObject({
      allowance: 10,
      defectsReported: 12,
      coveredBySpares: 10,
      excess: 2,
      sparesLeft: 0,
      excessUnresolved: 2,
      remediesOffered: [{ code: 'replacement_shipment' }, { code: 'next_order_credit' }],
    });
    expect(after.lines.at(-1)).toMatchObject({ status: 'partly_excess', coveredBySpares: 1, excess: 2 });
    expect(after.clauses.excess).toContain('OEM');
    expect(after.version).toBeGreaterThan(before.version);
    const told = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'oem_order.excess'));
    expect(told.map((m) => m.recipient).sort()).toEqual([
      'procurement@brightwave-audio.example.com',
      'role:sales',
    ]);

    // A choice made on the stale ledger is refused.
    const stale = await post('oem', `/api/v1/oem-orders/${w.demoOrder}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'money',
      expectedVersion: before.version,
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
    const other = await post('oem', '/api/v1/oem-orders', {
      sku: DEMO_SKUS.headset,
      quantity: 200,
      spareRateBps: 50,
      deliveryDate: '2027-01-10',
      lots: [{ lot: 'HS200-L2601A' }],
      unitPrice: { amountMinor: 900, currency: 'USD' },
    });
    expect(other.json<OemOrder>().nextOrderCredits.applied).toEqual([]);

    // …the next order in CNY does, in its own transaction, and both orders show it.
    const next = await post('oem', '/api/v1/oem-orders', {
      sku: DEMO_SKUS.bluetoothHeadset,
      quantity: 1000,
      spareRateBps: 40,
      deliveryDate: '2027-01-15',
      lots: [{ lot: 'BTH500-L2601A', serials: { first: 'BTH500-2601-000001', last: 'BTH500-2601-001000' } }],
      unitPrice: { amountMinor: 18_000, currency: 'CNY' },
    });
    expect(next.statusCode, next.body).toBe(201);
    const nextOrder = next.json<OemOrder>();
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
    const third = await post('oem', '/api/v1/oem-orders', {
      ...order,
      orderNumber: 'BW-PO-3',
      lots: [{ lot: 'BTH500-L2601B' }],
    });
    expect(third.json<OemOrder>().nextOrderCredits.applied).toEqual([]);
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
    const next = await post('oem', '/api/v1/oem-orders', {
      sku: DEMO_SKUS.headset,
      quantity: 500,
      spareRateBps: 30,
      deliveryDate: '2027-02-01',
      lots: [{ lot: 'HS200-L2602A' }],
    });
    expect(next.json<OemOrder>()).toMatchObject({
      nextOrderCredits: { applied: [{ id: units.json<Resolved>().id, credit: { kind: 'units', units: 6 } }] },
      billing: { freeUnits: 6, orderValue: null },
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
    const version = (await get('oem', `/api/v1/oem-orders/${w.flaggedOrder}/ledger`)).json<OemOrderLedger>();
    expect(version.excessUnresolved).toBe(ledger.excessUnresolved + 2);
    const credit = await post('oem', `/api/v1/oem-orders/${w.flaggedOrder}/excess-resolutions`, {
      remedy: 'next_order_credit',
      credit: 'units',
      expectedVersion: version.version,
    });
    expect(credit.statusCode, credit.body).toBe(201);
    const book = (lot: string) =>
      post('oem', '/api/v1/oem-orders', {
        sku: DEMO_SKUS.headset,
        quantity: 100,
        spareRateBps: 50,
        deliveryDate: '2027-03-01',
        lots: [{ lot }],
      });
    const [a, b] = await Promise.all([book('HS200-L2603A'), book('HS200-L2603B')]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
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
