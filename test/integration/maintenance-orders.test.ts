import { and, asc, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  claims,
  maintenanceOrderEvents,
  maintenanceOrders,
  outbox,
  quotes,
  serviceCenters,
} from '../../src/db/schema.js';
import { DEMO_END_USERS, DEMO_SERVICE_CENTERS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import type {
  MaintenanceOrderDetailResponse,
  MaintenanceOrderResponse,
} from '../../src/http/maintenance/schemas.js';
import { sentText, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { claimOn, purchaseFor, TEST_TODAY, wangFangPurchase } from '../support/maintenance.js';
import { demoSession, ORIGIN } from '../support/sessions.js';
import { lenientRiskSettings } from '../support/service-fixtures.js';

const NUMBER_SHAPE = /^M-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const WANG_FANG = DEMO_END_USERS[2];

describe.each(testDatabases())('maintenance orders on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let wangFang: string;
  let laCenterId: string;
  let shanghaiCenterId: string;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TEST_TODAY });
    await lenientRiskSettings(t.db.db);
    for (const role of ['admin', 'support', 'technician', 'customer', 'dealer', 'qa'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    wangFang = await wangFangPurchase(t.db.db);
    // A center far from the others, in a zone whose day differs from Shanghai's at TEST_NOW.
    const [la] = await t.db.db
      .insert(serviceCenters)
      .values({
        kind: 'center',
        nameEn: 'Halotek Los Angeles Service Center',
        nameZh: 'Halotek 洛杉矶售后服务中心',
        city: 'Los Angeles',
        address: '100 Main St, Los Angeles, CA 90012',
        latitude: 34.0522,
        longitude: -118.2437,
        timeZone: 'America/Los_Angeles',
        committedServiceDays: 3,
        businessDays: [1, 2, 3, 4, 5],
        email: 'service.la@halotek.example.com',
        phone: '+1 213 555 0100',
      })
      .returning({ id: serviceCenters.id });
    laCenterId = la?.id ?? '';
    const [shanghai] = await t.db.db
      .select({ id: serviceCenters.id })
      .from(serviceCenters)
      .where(eq(serviceCenters.nameEn, DEMO_SERVICE_CENTERS[1].nameEn));
    shanghaiCenterId = shanghai?.id ?? '';
  });

  const as = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const issue = (role: Role, claimId: string, body: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${claimId}/maintenance-order`,
      headers: as(role),
      payload: body,
    });
  const move = (role: Role, orderId: string, body: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/maintenance-orders/${orderId}/transitions`,
      headers: as(role),
      payload: body,
    });
  const get = (role: Role, url: string) => t.app.inject({ method: 'GET', url, headers: as(role) });

  /** Moves through `states` one by one, each with the version the last answer gave. */
  async function walk(
    role: Role,
    order: MaintenanceOrderResponse,
    steps: (string | { to: string; [field: string]: unknown })[],
  ): Promise<MaintenanceOrderResponse> {
    let current = order;
    for (const step of steps) {
      const body = typeof step === 'string' ? { to: step } : step;
      const res = await move(role, current.id, { ...body, expectedVersion: current.version });
      expect(res.statusCode, `${current.state} → ${body.to}: ${res.body}`).toBe(200);
      current = res.json<MaintenanceOrderResponse>();
      expect(current.state).toBe(body.to);
    }
    return current;
  }

  const issued = async (res: LightMyRequestResponse) => {
    expect(res.statusCode, res.body).toBe(201);
    return res.json<MaintenanceOrderResponse>();
  };

  const messagesFor = (orderId: string, topic: string) =>
    t.db.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.topic, topic)))
      .then((rows) => rows.filter((r) => r.payload.maintenanceOrderId === orderId));

  it('takes a mail-in repair from issue to return, telling the customer at each step that matters', async () => {
    const claimId = await claimOn(t.app, t.db.db, wangFang, 'mail_in_repair');
    const order = await issued(
      await issue('support', claimId, { mode: 'mail_in', location: { cityId: 'shenzhen' } }),
    );
    expect(order).toMatchObject({
      mode: 'mail_in',
      state: 'issued',
      version: 1,
      serviceCenter: { name: { en: DEMO_SERVICE_CENTERS[0].nameEn } },
      customer: { name: WANG_FANG.name },
      commitment: { status: 'not_started', dueOn: null },
      allowedMoves: ['awaitingParts', 'received', 'cancelled'],
    });
    expect(order.maintenanceNumber).toMatch(NUMBER_SHAPE);

    // The customer's message: the number, where to send the parts, the center's phone, a tracking link.
    const [message] = await messagesFor(order.id, 'maintenance_order.issued');
    expect(message?.recipient).toBe(WANG_FANG.email);
    expect(message?.body).toContain(order.maintenanceNumber);
    expect(message?.body).toContain('send the bad parts');
    expect(message?.body).toContain('请将故障部件寄至');
    expect(message?.body).toContain(DEMO_SERVICE_CENTERS[0].address);
    expect(message?.body).toContain(DEMO_SERVICE_CENTERS[0].phone);
    const link = /http:\/\/localhost:3000\/track\?token=[\w-]+/.exec(sentText(message))?.[0];
    expect(link).toBeDefined();
    const token = new URL(link ?? 'http://x').searchParams.get('token');
    const tracked = await t.app.inject({ method: 'POST', url: '/api/v1/tracking/link', payload: { token } });
    expect(tracked.json()).toMatchObject({
      maintenanceOrder: {
        maintenanceNumber: order.maintenanceNumber,
        state: 'issued',
        timeline: [{ state: 'issued', on: '2026-11-25', note: null }],
      },
    });
    const [audit] = await t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, order.id), eq(auditEvents.action, 'maintenance_order.issued')));
    expect(audit?.data).toMatchObject({ maintenanceNumber: order.maintenanceNumber, mode: 'mail_in' });

    // A second order for the same claim is refused with the number already given.
    const again = await issue('support', claimId, { mode: 'walk_in', location: { cityId: 'shenzhen' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      error: { code: 'MAINTENANCE_ORDER_EXISTS', details: { maintenanceNumber: order.maintenanceNumber } },
    });

    const received = await walk('technician', order, [
      'awaitingParts',
      { to: 'received', note: 'Parts arrived in good order' },
    ]);
    // Wednesday 25 November + 5 business days of a Monday–Saturday center.
    expect(received).toMatchObject({
      receivedOn: '2026-11-25',
      dueOn: '2026-12-01',
      commitment: { status: 'on_track', dueOn: '2026-12-01' },
    });
    const [receivedMessage] = await messagesFor(order.id, 'maintenance_order.received');
    expect(receivedMessage?.body).toContain('2026-12-01');

    const repaired = await walk('technician', received, [
      { to: 'diagnosing', diagnosis: 'Rectifier module R3 failed' },
      'repairing',
      'repaired',
    ]);
    expect(repaired.diagnosis).toBe('Rectifier module R3 failed');
    expect(await messagesFor(order.id, 'maintenance_order.repaired')).toHaveLength(1);

    const withoutTracking = await move('technician', order.id, {
      to: 'returned',
      expectedVersion: repaired.version,
    });
    expect(withoutTracking.statusCode).toBe(400);
    expect(withoutTracking.json()).toMatchObject({ error: { code: 'RETURN_TRACKING_REQUIRED' } });

    const closed = await walk('technician', repaired, [
      { to: 'returned', returnTracking: 'SF1234567890' },
      'closed',
    ]);
    expect(closed).toMatchObject({
      returnedOn: '2026-11-25',
      returnTracking: 'SF1234567890',
      commitment: { status: 'met' },
      allowedMoves: [],
    });
    const [returnedMessage] = await messagesFor(order.id, 'maintenance_order.returned');
    expect(returnedMessage?.body).toContain('SF1234567890');

    const detail = await get('technician', `/api/v1/maintenance-orders/${order.id}`);
    expect(detail.statusCode).toBe(200);
    const timeline = detail.json<MaintenanceOrderDetailResponse>().timeline;
    expect(timeline.map((e) => e.state)).toEqual([
      'issued',
      'awaitingParts',
      'received',
      'diagnosing',
      'repairing',
      'repaired',
      'returned',
      'closed',
    ]);
    expect(timeline[2]).toMatchObject({ fromState: 'awaitingParts', note: 'Parts arrived in good order' });
    const moves = await t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, order.id), eq(auditEvents.action, 'maintenance_order.moved')));
    expect(moves).toHaveLength(7);
  });

  it('walks a walk-in order at the nearest center by coordinates, counting days in that center’s zone', async () => {
    const claimId = await claimOn(t.app, t.db.db, wangFang, 'maintenance_order');
    const order = await issued(
      await issue('support', claimId, { mode: 'walk_in', location: { latitude: 34.1, longitude: -118.3 } }),
    );
    expect(order.serviceCenter.id).toBe(laCenterId);
    const [message] = await messagesFor(order.id, 'maintenance_order.issued');
    expect(message?.body).toContain('bring the product');

    // 04:00 UTC on the 25th is Tuesday the 24th in Los Angeles; three weekdays later is Friday the 27th.
    const received = await walk('support', order, ['received']);
    expect(received).toMatchObject({ receivedOn: '2026-11-24', dueOn: '2026-11-27' });
    const done = await walk('support', received, [
      'diagnosing',
      'repairing',
      'repaired',
      'returned',
      'closed',
    ]);
    expect(done).toMatchObject({ state: 'closed', returnedOn: '2026-11-24', returnTracking: null });

    // The demo technician works in Shenzhen: this order does not exist for them.
    expect((await get('technician', `/api/v1/maintenance-orders/${order.id}`)).statusCode).toBe(404);
    const foreignMove = await move('technician', order.id, { to: 'closed', expectedVersion: done.version });
    expect(foreignMove.statusCode).toBe(404);
    expect(foreignMove.json()).toMatchObject({ error: { code: 'MAINTENANCE_ORDER_NOT_FOUND' } });
    const queue = await get('technician', '/api/v1/maintenance-orders');
    expect(queue.json<{ items: MaintenanceOrderResponse[] }>().items.map((o) => o.id)).not.toContain(
      order.id,
    );
  });

  it('counts the commitment in the center’s holidays and make-up working days, as the admin set them', async () => {
    const setCalendar = (calendar: { closedOn: string[]; openOn: string[] }) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/service-centers/${laCenterId}`,
        headers: as('admin'),
        payload: calendar,
      });
    // Thanksgiving and the day after closed; a Saturday worked to catch up.
    expect(
      (await setCalendar({ closedOn: ['2026-11-26', '2026-11-27'], openOn: ['2026-11-28'] })).statusCode,
    ).toBe(200);
    try {
      const claimId = await claimOn(t.app, t.db.db, wangFang, 'maintenance_order');
      const order = await issued(
        await issue('support', claimId, { mode: 'walk_in', location: { latitude: 34.1, longitude: -118.3 } }),
      );
      // Received Tuesday the 24th: Wednesday, then Saturday, then Monday are its three working days.
      const received = await walk('support', order, ['received']);
      expect(received).toMatchObject({ receivedOn: '2026-11-24', dueOn: '2026-11-30' });
    } finally {
      expect((await setCalendar({ closedOn: [], openOn: [] })).statusCode).toBe(200);
    }
  });

  it('sends each order to the nearest center of the right kind, by city', async () => {
    const centerFor = async (mode: 'walk_in' | 'mail_in', location: object) => {
      const claimId = await claimOn(t.app, t.db.db, wangFang, null);
      return (await issued(await issue('support', claimId, { mode, location }))).serviceCenter;
    };
    // Mailed-in parts may go to a maintenance office; a walk-in customer needs a service center.
    expect((await centerFor('mail_in', { cityId: 'beijing' })).name.en).toBe(DEMO_SERVICE_CENTERS[2].nameEn);
    expect((await centerFor('walk_in', { cityId: 'beijing' })).id).toBe(shanghaiCenterId);
    expect((await centerFor('mail_in', { latitude: 30.66, longitude: 104.06 })).name.en).toBe(
      DEMO_SERVICE_CENTERS[3].nameEn,
    );

    const claimId = await claimOn(t.app, t.db.db, wangFang, null);
    const unknown = await issue('support', claimId, { mode: 'mail_in', location: { cityId: 'atlantis' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_CITY' } });
    const offMap = await issue('support', claimId, {
      mode: 'mail_in',
      location: { latitude: 91, longitude: 0 },
    });
    expect(offMap.statusCode).toBe(400);
  });

  it('records the remedy on a claim that had none chosen, and refuses one that chose otherwise', async () => {
    const open = await claimOn(t.app, t.db.db, wangFang, null);
    await issued(await issue('support', open, { mode: 'walk_in', location: { cityId: 'shenzhen' } }));
    const [claim] = await t.db.db.select().from(claims).where(eq(claims.id, open));
    expect(claim).toMatchObject({ chosenRemedy: 'maintenance_order', status: 'remedy_chosen', version: 2 });

    const paid = await claimOn(t.app, t.db.db, wangFang, 'paid_service');
    const refused = await issue('support', paid, { mode: 'walk_in', location: { cityId: 'shenzhen' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'REMEDY_ALREADY_CHOSEN' } });
  });

  it('lets a customer issue an order for their own claim in the one-year window only', async () => {
    const mine = await claimOn(t.app, t.db.db, await purchaseFor(t.db.db, DEMO_END_USERS[0].name), null);
    const order = await issued(
      await issue('customer', mine, { mode: 'mail_in', location: { cityId: 'shanghai' } }),
    );
    expect(order.serviceCenter.id).toBe(shanghaiCenterId);
    expect((await get('customer', `/api/v1/maintenance-orders/${order.id}`)).statusCode).toBe(200);
    const list = await get('customer', '/api/v1/maintenance-orders');
    expect(list.json<{ items: MaintenanceOrderResponse[] }>().items.map((o) => o.id)).toEqual([order.id]);
    // Customers follow their repair; they do not move it.
    expect((await move('customer', order.id, { to: 'cancelled', expectedVersion: 1 })).statusCode).toBe(403);

    // Li Wei's headset is three days old: the policy offers a refund or replacement, not a repair order.
    const fresh = await claimOn(t.app, t.db.db, await purchaseFor(t.db.db, DEMO_END_USERS[0].name, 3), null);
    const early = await issue('customer', fresh, { mode: 'walk_in', location: { cityId: 'shanghai' } });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: { code: 'REMEDY_NOT_OFFERED' } });

    const someoneElses = await claimOn(t.app, t.db.db, wangFang, null);
    const hidden = await issue('customer', someoneElses, {
      mode: 'walk_in',
      location: { cityId: 'shanghai' },
    });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ error: { code: 'CLAIM_NOT_FOUND' } });
  });

  it('offers each reader only the moves the access table lets them make: support all, the customer and QA none', async () => {
    // Li Wei's own order, at the Shanghai center: he and QA may read it, neither may move it; support
    // may (the desk's order page offers what `allowedMoves` says); Shenzhen's technician may not see it.
    const claimId = await claimOn(t.app, t.db.db, await purchaseFor(t.db.db, DEMO_END_USERS[0].name), null);
    const order = await issued(
      await issue('customer', claimId, { mode: 'mail_in', location: { cityId: 'shanghai' } }),
    );
    expect(order).toMatchObject({ state: 'issued', allowedMoves: [] });
    const read = async (role: Role) => {
      const res = await get(role, `/api/v1/maintenance-orders/${order.id}`);
      expect(res.statusCode, `${role}: ${res.body}`).toBe(200);
      return res.json<MaintenanceOrderDetailResponse>().allowedMoves;
    };
    expect(await read('customer')).toEqual([]);
    expect(await read('qa')).toEqual([]);
    expect(await read('support')).toEqual(['awaitingParts', 'received', 'cancelled']);
    expect(await read('admin')).toEqual(['awaitingParts', 'received', 'cancelled']);
    expect((await get('technician', `/api/v1/maintenance-orders/${order.id}`)).statusCode).toBe(404);
    const listed = (role: Role) =>
      get(role, '/api/v1/maintenance-orders?limit=200').then(
        (res) =>
          res.json<{ items: MaintenanceOrderResponse[] }>().items.find((o) => o.id === order.id)
            ?.allowedMoves,
      );
    expect(await listed('customer')).toEqual([]);
    expect(await listed('support')).toEqual(['awaitingParts', 'received', 'cancelled']);

    // What the screens hide, the server refuses: QA's and the customer's moves are 403 whatever they send.
    for (const role of ['qa', 'customer'] as const) {
      expect((await move(role, order.id, { to: 'awaitingParts', expectedVersion: 1 })).statusCode).toBe(403);
    }
    // Support works it from its queue; the answer carries the next moves it may make.
    const moved = await walk('support', order, ['awaitingParts']);
    expect(moved.allowedMoves).toEqual(['received', 'cancelled']);
    expect(await read('customer')).toEqual([]);
  });

  it('refuses an illegal move with the allowed ones, and a stale version with the current one', async () => {
    const claimId = await claimOn(t.app, t.db.db, wangFang);
    const order = await issued(
      await issue('support', claimId, { mode: 'mail_in', location: { cityId: 'shenzhen' } }),
    );
    const illegal = await move('technician', order.id, { to: 'repaired', expectedVersion: 1 });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json()).toMatchObject({
      error: {
        code: 'ILLEGAL_TRANSITION',
        details: { from: 'issued', to: 'repaired', allowed: ['awaitingParts', 'received', 'cancelled'] },
      },
    });
    await walk('technician', order, ['awaitingParts']);
    const stale = await move('technician', order.id, { to: 'received', expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      error: { code: 'VERSION_CONFLICT', details: { currentVersion: 2 } },
    });
    const rows = await t.db.db
      .select()
      .from(maintenanceOrderEvents)
      .where(eq(maintenanceOrderEvents.orderId, order.id));
    expect(rows).toHaveLength(2);
  });

  it('lets one of two simultaneous moves win and answers the other 409', async () => {
    const claimId = await claimOn(t.app, t.db.db, wangFang);
    const order = await issued(
      await issue('support', claimId, { mode: 'mail_in', location: { cityId: 'shenzhen' } }),
    );
    const [a, b] = await Promise.all([
      move('technician', order.id, { to: 'awaitingParts', expectedVersion: 1 }),
      move('support', order.id, { to: 'received', expectedVersion: 1 }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json()).toMatchObject({ error: { code: 'VERSION_CONFLICT' } });
    const [row] = await t.db.db.select().from(maintenanceOrders).where(eq(maintenanceOrders.id, order.id));
    expect(row?.version).toBe(2);
    const events = await t.db.db
      .select()
      .from(maintenanceOrderEvents)
      .where(eq(maintenanceOrderEvents.orderId, order.id));
    expect(events).toHaveLength(2);
  });

  it('turns a misuse finding into paid service, and repairs only after the quote is accepted', async () => {
    const claimId = await claimOn(t.app, t.db.db, wangFang);
    const order = await issued(
      await issue('support', claimId, { mode: 'mail_in', location: { cityId: 'shenzhen' } }),
    );
    const diagnosing = await walk('technician', order, ['received', 'diagnosing']);
    const noFinding = await move('technician', order.id, {
      to: 'paidService',
      expectedVersion: diagnosing.version,
    });
    expect(noFinding.statusCode).toBe(400);
    expect(noFinding.json()).toMatchObject({ error: { code: 'HUMAN_DAMAGE_NOT_FOUND' } });

    const paid = await walk('technician', diagnosing, [
      { to: 'paidService', humanDamage: true, diagnosis: 'Water ingress', note: 'Water damage found' },
    ]);
    expect(paid.humanDamageFound).toBe(true);
    const [message] = await messagesFor(order.id, 'maintenance_order.paidService');
    expect(message?.body).toContain('quote');
    expect(message?.body).toContain('Water damage found');

    const early = await move('technician', order.id, { to: 'repairing', expectedVersion: paid.version });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: { code: 'PAID_SERVICE_OFFER_PENDING' } });

    await t.db.db.insert(quotes).values({
      claimId,
      maintenanceOrderId: order.id,
      state: 'accepted',
      lines: [
        {
          kind: 'labour',
          description: 'Drying and cleaning',
          quantityTenths: 10,
          unitPrice: { amountMinor: 30000, currency: 'CNY' },
        },
      ],
      totalMinor: 30000,
      currency: 'CNY',
      quotedBy: 'test',
    });
    await walk('technician', paid, ['repairing', 'repaired']);
  });

  it('records the customer contact once the product is in, with the version check', async () => {
    const claimId = await claimOn(t.app, t.db.db, wangFang);
    const order = await issued(
      await issue('support', claimId, { mode: 'mail_in', location: { cityId: 'shenzhen' } }),
    );
    const contact = (expectedVersion: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/maintenance-orders/${order.id}/contact`,
        headers: as('technician'),
        payload: { expectedVersion, note: 'Called about the rectifier' },
      });
    const tooEarly = await contact(1);
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json()).toMatchObject({ error: { code: 'CONTACT_NOT_EXPECTED' } });
    const received = await walk('technician', order, ['received']);
    const res = await contact(received.version);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ contactedOn: '2026-11-25', version: received.version + 1 });
    expect((await contact(received.version)).statusCode).toBe(409);
  });

  it('gives a center’s queue nearest deadline first, filtered by state', async () => {
    const queue = await get('technician', '/api/v1/maintenance-orders');
    expect(queue.statusCode).toBe(200);
    const orders = queue.json<{ items: MaintenanceOrderResponse[] }>().items;
    expect(orders.length).toBeGreaterThan(0);
    expect(new Set(orders.map((o) => o.serviceCenter.name.en))).toEqual(
      new Set([DEMO_SERVICE_CENTERS[0].nameEn]),
    );
    const dues = orders.map((o) => o.dueOn);
    const firstWithout = dues.indexOf(null);
    expect(dues.slice(firstWithout === -1 ? dues.length : firstWithout).every((d) => d === null)).toBe(true);
    const withDue = dues.filter((d): d is string => d !== null);
    expect(withDue).toEqual([...withDue].sort());

    const closed = await get('technician', '/api/v1/maintenance-orders?state=closed');
    expect(
      closed.json<{ items: MaintenanceOrderResponse[] }>().items.every((o) => o.state === 'closed'),
    ).toBe(true);
    const la = await get('support', `/api/v1/maintenance-orders?serviceCenterId=${laCenterId}`);
    // The two walk-in orders issued in Los Angeles by the tests above, and nothing of other centers.
    expect(la.json<{ items: MaintenanceOrderResponse[] }>().items.map((o) => o.serviceCenter.id)).toEqual([
      laCenterId,
      laCenterId,
    ]);
    expect((await get('dealer', '/api/v1/maintenance-orders')).statusCode).toBe(403);
  });

  it('numbers orders issued at the same moment uniquely, and gives one claim one order', async () => {
    const claimIds = await Promise.all(Array.from({ length: 8 }, () => claimOn(t.app, t.db.db, wangFang)));
    const answers = await Promise.all(
      claimIds.map((id) => issue('support', id, { mode: 'mail_in', location: { cityId: 'shenzhen' } })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(201));
    const numbers = answers.map((a) => a.json<MaintenanceOrderResponse>().maintenanceNumber);
    expect(new Set(numbers).size).toBe(8);

    const one = await claimOn(t.app, t.db.db, wangFang);
    const racing = await Promise.all(
      Array.from({ length: 4 }, () =>
        issue('support', one, { mode: 'mail_in', location: { cityId: 'shenzhen' } }),
      ),
    );
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    const orders = await t.db.db
      .select()
      .from(maintenanceOrders)
      .where(eq(maintenanceOrders.claimId, one))
      .orderBy(asc(maintenanceOrders.createdAt));
    expect(orders).toHaveLength(1);
  });
});
