import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, makerCostEntries, outbox } from '../../src/db/schema.js';
import { DEMO_FLAGGED_OEM_ORDER, DEMO_OEM_ORDER, DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import type { BatchDefectInvestigation } from '../../src/http/batch-investigations/schemas.js';
import type {
  ExcessResolution,
  OemOrder,
  OemOrderLedger,
  RemakeOrder,
  ReplacementShipment,
} from '../../src/http/oem-orders/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { acceptAllReported, type OemWorld, oemWorld, uploadEvidence } from '../support/oem-fixtures.js';
import { TODAY } from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

type ErrorBody = { error: { code: string; details?: Record<string, unknown> } };
const FLAGGED_LOT = DEMO_FLAGGED_OEM_ORDER.lots[0];
const CLIENT_EMAIL = 'procurement@brightwave-audio.example.com';

describe.each(testDatabases())('shipments to OEM clients after a defect, on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let w: OemWorld;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    for (const role of ['qa', 'oem', 'sales', 'support', 'admin'] as const)
      cookies.set(role, await demoSession(t.app, role));
    w = await oemWorld(t.db.db);
  });

  const as = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const get = (role: Role, url: string) => t.app.inject({ method: 'GET', url, headers: as(role) });
  const post = (role: Role, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: as(role), payload });
  const messages = (topic: string) =>
    t.db.db.select().from(outbox).where(eq(outbox.topic, topic)).orderBy(asc(outbox.createdAt));

  /** QA confirms a production fault on the flagged lot: one remake of its 14 reported units. */
  async function confirmFlaggedLot(): Promise<RemakeOrder> {
    const proposed = await post('qa', '/api/v1/batch-investigations/proposals', {
      productId: w.product(DEMO_SKUS.headset),
      lot: FLAGGED_LOT,
    });
    let inv = proposed.json<BatchDefectInvestigation>();
    const moveUrl = `/api/v1/batch-investigations/${inv.id}/transitions`;
    inv = (await post('qa', moveUrl, { to: 'open', expectedVersion: inv.version })).json();
    const photo = await uploadEvidence(t.app, cookies.get('qa') ?? '');
    inv = (
      await post('qa', `/api/v1/batch-investigations/${inv.id}/evidence`, {
        uploadIds: [photo],
        expectedVersion: inv.version,
      })
    ).json();
    const confirmed = await post('qa', moveUrl, {
      to: 'confirmed',
      expectedVersion: inv.version,
      rootCause: 'production',
      costs: {
        unitCost: { amountMinor: 4_200, currency: 'CNY' },
        airFreightPerShipment: { amountMinor: 86_000, currency: 'CNY' },
      },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const remake = confirmed.json<BatchDefectInvestigation>().remakeOrders[0];
    if (!remake) throw new Error('confirming made no remake');
    return remake;
  }

  it('journey: QA makes the remake, ships it by air with its waybill, the client follows it to delivery; a report after it left gets a new remake', async () => {
    let remake = await confirmFlaggedLot();
    expect(remake).toMatchObject({
      units: 14,
      state: 'planned',
      shippingMode: 'air',
      carrier: null,
      waybill: null,
      version: 1,
      allowedMoves: ['in_production', 'cancelled'],
    });
    const url = `/api/v1/remake-orders/${remake.id}/transitions`;

    // The client reads its own remake; it, support and sales may not move it.
    expect((await get('oem', `/api/v1/remake-orders/${remake.id}`)).json<RemakeOrder>().state).toBe(
      'planned',
    );
    expect((await get('oem', '/api/v1/remake-orders')).json<RemakeOrder[]>().map((r) => r.id)).toEqual([
      remake.id,
    ]);
    for (const role of ['oem', 'sales', 'support'] as const) {
      expect((await post(role, url, { to: 'in_production', expectedVersion: 1 })).statusCode).toBe(403);
    }

    const early = await post('qa', url, {
      to: 'shipped',
      expectedVersion: 1,
      carrier: 'Cathay Cargo',
      waybill: '160-12345675',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      error: {
        code: 'ILLEGAL_TRANSITION',
        details: { from: 'planned', allowed: ['in_production', 'cancelled'] },
      },
    });
    const made = await post('qa', url, { to: 'in_production', expectedVersion: 1 });
    expect(made.statusCode, made.body).toBe(200);
    remake = made.json<RemakeOrder>();
    expect(remake).toMatchObject({ state: 'in_production', version: 2 });
    expect(
      (await post('qa', url, { to: 'cancelled', expectedVersion: 1, reason: 'x' })).json<ErrorBody>().error
        .code,
    ).toBe('VERSION_CONFLICT');

    // A report while it is being made joins it (and makes a screen that read it stale).
    const joining = await post('oem', `/api/v1/oem-orders/${w.flaggedOrder}/defect-reports`, {
      units: 1,
      failureMode: 'Crackles',
    });
    expect(joining.json()).toMatchObject({ remakeOrder: { id: remake.id } });
    remake = (await get('qa', `/api/v1/remake-orders/${remake.id}`)).json<RemakeOrder>();
    expect(remake).toMatchObject({ units: 15, version: 3 });

    const ship = (body: object) =>
      post('qa', url, { to: 'shipped', expectedVersion: remake.version, ...body });
    const bySea = await ship({ carrier: 'COSCO', waybill: 'COSU6123456789', shippingMode: 'sea' });
    expect(bySea.statusCode).toBe(400);
    expect(bySea.json()).toMatchObject({
      error: { code: 'SHIPPING_MODE_NOT_ALLOWED', details: { field: 'shippingMode', allowed: ['air'] } },
    });
    expect((await ship({ carrier: 'Cathay Cargo' })).json<ErrorBody>().error.code).toBe('WAYBILL_REQUIRED');
    expect((await ship({ carrier: 'Cathay Cargo', waybill: ' ' })).json<ErrorBody>().error.code).toBe(
      'WAYBILL_REQUIRED',
    );
    expect((await ship({ waybill: '160-12345675' })).json<ErrorBody>().error.code).toBe('CARRIER_REQUIRED');
    expect(
      (
        await ship({
          carrier: 'Cathay Cargo',
          waybill: '160-12345675',
          shippedOn: TODAY.add({ days: 1 }).toString(),
        })
      ).json<ErrorBody>().error.code,
    ).toBe('DAY_IN_FUTURE');
    expect(
      (
        await ship({ carrier: 'Cathay Cargo', waybill: '160-12345675', deliveredOn: TODAY.toString() })
      ).json<ErrorBody>().error.code,
    ).toBe('FIELD_NOT_FOR_THIS_MOVE');
    const shipped = await ship({
      carrier: 'Cathay Cargo',
      waybill: '160-12345675',
      shippedOn: TODAY.subtract({ days: 1 }).toString(),
    });
    expect(shipped.statusCode, shipped.body).toBe(200);
    remake = shipped.json<RemakeOrder>();
    expect(remake).toMatchObject({
      state: 'shipped',
      shippingMode: 'air',
      carrier: 'Cathay Cargo',
      waybill: '160-12345675',
      shippedOn: TODAY.subtract({ days: 1 }).toString(),
      deliveredOn: null,
      allowedMoves: ['delivered'],
    });
    const [toldShipped] = await messages('remake_order.shipped');
    expect(toldShipped).toMatchObject({
      recipient: CLIENT_EMAIL,
      payload: {
        remakeOrderId: remake.id,
        orderId: w.flaggedOrder,
        investigationId: remake.investigationId,
        state: 'shipped',
        waybill: '160-12345675',
      },
    });
    expect(toldShipped?.body).toContain('air waybill 160-12345675');
    expect(toldShipped?.body).toContain('空运提单号 160-12345675');

    // The client sees it shipped, with the carrier and the waybill, on its order.
    const seen = (await get('oem', `/api/v1/oem-orders/${w.flaggedOrder}`)).json<OemOrder>();
    expect(seen.remakeOrders).toMatchObject([
      { id: remake.id, state: 'shipped', carrier: 'Cathay Cargo', waybill: '160-12345675' },
    ]);

    // A report after the remake left makes a new remake, with its own air freight.
    const late = await post('oem', `/api/v1/oem-orders/${w.flaggedOrder}/defect-reports`, {
      units: 2,
      failureMode: 'Crackles',
    });
    expect(late.statusCode, late.body).toBe(201);
    const second = late.json<{ remakeOrder: { id: string; remakeNumber: string } }>().remakeOrder;
    expect(second.id).not.toBe(remake.id);
    expect((await get('qa', `/api/v1/remake-orders/${second.id}`)).json<RemakeOrder>()).toMatchObject({
      units: 2,
      state: 'planned',
      shippingMode: 'air',
      lot: FLAGGED_LOT,
    });
    expect((await get('qa', `/api/v1/remake-orders/${remake.id}`)).json<RemakeOrder>().units).toBe(15);
    const freight = await t.db.db
      .select()
      .from(makerCostEntries)
      .where(and(eq(makerCostEntries.kind, 'air_freight'), eq(makerCostEntries.clientId, w.demoClient)));
    expect(freight.map((e) => [e.remakeOrderId, e.amountMinor]).sort()).toEqual(
      [
        [remake.id, 86_000],
        [second.id, 86_000],
      ].sort(),
    );
    expect(
      (await get('oem', `/api/v1/oem-orders/${w.flaggedOrder}/ledger`)).json<OemOrderLedger>(),
    ).toMatchObject({
      coveredByRemake: 17,
      coveredBySpares: 0,
      excess: 0,
    });
    const planned = (await get('qa', '/api/v1/remake-orders?state=planned')).json<RemakeOrder[]>();
    expect(planned.map((r) => r.id)).toEqual([second.id]);

    // Delivered: never before it left, and the client is told.
    const deliver = (deliveredOn?: string) =>
      post('qa', url, { to: 'delivered', expectedVersion: remake.version, deliveredOn });
    expect((await deliver(TODAY.subtract({ days: 2 }).toString())).json()).toMatchObject({
      error: { code: 'DELIVERED_BEFORE_SHIPPED', details: { field: 'deliveredOn' } },
    });
    expect((await deliver('2026-13-01')).json<ErrorBody>().error.code).toBe('INVALID_DATE');
    const delivered = await deliver();
    expect(delivered.json<RemakeOrder>()).toMatchObject({
      state: 'delivered',
      deliveredOn: TODAY.toString(),
      allowedMoves: [],
    });
    const [toldDelivered] = await messages('remake_order.delivered');
    expect(toldDelivered).toMatchObject({
      recipient: CLIENT_EMAIL,
      payload: { remakeOrderId: remake.id, orderId: w.flaggedOrder, state: 'delivered' },
    });

    // The second one is called off, with a reason; a cancelled remake takes no more units.
    const secondUrl = `/api/v1/remake-orders/${second.id}/transitions`;
    expect(
      (await post('qa', secondUrl, { to: 'cancelled', expectedVersion: 1 })).json<ErrorBody>().error.code,
    ).toBe('REASON_REQUIRED');
    const cancelled = await post('admin', secondUrl, {
      to: 'cancelled',
      expectedVersion: 1,
      reason: 'The client returned the two units for rework instead',
    });
    expect(cancelled.json<RemakeOrder>()).toMatchObject({
      state: 'cancelled',
      cancellationReason: 'The client returned the two units for rework instead',
    });
    const third = await post('oem', `/api/v1/oem-orders/${w.flaggedOrder}/defect-reports`, {
      units: 1,
      failureMode: 'Crackles',
    });
    expect(third.json<{ remakeOrder: { id: string } }>().remakeOrder.id).not.toBe(second.id);

    const actions = (
      await t.db.db
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(eq(auditEvents.entityId, remake.id))
        .orderBy(asc(auditEvents.id))
    ).map((a) => a.action);
    expect(actions).toEqual([
      'remake_order.created',
      'remake_order.in_production',
      'remake_order.extended',
      'remake_order.shipped',
      'remake_order.delivered',
    ]);
  });

  it('journey: the client chooses a replacement shipment; sales ships it by road with its tracking number; the client sees it delivered', async () => {
    const ledgerUrl = `/api/v1/oem-orders/${w.demoOrder}/ledger`;
    await post('oem', `/api/v1/oem-orders/${w.demoOrder}/defect-reports`, {
      serials: ['BTH500-2501-001300', 'BTH500-2501-001301', 'BTH500-2501-001302'],
      failureMode: 'Right earpiece silent',
    });
    await acceptAllReported(t.app, cookies.get('qa') ?? '', w.demoOrder);
    const ledger = (await get('oem', ledgerUrl)).json<OemOrderLedger>();
    expect(ledger.excess).toBe(2);
    const chosen = await post('oem', `/api/v1/oem-orders/${w.demoOrder}/excess-resolutions`, {
      remedy: 'replacement_shipment',
      expectedVersion: ledger.version,
    });
    expect(chosen.statusCode, chosen.body).toBe(201);
    const resolution = chosen.json<ExcessResolution>();
    expect(resolution.replacementShipment).toMatchObject({ state: 'planned' });
    expect(resolution.replacementShipment?.shipmentNumber).toMatch(/^RPL-2026-\d{6}$/);

    const list = (await get('oem', '/api/v1/replacement-shipments')).json<ReplacementShipment[]>();
    expect(list).toHaveLength(1);
    let shipment = list[0] as ReplacementShipment;
    expect(shipment).toMatchObject({
      id: resolution.replacementShipment?.id,
      resolutionId: resolution.id,
      order: { id: w.demoOrder, orderNumber: DEMO_OEM_ORDER.orderNumber },
      clientId: w.demoClient,
      units: 2,
      state: 'planned',
      shippingMode: 'sea',
      version: 1,
    });
    const chosenMessage = (await messages('oem_excess.resolved')).find((m) => m.recipient === CLIENT_EMAIL);
    expect(chosenMessage?.payload).toMatchObject({
      resolutionId: resolution.id,
      replacementShipmentId: shipment.id,
    });

    const url = `/api/v1/replacement-shipments/${shipment.id}/transitions`;
    for (const role of ['oem', 'qa', 'support'] as const) {
      expect((await post(role, url, { to: 'in_production', expectedVersion: 1 })).statusCode).toBe(403);
    }
    // Two staff moving it from one screen at once: one move, one 409.
    const raced = await Promise.all([
      post('sales', url, { to: 'in_production', expectedVersion: 1 }),
      post('admin', url, { to: 'in_production', expectedVersion: 1 }),
    ]);
    expect(raced.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const loser = raced.find((r) => r.statusCode === 409)?.json<ErrorBody>();
    expect(loser?.error.code).toBe('VERSION_CONFLICT');
    shipment = raced.find((r) => r.statusCode === 200)?.json<ReplacementShipment>() ?? shipment;
    expect(shipment).toMatchObject({ state: 'in_production', allowedMoves: ['shipped', 'cancelled'] });
    const shipped = await post('sales', url, {
      to: 'shipped',
      expectedVersion: shipment.version,
      carrier: 'SF Express',
      waybill: 'SF1234567890123',
      shippingMode: 'road',
    });
    expect(shipped.statusCode, shipped.body).toBe(200);
    shipment = shipped.json<ReplacementShipment>();
    expect(shipment).toMatchObject({
      state: 'shipped',
      shippingMode: 'road',
      carrier: 'SF Express',
      waybill: 'SF1234567890123',
      shippedOn: TODAY.toString(),
    });
    expect(
      (await post('sales', url, { to: 'cancelled', expectedVersion: shipment.version, reason: 'x' })).json(),
    ).toMatchObject({
      error: { code: 'ILLEGAL_TRANSITION', details: { allowed: ['delivered'] } },
    });
    const [toldShipped] = await messages('replacement_shipment.shipped');
    expect(toldShipped).toMatchObject({
      recipient: CLIENT_EMAIL,
      payload: {
        replacementShipmentId: shipment.id,
        resolutionId: resolution.id,
        orderId: w.demoOrder,
        waybill: 'SF1234567890123',
      },
    });
    expect(toldShipped?.body).toContain('by road with SF Express, tracking number SF1234567890123');

    const delivered = await post('admin', url, { to: 'delivered', expectedVersion: shipment.version });
    expect(delivered.json<ReplacementShipment>()).toMatchObject({
      state: 'delivered',
      deliveredOn: TODAY.toString(),
    });
    expect(await messages('replacement_shipment.delivered')).toHaveLength(1);

    // The client sees it on its order, delivered, with the carrier and the tracking number.
    const order = (await get('oem', `/api/v1/oem-orders/${w.demoOrder}`)).json<OemOrder>();
    expect(order.replacementShipments).toMatchObject([
      { id: shipment.id, state: 'delivered', carrier: 'SF Express', waybill: 'SF1234567890123' },
    ]);
    expect((await get('oem', `/api/v1/replacement-shipments/${shipment.id}`)).statusCode).toBe(200);
    expect(
      (await get('sales', `/api/v1/replacement-shipments?state=delivered`)).json<ReplacementShipment[]>(),
    ).toHaveLength(1);
    const actions = (
      await t.db.db
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(eq(auditEvents.entityId, shipment.id))
        .orderBy(asc(auditEvents.id))
    ).map((a) => a.action);
    expect(actions).toEqual([
      'replacement_shipment.planned',
      'replacement_shipment.in_production',
      'replacement_shipment.shipped',
      'replacement_shipment.delivered',
    ]);
  });
});
