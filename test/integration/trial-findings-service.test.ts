import { and, asc, desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, maintenanceOrderEvents, outbox, quotes, serviceCenters } from '../../src/db/schema.js';
import {
  DEMO_ACCOUNTS,
  DEMO_END_USERS,
  DEMO_FLAGGED_OEM_ORDER,
  DEMO_LOTS,
  seedDemoData,
} from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { serviceCommitmentDueOn } from '../../src/domain/maintenance/service-commitment.js';
import type {
  MaintenanceOrderDetailResponse,
  MaintenanceOrderResponse,
} from '../../src/http/maintenance/schemas.js';
import type { Quote } from '../../src/http/paid-service/schemas.js';
import { sentText, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { claimOn, TEST_TODAY, wangFangPurchase } from '../support/maintenance.js';
import {
  claimOn as paidClaimOn,
  type DemoParties,
  demoParties,
  insertPurchase,
  lenientRiskSettings,
} from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * What the trial of issue 15 found on the service side, each shown by the attack or the slip that
 * exposed it: the contact note that vanished, a parcel that arrived yesterday, a customer who answered
 * a quote on the phone, and 1.5 hours of labour.
 */

const WANG_FANG = DEMO_END_USERS[2];
const SALES = DEMO_ACCOUNTS.find((a) => a.role === 'sales');
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });

