import { randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import {
  accounts,
  auditEvents,
  claims,
  CREDENTIAL_PROVIDER,
  dealers,
  purchases,
  serviceCenters,
  users,
} from '../../src/db/schema.js';
import { DEMO_DEALERS, DEMO_PASSWORD, DEMO_SERVICE_CENTERS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { calendarDateIn, Temporal } from '../../src/domain/calendar.js';
import type { Claim } from '../../src/http/claims/schemas.js';
import type { MaintenanceOrderResponse } from '../../src/http/maintenance/schemas.js';
import type {
  AuditEventPageResponse,
  CustomerContextResponse,
  EligibleOwnersResponse,
  OwnershipResponse,
} from '../../src/http/ownership/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { claimOn, insertOrder, maintenanceOrderFixtures, TEST_TODAY } from '../support/maintenance.js';
import { colleagueSession, demoSession, ORIGIN, sessionCookie, signIn } from '../support/sessions.js';

/*
 * Issue 15: who works a claim or an order (take, assign, release), the customer behind it, and the audit
 * log. Each test is an attempt someone could make: take a colleague's claim quietly, give a claim to a
 * technician or an order to another center, win a race for a claim twice, read another dealer's or
 * another center's customer through a link, page the audit log with a forged cursor.
 */

/** A technician of another center, signed in with the demo password. */
async function technicianOf(db: Database, app: FastifyInstance, centerId: string, email: string) {
  const id = randomUUID();
  await db.insert(users).values({
    id,
    name: 'Other center technician',
    email,
    emailVerified: true,
    role: 'technician',
    serviceCenterId: centerId,
  });
  await db.insert(accounts).values({
    id: randomUUID(),
    accountId: id,
    providerId: CREDENTIAL_PROVIDER,
    userId: id,
    password: await hashPassword(DEMO_PASSWORD),
  });
  const res = await signIn(app, email);
  if (res.statusCode !== 200) throw new Error(res.body);
  return { id, cookie: sessionCookie(res.headers['set-cookie']) };
}

describe.each(testDatabases())('ownership and customer context on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  const ids = new Map<Role, string>();
  let colleague: { cookie: string; id: string };
  let otherTech: { cookie: string; id: string };
  let fx: { ownClaim: string; otherClaim: string; ownOrder: string; otherOrder: string };
  /** Li Wei's second purchase, sold by another dealer, with a claim and an order at the other center. */
  let hidden: { purchase: string; claim: string; order: string };

  const as = (who: Role | { cookie: string }, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { origin: ORIGIN, cookie: typeof who === 'string' ? cookies.get(who) : who.cookie },
      ...(payload ? { payload } : method === 'POST' ? { payload: {} } : {}),
    });

  const ownerEvents = (entityId: string) =>
    t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, entityId), eq(auditEvents.action, 'claim.owner_changed')))
      .orderBy(asc(auditEvents.id));

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TEST_TODAY });
    for (const role of ['admin', 'support', 'qa', 'dealer', 'technician', 'customer'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    for (const row of await t.db.db.select({ id: users.id, role: users.role }).from(users)) {
      if (!ids.has(row.role)) ids.set(row.role, row.id);
    }
    const second = await colleagueSession(t.db.db, t.app, 'support', 'second.support@halotek.example.com');
    colleague = { cookie: second.cookie, id: second.actor.slice('user:'.length) };

    const centers = await t.db.db
      .select({ id: serviceCenters.id, nameEn: serviceCenters.nameEn })
      .from(serviceCenters);
    const centerA = centers.find((c) => c.nameEn === DEMO_SERVICE_CENTERS[0].nameEn)?.id ?? '';
    const centerB = centers.find((c) => c.nameEn === DEMO_SERVICE_CENTERS[1].nameEn)?.id ?? '';
    otherTech = await technicianOf(t.db.db, t.app, centerB, 'tech.b@halotek.example.com');
    fx = await maintenanceOrderFixtures(t.app, t.db.db, { own: centerA, other: centerB });

    // Li Wei (the customer of the own claim) also bought from another dealer, and that repair went to B.
    const [ownClaimRow] = await t.db.db
      .select({ endUserId: claims.endUserId, productId: purchases.productId })
      .from(claims)
      .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
      .where(eq(claims.id, fx.ownClaim));
    const [otherDealer] = await t.db.db
      .select({ id: dealers.id })
      .from(dealers)
      .where(eq(dealers.name, DEMO_DEALERS[1].name));
    const [purchase] = await t.db.db
      .insert(purchases)
      .values({
        productId: ownClaimRow?.productId ?? '',
        endUserId: ownClaimRow?.endUserId ?? '',
        dealerId: otherDealer?.id ?? null,
        purchaseDate: TEST_TODAY.subtract({ days: 100 }).toString(),
      })
      .returning({ id: purchases.id });
    const claim = await claimOn(t.app, t.db.db, purchase?.id ?? '', null);
    const order = await insertOrder(t.db.db, { claimId: claim, serviceCenterId: centerB, mode: 'mail_in' });
    hidden = { purchase: purchase?.id ?? '', claim, order: order.id };
  });

  describe('taking, assigning and releasing a claim', () => {
    it('lets support take an unowned claim, shows the owner in the claim and under Mine, and audits it', async () => {
      const taken = await as('support', 'POST', `/api/v1/claims/${fx.ownClaim}/take`);
      expect(taken.statusCode, taken.body).toBe(200);
      expect(taken.json<OwnershipResponse>()).toEqual({
        owner: { id: ids.get('support'), name: 'Sun Li (support)' },
        changed: true,
      });
      const claim = (await as('support', 'GET', `/api/v1/claims/${fx.ownClaim}`)).json<Claim>();
      expect(claim.owner?.name).toBe('Sun Li (support)');

      const mine = (await as('support', 'GET', '/api/v1/claims?owner=me'))
        .json<{ items: Claim[] }>()
        .items.map((c) => c.id);
      expect(mine).toEqual([fx.ownClaim]);
      const nobodys = (await as('support', 'GET', '/api/v1/claims?owner=none'))
        .json<{ items: Claim[] }>()
        .items.map((c) => c.id);
      expect(nobodys).not.toContain(fx.ownClaim);
      expect(nobodys).toContain(fx.otherClaim);
      const theirs = (await as('admin', 'GET', `/api/v1/claims?owner=${ids.get('support')}`)).json<{
        items: Claim[];
      }>().items;
      expect(theirs.map((c) => c.id)).toEqual([fx.ownClaim]);

      const events = await ownerEvents(fx.ownClaim);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actor: `user:${ids.get('support')}`,
        entityType: 'claim',
        data: { how: 'take', from: null, to: ids.get('support') },
      });

      // Taking it again is nothing new: no second audit row.
      const again = await as('support', 'POST', `/api/v1/claims/${fx.ownClaim}/take`);
      expect(again.json<OwnershipResponse>().changed).toBe(false);
      expect(await ownerEvents(fx.ownClaim)).toHaveLength(1);
    });

    it('refuses to take a colleague’s claim quietly, and audits an explicit reassignment', async () => {
      const quiet = await as(colleague, 'POST', `/api/v1/claims/${fx.ownClaim}/take`);
      expect(quiet.statusCode).toBe(409);
      expect(quiet.json()).toMatchObject({
        error: { code: 'OWNED_BY_ANOTHER', details: { owner: { id: ids.get('support') } } },
      });
      const released = await as(colleague, 'POST', `/api/v1/claims/${fx.ownClaim}/release`);
      expect(released.statusCode).toBe(409);

      const explicit = await as(colleague, 'POST', `/api/v1/claims/${fx.ownClaim}/take`, { reassign: true });
      expect(explicit.statusCode, explicit.body).toBe(200);
      const events = await ownerEvents(fx.ownClaim);
      expect(events.at(-1)?.data).toEqual({
        how: 'take',
        from: ids.get('support'),
        to: colleague.id,
        reassigned: true,
      });
    });

    it('assigns a claim to support only: never to a technician, a dealer or someone unknown', async () => {
      for (const to of [ids.get('technician'), ids.get('dealer'), ids.get('qa'), 'no-such-user']) {
        const res = await as(colleague, 'POST', `/api/v1/claims/${fx.ownClaim}/assign`, { userId: to });
        expect(res.statusCode, `${to}: ${res.body}`).toBe(422);
        expect(res.json()).toMatchObject({ error: { code: 'ASSIGNEE_NOT_ELIGIBLE' } });
      }
      const picker = (
        await as(colleague, 'GET', `/api/v1/claims/${fx.ownClaim}/assignees`)
      ).json<EligibleOwnersResponse>();
      expect(new Set(picker.map((p) => p.role))).toEqual(new Set(['admin', 'support']));

      const back = await as(colleague, 'POST', `/api/v1/claims/${fx.ownClaim}/assign`, {
        userId: ids.get('support'),
      });
      expect(back.statusCode, back.body).toBe(200);
      expect((await ownerEvents(fx.ownClaim)).at(-1)?.data).toMatchObject({
        how: 'assign',
        from: colleague.id,
        to: ids.get('support'),
      });
      const release = await as('support', 'POST', `/api/v1/claims/${fx.ownClaim}/release`);
      expect(release.json<OwnershipResponse>()).toEqual({ owner: null, changed: true });
    });

    it('lets no dealer, technician, QA or customer take, assign or release a claim', async () => {
      for (const role of ['dealer', 'technician', 'qa', 'customer'] as const) {
        for (const verb of ['take', 'release']) {
          const res = await as(role, 'POST', `/api/v1/claims/${fx.ownClaim}/${verb}`);
          expect(res.statusCode, `${role} ${verb}`).toBe(403);
        }
      }
      expect((await t.db.db.select().from(claims).where(eq(claims.id, fx.ownClaim)))[0]?.ownerId).toBeNull();
    });

    it('gives a claim to one of two people taking it at once', async () => {
      const results = await Promise.all([
        as('support', 'POST', `/api/v1/claims/${fx.otherClaim}/take`),
        as(colleague, 'POST', `/api/v1/claims/${fx.otherClaim}/take`),
        as('admin', 'POST', `/api/v1/claims/${fx.otherClaim}/take`),
      ]);
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([200, 409, 409]);
      const winner = results.find((r) => r.statusCode === 200)?.json<OwnershipResponse>().owner?.id;
      const [row] = await t.db.db.select().from(claims).where(eq(claims.id, fx.otherClaim));
      expect(row?.ownerId).toBe(winner);
      expect(await ownerEvents(fx.otherClaim)).toHaveLength(1);
    });
  });

  describe('taking and assigning a maintenance order', () => {
    it('lets a technician take its own center’s order and find it under Mine, not another center’s', async () => {
      const own = await as('technician', 'POST', `/api/v1/maintenance-orders/${fx.ownOrder}/take`);
      expect(own.statusCode, own.body).toBe(200);
      const other = await as('technician', 'POST', `/api/v1/maintenance-orders/${fx.otherOrder}/take`);
      expect(other.statusCode).toBe(404);

      const mine = await as('technician', 'GET', '/api/v1/maintenance-orders?owner=me');
      expect(
        mine.json<{ items: MaintenanceOrderResponse[] }>().items.map((o) => [o.id, o.owner?.id]),
      ).toEqual([[fx.ownOrder, ids.get('technician')]]);
      // A technician asks only about itself.
      for (const owner of ['none', ids.get('support') ?? '']) {
        const res = await as('technician', 'GET', `/api/v1/maintenance-orders?owner=${owner}`);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'OWNER_FILTER_FORBIDDEN' } });
      }
      const dealerAsks = await as('dealer', 'GET', `/api/v1/claims?owner=${ids.get('support')}`);
      expect(dealerAsks.statusCode).toBe(403);
      const actions = await t.db.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.entityId, fx.ownOrder),
            eq(auditEvents.action, 'maintenance_order.owner_changed'),
          ),
        );
      expect(actions).toHaveLength(1);
    });

    it('assigns an order to support or its own center’s technicians, never another center’s', async () => {
      const toOtherCenter = await as('support', 'POST', `/api/v1/maintenance-orders/${fx.ownOrder}/assign`, {
        userId: otherTech.id,
        reassign: true,
      });
      expect(toOtherCenter.statusCode).toBe(422);
      expect(toOtherCenter.json()).toMatchObject({ error: { code: 'ASSIGNEE_NOT_ELIGIBLE' } });
      const toDealer = await as('support', 'POST', `/api/v1/maintenance-orders/${fx.ownOrder}/assign`, {
        userId: ids.get('dealer'),
        reassign: true,
      });
      expect(toDealer.statusCode).toBe(422);

      const picker = (
        await as('support', 'GET', `/api/v1/maintenance-orders/${fx.otherOrder}/assignees`)
      ).json<EligibleOwnersResponse>();
      expect(picker.map((p) => p.id)).toContain(otherTech.id);
      expect(picker.map((p) => p.id)).not.toContain(ids.get('technician'));

      const toB = await as('support', 'POST', `/api/v1/maintenance-orders/${fx.otherOrder}/assign`, {
        userId: otherTech.id,
      });
      expect(toB.statusCode, toB.body).toBe(200);
      // The technician of A cannot take B's order, even as a reassignment: it does not see it.
      const steal = await as('technician', 'POST', `/api/v1/maintenance-orders/${fx.otherOrder}/take`, {
        reassign: true,
      });
      expect(steal.statusCode).toBe(404);
      // Support releasing the technician's order must say it is a reassignment.
      const quiet = await as('support', 'POST', `/api/v1/maintenance-orders/${fx.ownOrder}/release`);
      expect(quiet.statusCode).toBe(409);
      const loud = await as('support', 'POST', `/api/v1/maintenance-orders/${fx.ownOrder}/release`, {
        reassign: true,
      });
      expect(loud.statusCode).toBe(200);
      const dealerTakes = await as('dealer', 'POST', `/api/v1/maintenance-orders/${fx.ownOrder}/take`);
      expect(dealerTakes.statusCode).toBe(403);
    });
  });

  describe('customer context', () => {
    it('shows support the whole customer: contact, every purchase and claim, orders, quotes, history', async () => {
      const res = await as('support', 'GET', `/api/v1/claims/${fx.ownClaim}/context`);
      expect(res.statusCode, res.body).toBe(200);
      const ctx = res.json<CustomerContextResponse>();
      expect(ctx.customer).toMatchObject({ name: 'Li Wei', email: 'li.wei@example.com' });
      expect(ctx.purchases.map((p) => p.id)).toContain(hidden.purchase);
      expect(ctx.claims.map((c) => c.id)).toEqual(expect.arrayContaining([fx.ownClaim, hidden.claim]));
      expect(ctx.maintenanceOrders.map((o) => o.id)).toEqual(
        expect.arrayContaining([fx.ownOrder, hidden.order]),
      );
      const history = ctx.history.filter((h) => h.action === 'claim.owner_changed');
      expect(history.length).toBeGreaterThanOrEqual(4);
      expect(history[0]).toMatchObject({
        actor: { kind: 'user', name: 'Sun Li (support)' },
        data: { how: 'take' },
      });
    });

    it('never shows a dealer another dealer’s sale of the same customer, nor another dealer’s claim', async () => {
      const res = await as('dealer', 'GET', `/api/v1/claims/${fx.ownClaim}/context`);
      expect(res.statusCode, res.body).toBe(200);
      const ctx = res.json<CustomerContextResponse>();
      expect(ctx.customer.name).toBe('Li Wei');
      expect(ctx.purchases.map((p) => p.id)).not.toContain(hidden.purchase);
      expect(
        ctx.purchases.every(
          (p) => p.dealerName === DEMO_DEALERS[0].name && p.dealerNameZh === DEMO_DEALERS[0].nameZh,
        ),
      ).toBe(true);
      expect(ctx.claims.map((c) => c.id)).toContain(fx.ownClaim);
      expect(ctx.claims.map((c) => c.id)).not.toContain(hidden.claim);
      // A dealer may not read maintenance orders or quotes: none come through the context either.
      expect(ctx.maintenanceOrders).toEqual([]);
      expect(ctx.quotes).toEqual([]);
      // Who did what, when — but not the details, which are staff's.
      expect(ctx.history.length).toBeGreaterThan(0);
      expect(ctx.history.every((h) => h.data === null)).toBe(true);

      expect((await as('dealer', 'GET', `/api/v1/claims/${hidden.claim}/context`)).statusCode).toBe(404);
      expect((await as('dealer', 'GET', `/api/v1/claims/${fx.otherClaim}/context`)).statusCode).toBe(404);
      for (const role of ['customer', 'qa', 'technician'] as const) {
        expect((await as(role, 'GET', `/api/v1/claims/${fx.ownClaim}/context`)).statusCode).toBe(403);
      }
    });

    it('never shows a technician of center A what went through center B', async () => {
      const res = await as('technician', 'GET', `/api/v1/maintenance-orders/${fx.ownOrder}/context`);
      expect(res.statusCode, res.body).toBe(200);
      const ctx = res.json<CustomerContextResponse>();
      expect(ctx.customer.name).toBe('Li Wei');
      expect(ctx.maintenanceOrders.map((o) => o.id)).toEqual([fx.ownOrder]);
      expect(ctx.claims.map((c) => c.id)).toEqual([fx.ownClaim]);
      expect(ctx.purchases.map((p) => p.id)).not.toContain(hidden.purchase);
      expect(ctx.history.map((h) => h.action)).toContain('maintenance_order.owner_changed');

      const b = await as(otherTech, 'GET', `/api/v1/maintenance-orders/${hidden.order}/context`);
      expect(b.statusCode).toBe(200);
      const bCtx = b.json<CustomerContextResponse>();
      expect(bCtx.maintenanceOrders.map((o) => o.id)).toEqual([hidden.order]);
      expect(bCtx.claims.map((c) => c.id)).toEqual([hidden.claim]);
      expect(bCtx.purchases.map((p) => p.id)).toEqual([hidden.purchase]);

      expect(
        (await as('technician', 'GET', `/api/v1/maintenance-orders/${hidden.order}/context`)).statusCode,
      ).toBe(404);
      expect(
        (await as('customer', 'GET', `/api/v1/maintenance-orders/${fx.ownOrder}/context`)).statusCode,
      ).toBe(403);
    });
  });

  describe('audit viewer', () => {
    it('filters by object, actor, action and the store’s days', async () => {
      const byObject = await as(
        'admin',
        'GET',
        `/api/v1/audit-events?entityType=claim&entityId=${fx.ownClaim}`,
      );
      expect(byObject.statusCode, byObject.body).toBe(200);
      const items = byObject.json<AuditEventPageResponse>().items;
      expect(items.length).toBeGreaterThanOrEqual(4);
      expect(items.every((e) => e.entityId === fx.ownClaim && e.entityType === 'claim')).toBe(true);
      expect(items.map((e) => e.id)).toEqual([...items.map((e) => e.id)].sort((a, b) => b - a));

      const byActor = (
        await as('support', 'GET', `/api/v1/audit-events?actor=${colleague.id}&action=claim.owner_changed`)
      ).json<AuditEventPageResponse>().items;
      expect(byActor.length).toBeGreaterThan(0);
      expect(byActor.every((e) => e.actor.id === colleague.id && e.action === 'claim.owner_changed')).toBe(
        true,
      );

      const todayDate = calendarDateIn(Temporal.Now.instant(), 'Asia/Shanghai');
      const today = todayDate.toString();
      const yesterday = todayDate.subtract({ days: 1 }).toString();
      const during = (
        await as('admin', 'GET', `/api/v1/audit-events?action=claim.owner_changed&from=${today}&to=${today}`)
      ).json<AuditEventPageResponse>().items;
      expect(during.length).toBeGreaterThan(0);
      const before = (
        await as('admin', 'GET', `/api/v1/audit-events?action=claim.owner_changed&to=${yesterday}`)
      ).json<AuditEventPageResponse>().items;
      expect(before).toEqual([]);
      const backwards = await as('admin', 'GET', `/api/v1/audit-events?from=${today}&to=${yesterday}`);
      expect(backwards.statusCode).toBe(400);
    });

    it('pages by cursor without skipping or repeating a row while rows are added', async () => {
      const all = (await t.db.db.select({ id: auditEvents.id }).from(auditEvents)).map((r) => r.id);
      const seen: number[] = [];
      let cursor: string | null = null;
      let added = false;
      do {
        const res = await as(
          'admin',
          'GET',
          `/api/v1/audit-events?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        const page: AuditEventPageResponse = res.json();
        expect(page.items.length).toBeLessThanOrEqual(7);
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
        if (!added) {
          // Someone works meanwhile: new rows go before the first page, not into the next.
          await as('support', 'POST', `/api/v1/claims/${fx.ownClaim}/take`);
          added = true;
        }
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort((a, b) => a - b)).toEqual([...all].sort((a, b) => a - b));
    });

    it('refuses a forged cursor and every role but admin and support', async () => {
      for (const cursor of ['42', 'not-a-cursor', Buffer.from('id:-5').toString('base64url')]) {
        const res = await as('admin', 'GET', `/api/v1/audit-events?cursor=${cursor}`);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ error: { code: 'INVALID_CURSOR' } });
      }
      for (const role of ['qa', 'dealer', 'technician', 'customer'] as const) {
        expect((await as(role, 'GET', '/api/v1/audit-events')).statusCode).toBe(403);
      }
    });
  });
});
