import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, events, guestAccessTokens, outbox, quotes } from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import { sentText, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import {
  claimOn,
  type DemoParties,
  demoParties,
  insertMaintenanceOrder,
  insertPurchase,
  TODAY,
} from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

type Quote = {
  id: string;
  state: string;
  version: number;
  total: { amountMinor: number; currency: string };
  maintenanceNumber: string | null;
  invoiceNumber: string | null;
  allowedMoves: string[];
};
type Role = 'sales' | 'technician' | 'customer' | 'support';

const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const lines = [
  { kind: 'part', description: 'Rectifier module', quantity: 1, unitPrice: cny(15_000) },
  { kind: 'labour', description: 'Bench repair, per hour', quantity: 2, unitPrice: cny(8_000) },
];

describe.each(testDatabases())('paid service on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let p: DemoParties;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    for (const role of ['sales', 'technician', 'customer', 'support'] as const) {
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

  /** A claim today of Chen Jie (end user 3) or another customer, `daysAgo` after the purchase. */
  const claim = async (
    daysAgo: number,
    endUser: 0 | 1 | 2 | 3,
    cause: 'quality' | 'human_damage' = 'quality',
  ) => {
    const purchase = await insertPurchase(t.db.db, {
      productId: p.productId,
      dealerId: p.dealer(0),
      endUserId: p.endUser(endUser),
      daysAgo,
    });
    return claimOn(t.app, t.db.db, purchase, p.endUser(endUser), cause);
  };
  const create = async (role: Role, claimId: string, body: object = { lines }) => {
    const res = await post(role, `/api/v1/claims/${claimId}/quotes`, body);
    return res;
  };
  /** Sends a quote and returns the token of the link in the message to the customer. */
  const send = async (quote: Quote, role: Role = 'sales'): Promise<string> => {
    const res = await post(role, `/api/v1/quotes/${quote.id}/send`, { expectedVersion: quote.version });
    expect(res.statusCode, res.body).toBe(200);
    const [message] = (await t.db.db.select().from(outbox).where(eq(outbox.topic, 'quote.sent'))).filter(
      (m) => m.payload.quoteId === quote.id,
    );
    const link = /http:\/\/localhost:3000\/quote\?token=([\w-]+)/.exec(sentText(message));
    if (!link?.[1]) throw new Error(`no link in ${message?.body}`);
    return link[1];
  };
  const respond = (token: string, response: 'accept' | 'decline') =>
    post('guest', '/api/v1/quotes/respond', { token, response });

  it('quotes an expired claim, the guest accepts by link, then repaired and invoiced', async () => {
    const claimId = await claim(400, 3);
    const created = await create('sales', claimId);
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json<Quote>();
    expect(draft).toMatchObject({
      state: 'draft',
      version: 1,
      total: cny(31_000),
      maintenanceNumber: null,
      allowedMoves: ['sent', 'withdrawn'],
    });

    const token = await send(draft);
    const [message] = (await t.db.db.select().from(outbox).where(eq(outbox.topic, 'quote.sent'))).filter(
      (m) => m.payload.quoteId === draft.id,
    );
    expect(message?.recipient).toBe('chen.jie@example.com');
    expect(message?.body).toContain('Rectifier module');
    expect(message?.body).toContain('Total: CNY 310.00');
    expect(message?.body).toContain('合计：CNY 310.00');
    const [stored] = await t.db.db
      .select()
      .from(guestAccessTokens)
      .where(eq(guestAccessTokens.quoteId, draft.id));
    expect(stored).toMatchObject({ purpose: 'quote.accept', claimId, usedAt: null });
    expect(stored?.expiresAt.toISOString()).toBe('2026-12-09T04:00:00.000Z');

    const shown = await post('guest', '/api/v1/quotes/link', { token });
    expect(shown.json()).toMatchObject({ state: 'sent', total: cny(31_000), awaitingResponse: true });
    const accepted = await respond(token, 'accept');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ state: 'accepted', awaitingResponse: false });
    // The same link a second time: it did its work.
    const reused = await respond(token, 'decline');
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ error: { code: 'GUEST_LINK_USED' } });

    // Staff moves with the version they read: version 3 after sending and accepting.
    const stale = await post('sales', `/api/v1/quotes/${draft.id}/repaired`, { expectedVersion: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      error: { code: 'VERSION_CONFLICT', details: { currentVersion: 3 } },
    });
    const early = await post('sales', `/api/v1/quotes/${draft.id}/invoice`, { expectedVersion: 3 });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      error: { code: 'ILLEGAL_TRANSITION', details: { from: 'accepted', allowed: ['repaired'] } },
    });
    const repaired = await post('sales', `/api/v1/quotes/${draft.id}/repaired`, { expectedVersion: 3 });
    expect(repaired.json()).toMatchObject({ state: 'repaired', version: 4 });
    const invoiced = await post('sales', `/api/v1/quotes/${draft.id}/invoice`, { expectedVersion: 4 });
    expect(invoiced.statusCode, invoiced.body).toBe(200);
    const quote = invoiced.json<Quote>();
    expect(quote).toMatchObject({ state: 'invoiced', version: 5, allowedMoves: [] });
    expect(quote.invoiceNumber).toMatch(/^INV-2026-\d{6}$/);
    const twice = await post('sales', `/api/v1/quotes/${draft.id}/invoice`, { expectedVersion: 5 });
    expect(twice.statusCode).toBe(409);

    // Other systems hear of the quote sent, answered and invoiced: once each, in order (app/events).
    const told = await t.db.db
      .select()
      .from(events)
      .where(eq(events.subjectId, draft.id))
      .orderBy(asc(events.txId), asc(events.seq));
    expect(told.map((e) => [e.type, (e.data as Quote).state])).toEqual([
      ['quote.sent', 'sent'],
      ['quote.answered', 'accepted'],
      ['quote.invoiced', 'invoiced'],
    ]);

    const audit = await t.db.db.select().from(auditEvents).where(eq(auditEvents.entityId, draft.id));
    expect(audit.map((a) => [a.action, a.actor.split(':')[0]])).toEqual([
      ['quote.created', 'user'],
      ['quote.sent', 'user'],
      ['quote.accepted', 'guest'],
      ['quote.repaired', 'user'],
      ['quote.invoiced', 'user'],
    ]);
    const invoiceMessage = (
      await t.db.db.select().from(outbox).where(eq(outbox.topic, 'quote.invoiced'))
    ).find((m) => m.payload.quoteId === draft.id);
    expect(invoiceMessage?.body).toContain(quote.invoiceNumber ?? 'none');
  });

  it('gives every invoice its own number', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const draft = (await create('sales', await claim(500, 3))).json<Quote>();
      await respond(await send(draft), 'accept');
      await post('sales', `/api/v1/quotes/${draft.id}/repaired`, { expectedVersion: 3 });
      const invoiced = await post('sales', `/api/v1/quotes/${draft.id}/invoice`, { expectedVersion: 4 });
      numbers.push(invoiced.json<Quote>().invoiceNumber ?? '');
    }
    expect(new Set(numbers).size).toBe(2);
  });

  it('lets the center’s technician quote a human-damage order, and the guest decline it by link', async () => {
    const claimId = await claim(200, 2);
    const order = await insertMaintenanceOrder(t.db.db, {
      claimId,
      serviceCenterId: p.center(0),
      state: 'paidService',
    });
    const created = await create('technician', claimId);
    expect(created.statusCode, created.body).toBe(201);
    const quote = created.json<Quote>();
    expect(quote).toMatchObject({ maintenanceNumber: order.maintenanceNumber, state: 'draft' });
    const [row] = await t.db.db.select().from(quotes).where(eq(quotes.id, quote.id));
    expect(row?.maintenanceOrderId).toBe(order.id);

    const token = await send(quote, 'technician');
    const declined = await respond(token, 'decline');
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ state: 'declined' });
    const told = (await t.db.db.select().from(outbox).where(eq(outbox.topic, 'quote.declined'))).find(
      (m) => m.payload.quoteId === quote.id,
    );
    expect(told?.recipient).toBe('service.sz@halotek.example.com');

    const listed = await get('technician', '/api/v1/quotes');
    expect(listed.json<{ items: Quote[] }>().items.map((q) => q.id)).toContain(quote.id);
    const one = await get('technician', `/api/v1/quotes/${quote.id}`);
    expect(one.json()).toMatchObject({ state: 'declined', version: 3 });
  });

  it('keeps technicians to their center’s orders and quotes to paid claims', async () => {
    // Another center's order: as if it did not exist.
    const elsewhere = await claim(200, 2);
    await insertMaintenanceOrder(t.db.db, {
      claimId: elsewhere,
      serviceCenterId: p.center(1),
      state: 'paidService',
    });
    expect((await create('technician', elsewhere)).statusCode).toBe(404);
    // An expired claim without an order is sales' to quote.
    expect((await create('technician', await claim(400, 3))).statusCode).toBe(404);
    // Under warranty, and no misuse found: nothing to charge for.
    const covered = await claim(3, 0);
    const refused = await create('sales', covered);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'PAID_SERVICE_NOT_OFFERED' } });
    const diagnosing = await claim(200, 2);
    await insertMaintenanceOrder(t.db.db, {
      claimId: diagnosing,
      serviceCenterId: p.center(0),
      state: 'diagnosing',
    });
    expect((await create('technician', diagnosing)).statusCode).toBe(409);
  });

  it('refuses mixed currencies and bad lines with a 400', async () => {
    const claimId = await claim(400, 3);
    const mixed = await create('sales', claimId, {
      lines: [lines[0], { ...lines[1], unitPrice: { amountMinor: 100, currency: 'USD' } }],
    });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json()).toMatchObject({ error: { code: 'CURRENCY_MISMATCH' } });
    for (const body of [
      { lines: [] },
      { lines: [{ ...lines[0], quantity: 0 }] },
      { lines: [{ ...lines[0], unitPrice: { amountMinor: -1, currency: 'CNY' } }] },
      { lines: [{ ...lines[0], unitPrice: { amountMinor: 9.99, currency: 'CNY' } }] },
      { lines, maintenanceOrderId: 'not-a-uuid' },
    ]) {
      expect((await create('sales', claimId, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('answers an expired link with 410 and a withdrawn-or-answered quote with 409', async () => {
    const draft = (await create('sales', await claim(400, 3))).json<Quote>();
    const token = await send(draft);
    await t.db.db
      .update(guestAccessTokens)
      .set({ expiresAt: new Date('2026-11-25T03:59:59Z') })
      .where(eq(guestAccessTokens.quoteId, draft.id));
    const expired = await respond(token, 'accept');
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: { code: 'GUEST_LINK_EXPIRED' } });
    expect((await post('guest', '/api/v1/quotes/link', { token })).statusCode).toBe(410);
    const unknown = await respond('x'.repeat(43), 'accept');
    expect(unknown.statusCode).toBe(404);
    const [row] = await t.db.db.select().from(quotes).where(eq(quotes.id, draft.id));
    expect(row?.state).toBe('sent');
  });

  it('lets a signed-in customer answer their own quote, after which the link is spent', async () => {
    // Li Wei, the demo customer, dropped the headset: misuse is paid service even on day 3.
    const claimId = await claim(3, 0, 'human_damage');
    const draft = (await create('sales', claimId)).json<Quote>();
    const token = await send(draft);
    const mine = await get('customer', '/api/v1/quotes');
    expect(mine.json<{ items: Quote[] }>().items.map((q) => q.id)).toEqual([draft.id]);

    const stale = await post('customer', `/api/v1/quotes/${draft.id}/response`, {
      response: 'accept',
      expectedVersion: 1,
    });
    expect(stale.statusCode).toBe(409);
    const accepted = await post('customer', `/api/v1/quotes/${draft.id}/response`, {
      response: 'accept',
      expectedVersion: 2,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ state: 'accepted', version: 3 });
    const late = await respond(token, 'decline');
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: { code: 'QUOTE_NOT_AWAITING_RESPONSE' } });

    const someoneElses = (await create('sales', await claim(400, 3))).json<Quote>();
    expect((await get('customer', `/api/v1/quotes/${someoneElses.id}`)).statusCode).toBe(404);
    const answer = await post('customer', `/api/v1/quotes/${someoneElses.id}/response`, {
      response: 'accept',
      expectedVersion: 1,
    });
    expect(answer.statusCode).toBe(404);
    expect(
      (await post('support', `/api/v1/quotes/${draft.id}/repaired`, { expectedVersion: 3 })).statusCode,
    ).toBe(403);
  });
});
