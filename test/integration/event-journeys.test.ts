import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { events } from '../../src/db/schema.js';
import { DEMO_DEALERS, DEMO_FLAGGED_OEM_ORDER, DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import { eventTypes, type EventType } from '../../src/app/events/types.js';
import type { Role } from '../../src/domain/access/access.js';
import { REPAIR_PATH, repairAtServiceCenter } from '../support/repair-journey.js';
import { eventDataSchemas } from '../../src/http/events/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { TEST_TODAY } from '../support/maintenance.js';
import { demoSession, ORIGIN } from '../support/sessions.js';
import { lenientRiskSettings } from '../support/service-fixtures.js';
import { acceptAllReported, bookOrder, oemWorld, uploadEvidence } from '../support/oem-fixtures.js';
import { dealers } from '../../src/db/schema.js';

type Event = {
  id: string;
  type: EventType;
  occurredAt: string;
  subject: { type: string; id: string };
  change: Record<string, unknown> | null;
  data: Record<string, unknown> & { id: string };
};
type EventPage = { items: Event[]; nextCursor: string | null };

const FLAGGED_LOT = DEMO_FLAGGED_OEM_ORDER.lots[0];
const day = (daysAgo: number) => TEST_TODAY.subtract({ days: daysAgo }).toString();

describe.each(testDatabases())('events of whole journeys on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  /** A machine acting for another dealer than the demo dealer's person. */
  let otherDealerKey = '';

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TEST_TODAY });
    await lenientRiskSettings(t.db.db);
    for (const role of [
      'admin',
      'support',
      'dealer',
      'customer',
      'technician',
      'qa',
      'sales',
      'oem',
    ] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    const [other] = await t.db.db
      .select({ id: dealers.id })
      .from(dealers)
      .where(eq(dealers.name, DEMO_DEALERS[1].name));
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: as('admin'),
      payload: { name: 'another dealer’s till', role: 'dealer', dealerId: other?.id },
    });
    expect(key.statusCode, key.body).toBe(201);
    otherDealerKey = key.json<{ key: string }>().key;
  });

  const as = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const call = async <T>(role: Role, method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await t.app.inject({ method, url, headers: as(role), ...(payload ? { payload } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json<T>();
  };

  /** Every event after `after` the caller may see, polled a page of 3 at a time like a client. */
  async function pollAll(
    headers: Record<string, string>,
    after: string | null,
    types?: string,
  ): Promise<{ items: Event[]; next: string | null }> {
    const items: Event[] = [];
    let cursor = after;
    for (;;) {
      const query = new URLSearchParams({ limit: '3' });
      if (cursor) query.set('after', cursor);
      if (types) query.set('types', types);
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/events?${query}`, headers });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<EventPage>();
      items.push(...page.items);
      if (page.items.length === 0) return { items, next: cursor };
      cursor = page.nextCursor;
    }
  }
  const adminPoll = (after: string | null) => pollAll(as('admin'), after);

  /** Each event's data is exactly what its schema (the API's own for the object) makes of it. */
  function expectPayloadsFitTheirSchemas(items: readonly Event[]): void {
    for (const event of items) {
      const parsed = eventDataSchemas[event.type].safeParse(event.data);
      expect(parsed.success, `${event.type}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(parsed.data, event.type).toEqual(event.data);
    }
  }

  it('records each step of a refund at the dealer once, in order, with the object as the API shows it', async () => {
    const start = (await adminPoll(null)).next;
    const sale = await call<{ id: string }>('dealer', 'POST', '/api/v1/purchases', {
      sku: DEMO_SKUS.headset,
      purchaseDate: day(3),
      buyer: { name: 'Chen Jie', email: 'chen.jie@example.com' },
      price: { amountMinor: 29_900, currency: 'CNY' },
    });
    const claim = await call<{ id: string }>('support', 'POST', '/api/v1/claims', {
      purchaseId: sale.id,
      cause: 'quality',
      description: 'The left earpiece is silent',
    });
    // A stale version changes nothing, and writes no event.
    const stale = await t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${claim.id}/remedy`,
      headers: as('support'),
      payload: { remedy: 'refund', expectedVersion: 7 },
    });
    expect(stale.statusCode).toBe(409);
    await call('support', 'POST', `/api/v1/claims/${claim.id}/remedy`, {
      remedy: 'refund',
      expectedVersion: 1,
    });
    const remedy = await call<{ id: string; reimbursement: { id: string } }>(
      'dealer',
      'POST',
      `/api/v1/claims/${claim.id}/dealer-remedy`,
      { kind: 'refund', refund: { amountMinor: 29_900, currency: 'CNY' } },
    );
    const decided = await call<{ status: string }>(
      'support',
      'POST',
      `/api/v1/reimbursements/${remedy.reimbursement.id}/decision`,
      { decision: 'approved', expectedVersion: 1 },
    );
    expect(decided.status).toBe('approved');

    const { items } = await adminPoll(start);
    expect(items.map((e) => [e.type, e.subject.id])).toEqual([
      ['purchase.recorded', sale.id],
      ['claim.submitted', claim.id],
      ['claim.remedy_chosen', claim.id],
      ['dealer_remedy.performed', remedy.id],
      ['claim.resolved', claim.id],
      ['reimbursement.decided', remedy.reimbursement.id],
    ]);
    expect(new Set(items.map((e) => e.id)).size).toBe(items.length);
    expectPayloadsFitTheirSchemas(items);
    // The claim's last event carries the claim exactly as the API answers for it now.
    const shown = await call<Record<string, unknown>>('admin', 'GET', `/api/v1/claims/${claim.id}?lang=en`);
    expect(items.find((e) => e.type === 'claim.resolved')?.data).toEqual(shown);
    expect(items.find((e) => e.type === 'claim.submitted')?.data).toMatchObject({
      status: 'open',
      version: 1,
    });

    // Scoped like the objects: the sale's dealer sees its sale, claim, remedy and reimbursement…
    const dealerSees = await pollAll(as('dealer'), start);
    expect(dealerSees.items.map((e) => e.id)).toEqual(items.map((e) => e.id));
    // …another dealer's machine none of them, and the demo customer (not the buyer) none either.
    const otherDealerSees = await pollAll({ authorization: `Bearer ${otherDealerKey}` }, start);
    expect(otherDealerSees.items).toEqual([]);
    expect((await pollAll(as('customer'), start)).items).toEqual([]);
    // QA reads claims but not sales or reimbursements: the claim's events only.
    const qaSees = await pollAll(as('qa'), start);
    expect(qaSees.items.map((e) => e.type)).toEqual([
      'claim.submitted',
      'claim.remedy_chosen',
      'claim.resolved',
    ]);
    // A filter by type.
    const onlyClaims = await pollAll(as('admin'), start, 'claim.submitted,claim.resolved');
    expect(onlyClaims.items.map((e) => e.type)).toEqual(['claim.submitted', 'claim.resolved']);
  });

  it('records a repair at a service center: issue, every move with from and to, the contact, the return', async () => {
    const start = (await adminPoll(null)).next;
    const { saleId, claimId, order } = await repairAtServiceCenter(call, day(200));
    const path = REPAIR_PATH;

    const { items } = await adminPoll(start);
    const moves = ['issued', ...path].slice(0, -1).map((from, i) => ({ from, to: path[i] }));
    expect(items.map((e) => [e.type, e.subject.id, e.change])).toEqual([
      ['purchase.recorded', saleId, null],
      ['claim.submitted', claimId, null],
      ['claim.remedy_chosen', claimId, null],
      ['maintenance_order.issued', order.id, null],
      ...moves.flatMap((change) => [
        ['maintenance_order.moved', order.id, change],
        ...(change.to === 'received' ? [['maintenance_order.contact_recorded', order.id, null]] : []),
      ]),
      ['maintenance_order.returned', order.id, null],
    ]);
    expectPayloadsFitTheirSchemas(items);
    expect(items.at(-1)?.data).toMatchObject({ id: order.id, state: 'returned' });

    // The center's technician sees the order's events (its center), not the sale's or the claim's.
    const technicianSees = await pollAll(as('technician'), start);
    const ofOrder = items.filter((e) => e.subject.id === order.id).map((e) => e.id);
    expect(technicianSees.items.map((e) => e.id)).toEqual(ofOrder);
    // The dealer sees the sale and the claim, not the repair (orders are the center's and the customer's).
    const dealerSees = await pollAll(as('dealer'), start);
    expect(dealerSees.items.map((e) => e.type)).toEqual([
      'purchase.recorded',
      'claim.submitted',
      'claim.remedy_chosen',
    ]);
  });

  it('records each step of an OEM journey once, in order: defects, excess, shipment, credit, batch defect, remake', async () => {
    const w = await oemWorld(t.db.db);
    const start = (await adminPoll(null)).next;
    const report = await call<{ id: string }>(
      'oem',
      'POST',
      `/api/v1/oem-orders/${w.demoOrder}/defect-reports`,
      {
        serials: ['BTH500-2501-001300', 'BTH500-2501-001301', 'BTH500-2501-001302'],
        failureMode: 'Right earpiece silent',
      },
    );
    await acceptAllReported(t.app, cookies.get('qa') ?? '', w.demoOrder);
    const ledgerUrl = `/api/v1/oem-orders/${w.demoOrder}/ledger`;
    let ledger = await call<{ excess: number; version: number }>('oem', 'GET', ledgerUrl);
    expect(ledger.excess).toBe(2);
    const resolutionsUrl = `/api/v1/oem-orders/${w.demoOrder}/excess-resolutions`;
    const replacement = await call<{ id: string; replacementShipment: { id: string } }>(
      'oem',
      'POST',
      resolutionsUrl,
      { remedy: 'replacement_shipment', units: 1, expectedVersion: ledger.version },
    );
    ledger = await call('oem', 'GET', ledgerUrl);
    const credit = await call<{ id: string }>('oem', 'POST', resolutionsUrl, {
      remedy: 'next_order_credit',
      credit: 'units',
      units: 1,
      expectedVersion: ledger.version,
    });
    const shipmentUrl = `/api/v1/replacement-shipments/${replacement.replacementShipment.id}/transitions`;
    let shipment = await call<{ version: number }>('sales', 'POST', shipmentUrl, {
      to: 'in_production',
      expectedVersion: 1,
    });
    shipment = await call('sales', 'POST', shipmentUrl, {
      to: 'shipped',
      expectedVersion: shipment.version,
      carrier: 'SF Express',
      waybill: 'SF1234567890123',
      shippingMode: 'road',
    });
    await call('sales', 'POST', shipmentUrl, { to: 'delivered', expectedVersion: shipment.version });
    // The next order takes the credit.
    const next = await bookOrder(
      t.app,
      { oem: cookies.get('oem'), sales: cookies.get('sales') ?? '', qa: cookies.get('qa') ?? '' },
      {
        sku: DEMO_SKUS.bluetoothHeadset,
        quantity: 1000,
        spareRateBps: 40,
        deliveryDate: '2027-03-01',
        lots: [{ lot: 'BTH500-L2611E' }],
      },
    );
    // QA confirms a batch defect on the flagged lot: a remake, shipped by air and delivered.
    const productId = w.product(DEMO_SKUS.headset);
    let inv = await call<{ id: string; version: number }>(
      'qa',
      'POST',
      '/api/v1/batch-investigations/proposals',
      {
        productId,
        lot: FLAGGED_LOT,
      },
    );
    const moveUrl = `/api/v1/batch-investigations/${inv.id}/transitions`;
    inv = await call('qa', 'POST', moveUrl, { to: 'open', expectedVersion: inv.version });
    const photo = await uploadEvidence(t.app, cookies.get('qa') ?? '');
    inv = await call('qa', 'POST', `/api/v1/batch-investigations/${inv.id}/evidence`, {
      uploadIds: [photo],
      expectedVersion: inv.version,
    });
    const confirmed = await call<{ id: string; remakeOrders: { id: string; version: number }[] }>(
      'qa',
      'POST',
      moveUrl,
      {
        to: 'confirmed',
        expectedVersion: inv.version,
        rootCause: 'production',
        costs: {
          unitCost: { amountMinor: 4_200, currency: 'CNY' },
          airFreightPerShipment: { amountMinor: 86_000, currency: 'CNY' },
        },
      },
    );
    let remake = confirmed.remakeOrders[0] ?? { id: '', version: 0 };
    const remakeUrl = `/api/v1/remake-orders/${remake.id}/transitions`;
    remake = await call('qa', 'POST', remakeUrl, { to: 'in_production', expectedVersion: remake.version });
    remake = await call('qa', 'POST', remakeUrl, {
      to: 'shipped',
      expectedVersion: remake.version,
      carrier: 'Cathay Cargo',
      waybill: '160-12345675',
    });
    await call('qa', 'POST', remakeUrl, { to: 'delivered', expectedVersion: remake.version });
    // And one QA looked into and dismissed.
    let doubt = await call<{ id: string; version: number }>('qa', 'POST', '/api/v1/batch-investigations', {
      productId: w.product(DEMO_SKUS.bluetoothHeadset),
      lots: ['BTH500-L2611E'],
    });
    doubt = await call('qa', 'POST', `/api/v1/batch-investigations/${doubt.id}/transitions`, {
      to: 'dismissed',
      expectedVersion: doubt.version,
      findings: 'Units damaged in the client’s own assembly, not in production',
    });

    const { items } = await adminPoll(start);
    expect(items.map((e) => [e.type, e.subject.id])).toEqual([
      ['oem_defects.reported', report.id],
      ['oem_excess.resolved', replacement.id],
      ['oem_excess.resolved', credit.id],
      ['replacement_shipment.shipped', replacement.replacementShipment.id],
      ['replacement_shipment.delivered', replacement.replacementShipment.id],
      ['oem_order.booked', next.id],
      ['oem_credit.applied', credit.id],
      ['batch_investigation.confirmed', confirmed.id],
      ['remake_order.shipped', remake.id],
      ['remake_order.delivered', remake.id],
      ['batch_investigation.dismissed', doubt.id],
    ]);
    expect(new Set(items.map((e) => e.id)).size).toBe(items.length);
    expectPayloadsFitTheirSchemas(items);
    expect(items.find((e) => e.type === 'oem_credit.applied')?.data).toMatchObject({
      appliedTo: { id: next.id },
    });

    // The client sees what is its own (not the maker's investigations); a dealer sees none of it.
    const clientSees = await pollAll(as('oem'), start);
    expect(clientSees.items.map((e) => e.id)).toEqual(
      items.filter((e) => !e.type.startsWith('batch_investigation.')).map((e) => e.id),
    );
    expect((await pollAll(as('dealer'), start)).items).toEqual([]);
  });

  it('refuses a cursor it did not give and a type it does not know, with a code', async () => {
    for (const query of ['after=12', 'after=abc-1', 'after=1-1-1', 'types=claim.exploded', 'limit=0']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/events?${query}`, headers: as('admin') });
      expect(res.statusCode, query).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code, query).toMatch(/^[A-Z_]+$/);
    }
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/events?after=12', headers: as('admin') });
    expect(res.json<{ error: { code: string } }>().error.code).toBe('INVALID_CURSOR');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/events' })).statusCode).toBe(401);
  });

  it('lists every event type under the OpenAPI document’s webhooks, each with its payload schema', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      openapi: string;
      webhooks: Record<
        string,
        { post: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }
      >;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.webhooks).sort()).toEqual([...eventTypes].sort());
    for (const type of eventTypes) {
      const ref = doc.webhooks[type]?.post.requestBody.content['application/json']?.schema.$ref ?? '';
      const component = doc.components.schemas[ref.replace('#/components/schemas/', '')];
      expect(component?.properties, type).toHaveProperty('data');
      expect(component?.properties, type).toHaveProperty('id');
    }
    expect(await t.db.db.$count(events)).toBeGreaterThan(0);
  });
});