describe.each(testDatabases())('trial findings, service side, on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let p: DemoParties;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TEST_TODAY });
    await lenientRiskSettings(t.db.db);
    for (const role of ['admin', 'support', 'technician', 'customer', 'sales', 'qa', 'dealer'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    p = await demoParties(t.db.db);
  });

  const as = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const post = (role: Role | 'guest', url: string, payload: object) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: role === 'guest' ? { origin: ORIGIN } : as(role),
      payload,
    });
  const get = (role: Role, url: string) => t.app.inject({ method: 'GET', url, headers: as(role) });

  /** A mail-in order of Wang Fang at the Shenzhen center, issued `issuedDaysAgo` days before today. */
  async function orderIssued(issuedDaysAgo = 0): Promise<MaintenanceOrderResponse> {
    const claimId = await claimOn(t.app, t.db.db, await wangFangPurchase(t.db.db), 'mail_in_repair');
    const res = await post('support', `/api/v1/claims/${claimId}/maintenance-order`, {
      mode: 'mail_in',
      location: { cityId: 'shenzhen' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json<MaintenanceOrderResponse>();
    if (issuedDaysAgo > 0) {
      // The order was issued days ago: its first timeline entry is the day of issue.
      await t.db.db
        .update(maintenanceOrderEvents)
        .set({ on: TEST_TODAY.subtract({ days: issuedDaysAgo }).toString() })
        .where(eq(maintenanceOrderEvents.orderId, order.id));
    }
    return order;
  }
  const move = (role: Role, order: { id: string; version: number }, body: object) =>
    post(role, `/api/v1/maintenance-orders/${order.id}/transitions`, {
      ...body,
      expectedVersion: order.version,
    });

  describe('a. the technician’s “customer contacted” note', () => {
    it('is stored, returned on the order’s timeline to staff and the customer, and on the tracking page', async () => {
      const order = await orderIssued();
      const received = await move('technician', order, { to: 'received' });
      expect(received.statusCode, received.body).toBe(200);
      const version = received.json<MaintenanceOrderResponse>().version;

      const note = 'Called Wang Fang: the rectifier is on order, two days.';
      const contacted = await post('technician', `/api/v1/maintenance-orders/${order.id}/contact`, {
        expectedVersion: version,
        note,
      });
      expect(contacted.statusCode, contacted.body).toBe(200);
      const answer = contacted.json<MaintenanceOrderDetailResponse>();
      expect(answer.contactedOn).toBe(TEST_TODAY.toString());
      expect(answer.timeline.at(-1)).toMatchObject({
        kind: 'contact',
        state: 'received',
        on: TEST_TODAY.toString(),
        note,
      });
      // A contact without a note is on the timeline too; the first contact day stays.
      const second = await post('technician', `/api/v1/maintenance-orders/${order.id}/contact`, {
        expectedVersion: answer.version,
      });
      expect(second.statusCode, second.body).toBe(200);

      for (const role of ['technician', 'support', 'customer'] as const) {
        const read = await get(role, `/api/v1/maintenance-orders/${order.id}`);
        if (role === 'customer') {
          // The demo customer is not Wang Fang: her order is not theirs to read.
          expect(read.statusCode).toBe(404);
          continue;
        }
        expect(read.statusCode, read.body).toBe(200);
        const timeline = read.json<MaintenanceOrderDetailResponse>().timeline;
        expect(timeline.map((e) => [e.kind, e.state, e.note])).toEqual([
          ['move', 'issued', null],
          ['move', 'received', null],
          ['contact', 'received', note],
          ['contact', 'received', null],
        ]);
      }
      const [audit] = await t.db.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.entityId, order.id),
            eq(auditEvents.action, 'maintenance_order.customer_contacted'),
          ),
        )
        .orderBy(asc(auditEvents.id))
        .limit(1);
      expect(audit?.data).toMatchObject({ note, first: true });

      // The customer follows the same timeline without an account: they were on the call.
      const tracked = await post('guest', '/api/v1/tracking/lookup', {
        maintenanceNumber: order.maintenanceNumber,
        contact: WANG_FANG.email,
      });
      expect(tracked.statusCode, tracked.body).toBe(200);
      const tracking = tracked.json<{
        maintenanceOrder: { timeline: { kind: string; note: string | null }[] };
      }>();
      expect(tracking.maintenanceOrder.timeline).toContainEqual(
        expect.objectContaining({ kind: 'contact', note }),
      );
    });

    it('refuses a contact note from a role that may not move the order', async () => {
      const order = await orderIssued();
      const received = (await move('technician', order, { to: 'received' })).json<MaintenanceOrderResponse>();
      for (const role of ['sales', 'customer', 'dealer', 'qa'] as const) {
        const res = await post(role, `/api/v1/maintenance-orders/${order.id}/contact`, {
          expectedVersion: received.version,
          note: 'I say I called',
        });
        expect(res.statusCode, `${role}: ${res.body}`).toBe(403);
      }
      const events = await t.db.db
        .select()
        .from(maintenanceOrderEvents)
        .where(and(eq(maintenanceOrderEvents.orderId, order.id), eq(maintenanceOrderEvents.kind, 'contact')));
      expect(events).toEqual([]);
    });
  });

  describe('b. a parcel received on an earlier day', () => {
    it('starts the service clock on the day it arrived, in the timeline and the audit', async () => {
      const order = await orderIssued(3);
      const yesterday = TEST_TODAY.subtract({ days: 1 });
      const res = await move('technician', order, { to: 'received', receivedOn: yesterday.toString() });
      expect(res.statusCode, res.body).toBe(200);
      const received = res.json<MaintenanceOrderDetailResponse>();
      const [center] = await t.db.db
        .select()
        .from(serviceCenters)
        .where(eq(serviceCenters.id, received.serviceCenter.id));
      if (!center) throw new Error('no center');
      const due = serviceCommitmentDueOn(yesterday, center.committedServiceDays, center);
      if ('code' in due) throw new Error(due.message);
      expect(received).toMatchObject({ receivedOn: yesterday.toString(), dueOn: due.toString() });
      expect(received.commitment.dueOn).toBe(due.toString());

      const detail = (
        await get('technician', `/api/v1/maintenance-orders/${order.id}`)
      ).json<MaintenanceOrderDetailResponse>();
      expect(detail.timeline.at(-1)).toMatchObject({
        kind: 'move',
        state: 'received',
        on: yesterday.toString(),
      });
      const [audit] = await t.db.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.entityId, order.id), eq(auditEvents.action, 'maintenance_order.moved')))
        .orderBy(desc(auditEvents.id))
        .limit(1);
      expect(audit?.data).toMatchObject({
        to: 'received',
        receivedOn: yesterday.toString(),
        recordedOn: TEST_TODAY.toString(),
        dueOn: due.toString(),
      });
      // The customer is told the due day counted from the day of receipt.
      const [message] = (
        await t.db.db.select().from(outbox).where(eq(outbox.topic, 'maintenance_order.received'))
      ).filter((m) => m.payload.maintenanceOrderId === order.id);
      expect(sentText(message)).toContain(due.toString());
    });

    it('refuses tomorrow, a day before the order was issued, a non-date, and a day on another move', async () => {
      const order = await orderIssued(3);
      const refusals: [object, string][] = [
        [{ to: 'received', receivedOn: TEST_TODAY.add({ days: 1 }).toString() }, 'RECEIVED_ON_IN_FUTURE'],
        [
          { to: 'received', receivedOn: TEST_TODAY.subtract({ days: 4 }).toString() },
          'RECEIVED_BEFORE_ISSUED',
        ],
        [{ to: 'received', receivedOn: '2026-02-30' }, 'VALIDATION_FAILED'],
        [{ to: 'cancelled', receivedOn: TEST_TODAY.toString() }, 'RECEIVED_ON_ONLY_WHEN_RECEIVING'],
      ];
      for (const [body, code] of refusals) {
        const res = await move('technician', order, body);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json()).toMatchObject({ error: { code } });
      }
      // Nothing moved: the order is as it was, and the earliest day is accepted.
      const ok = await move('technician', order, {
        to: 'received',
        receivedOn: TEST_TODAY.subtract({ days: 3 }).toString(),
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({
        version: 2,
        receivedOn: TEST_TODAY.subtract({ days: 3 }).toString(),
      });
    });
  });

  /** A claim beyond the warranty of Chen Jie (end user 3), with a sent quote of `lines`. */
  async function sentQuote(lines: object[]): Promise<{ quote: Quote; token: string }> {
    const purchase = await insertPurchase(t.db.db, {
      productId: p.productId,
      dealerId: p.dealer(0),
      endUserId: p.endUser(3),
      daysAgo: 400,
    });
    const claimId = await paidClaimOn(t.app, t.db.db, purchase, p.endUser(3), 'quality');
    const created = await post('sales', `/api/v1/claims/${claimId}/quotes`, { lines });
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json<Quote>();
    const sent = await post('sales', `/api/v1/quotes/${draft.id}/send`, { expectedVersion: draft.version });
    expect(sent.statusCode, sent.body).toBe(200);
    const [message] = (await t.db.db.select().from(outbox).where(eq(outbox.topic, 'quote.sent'))).filter(
      (m) => m.payload.quoteId === draft.id,
    );
    const token = /quote\?token=([\w-]+)/.exec(sentText(message))?.[1];
    if (!token) throw new Error('no link');
    return { quote: sent.json<Quote>(), token };
  }
  const part = { kind: 'part', description: 'Rectifier module', quantity: 1, unitPrice: cny(15_000) };

  describe('d. a customer’s answer by phone', () => {
    it('sales record it with who took the call and a note, audited; the link then refuses a second answer', async () => {
      const { quote, token } = await sentQuote([part]);
      // The queue shows whom to call.
      const queue = await get('sales', '/api/v1/quotes?toCall=true&sort=sentAt&order=asc');
      expect(queue.statusCode).toBe(200);
      const listed = queue.json<{ items: Quote[] }>().items.find((q) => q.id === quote.id);
      expect(listed?.customer).toEqual({
        name: DEMO_END_USERS[3].name,
        phone: DEMO_END_USERS[3].phone,
        email: DEMO_END_USERS[3].email,
      });

      const note = 'Chen Jie called back: go ahead with the repair.';
      const res = await post('sales', `/api/v1/quotes/${quote.id}/phone-response`, {
        response: 'accept',
        expectedVersion: quote.version,
        note,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        state: 'accepted',
        response: { channel: 'phone', takenBy: SALES?.name, note },
      });
      const [audit] = await t.db.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.entityId, quote.id), eq(auditEvents.action, 'quote.accepted')));
      expect(audit?.data).toMatchObject({ via: 'phone', takenBy: SALES?.name, note });
      expect(audit?.actor).toMatch(/^user:/);

      // The same rules as the customer's own answer: answered once, by whichever way came first.
      const byLink = await post('guest', '/api/v1/quotes/respond', { token, response: 'decline' });
      expect(byLink.statusCode).toBe(409);
      expect(byLink.json()).toMatchObject({ error: { code: 'QUOTE_NOT_AWAITING_RESPONSE' } });
      const again = await post('sales', `/api/v1/quotes/${quote.id}/phone-response`, {
        response: 'decline',
        expectedVersion: quote.version + 1,
        note: 'changed their mind',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: { code: 'ILLEGAL_TRANSITION' } });
    });

    it('refuses a role that may not, a stale version, an answer without a note, and the second of two at once', async () => {
      const { quote } = await sentQuote([part]);
      const body = { response: 'decline', expectedVersion: quote.version, note: 'I say they declined' };
      for (const role of ['technician', 'customer', 'support', 'dealer', 'qa'] as const) {
        const res = await post(role, `/api/v1/quotes/${quote.id}/phone-response`, body);
        expect(res.statusCode, `${role}: ${res.body}`).toBe(403);
      }
      const stale = await post('sales', `/api/v1/quotes/${quote.id}/phone-response`, {
        ...body,
        expectedVersion: quote.version - 1,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ error: { code: 'VERSION_CONFLICT' } });
      const blank = await post('sales', `/api/v1/quotes/${quote.id}/phone-response`, { ...body, note: '  ' });
      expect(blank.statusCode).toBe(400);
      const [row] = await t.db.db.select().from(quotes).where(eq(quotes.id, quote.id));
      expect(row).toMatchObject({ state: 'sent', responseChannel: null, responseTakenBy: null });

      // Two answers at once: one wins, the other is told someone answered first.
      const [a, b] = await Promise.all([
        post('sales', `/api/v1/quotes/${quote.id}/phone-response`, { ...body, response: 'accept' }),
        post('admin', `/api/v1/quotes/${quote.id}/phone-response`, body),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    });
  });

  describe('e. quantities in tenths', () => {
    it('quotes 1.5 hours of labour, each line rounded half up to the fen, the total their sum', async () => {
      const labour = { kind: 'labour', description: 'Bench repair', quantity: 1.5, unitPrice: cny(3_333) };
      const { quote, token } = await sentQuote([part, labour]);
      // 1.5 × ¥33.33 = 4999.5 fen → 5000; the total is ¥150.00 + ¥50.00.
      expect(quote.lines[1]).toMatchObject({ quantity: 1.5, quantityTenths: 15, lineTotal: cny(5_000) });
      expect(quote.total).toEqual(cny(20_000));
      const [row] = await t.db.db.select().from(quotes).where(eq(quotes.id, quote.id));
      expect(row?.lines[1]).toMatchObject({ quantityTenths: 15 });
      expect(row?.lines[1]).not.toHaveProperty('quantity');
      const shown = await post('guest', '/api/v1/quotes/link', { token });
      expect(shown.json()).toMatchObject({
        lines: [{ quantity: 1 }, { quantity: 1.5, lineTotal: cny(5_000) }],
      });
      const [message] = (await t.db.db.select().from(outbox).where(eq(outbox.topic, 'quote.sent'))).filter(
        (m) => m.payload.quoteId === quote.id,
      );
      expect(sentText(message)).toContain('× 1.5 @ CNY 33.33 = CNY 50.00');
    });

    it('refuses 1.55, 0, a negative and too many, with the field named', async () => {
      const purchase = await insertPurchase(t.db.db, {
        productId: p.productId,
        dealerId: p.dealer(0),
        endUserId: p.endUser(3),
        daysAgo: 400,
      });
      const claimId = await paidClaimOn(t.app, t.db.db, purchase, p.endUser(3), 'quality');
      for (const quantity of [1.55, 0, -1, 100_000.1, 0.05]) {
        const res = await post('sales', `/api/v1/claims/${claimId}/quotes`, {
          lines: [{ ...part, quantity }],
        });
        expect(res.statusCode, `${quantity}: ${res.body}`).toBe(400);
        expect(res.json<{ error: { code: string; message: string } }>().error.message).toMatch(/quantity/);
      }
      const none = await t.db.db.select().from(quotes).where(eq(quotes.claimId, claimId));
      expect(none).toEqual([]);
    });
  });

  describe('g. the demo seed', () => {
    it('sends QA the early warning of its flagged lot, and of no other', async () => {
      const flags = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'oem_lot.flagged'));
      const seeded = flags.filter((f) => DEMO_LOTS.some((l) => l.code === f.payload.lot));
      expect(seeded.map((f) => [f.recipient, f.payload.lot])).toEqual([
        ['role:qa', DEMO_FLAGGED_OEM_ORDER.lots[0]],
      ]);
      expect(seeded[0]?.body).toContain('14 of 1000 units defective');
      // QA reads it in its inbox.
      const inbox = await get('qa', '/api/v1/messages');
      expect(inbox.statusCode, inbox.body).toBe(200);
      expect(inbox.body).toContain(DEMO_FLAGGED_OEM_ORDER.lots[0]);
    });
  });
});
