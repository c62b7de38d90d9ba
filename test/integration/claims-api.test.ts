import { and, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, claims, dealers, endUsers, outbox, purchases } from '../../src/db/schema.js';
import { DEMO_DEALERS, DEMO_END_USERS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import type { Claim, SubmittedClaim } from '../../src/http/claims/schemas.js';
import type { ErrorResponse } from '../../src/http/errors.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Claims over HTTP: a customer reports a problem with their purchase (support for anyone), a guest
 * with the serial and the contact on record; each sees the decision with its clauses and chooses one
 * of the remedies it offers. Each role sees only its own claims.
 */

const TODAY = Temporal.PlainDate.from('2026-11-25');

describe.each(testDatabases())('claims API on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  /** The demo purchases, by whose they are. */
  const demo = { liWei: '', zhangMin: '', wangFang: '', chenJie: '' };
  const people = { liWei: '', zhangMin: '' };
  let ownDealer = '';

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    for (const role of ['admin', 'support', 'dealer', 'customer', 'sales', 'technician'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    const rows = await t.db.db
      .select({ id: purchases.id, endUserId: purchases.endUserId, name: endUsers.name })
      .from(purchases)
      .innerJoin(endUsers, eq(endUsers.id, purchases.endUserId));
    const of = (i: number) => rows.find((r) => r.name === DEMO_END_USERS[i]?.name);
    demo.liWei = of(0)?.id ?? '';
    demo.zhangMin = of(1)?.id ?? '';
    demo.wangFang = of(2)?.id ?? '';
    demo.chenJie = of(3)?.id ?? '';
    people.liWei = of(0)?.endUserId ?? '';
    people.zhangMin = of(1)?.endUserId ?? '';
    const [dealer] = await t.db.db.select().from(dealers).where(eq(dealers.name, DEMO_DEALERS[0].name));
    ownDealer = dealer?.id ?? '';
  });

  const api = (
    role: Role | 'anonymous',
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: {
        origin: ORIGIN,
        ...(role === 'anonymous' ? {} : { cookie: cookies.get(role) ?? '' }),
        ...headers,
      },
      ...(payload === undefined ? {} : { payload }),
    });
  const errorOf = (res: LightMyRequestResponse) => res.json<ErrorResponse>().error;
  const report = (purchaseId: string, extra: object = {}) => ({
    purchaseId,
    cause: 'quality',
    description: 'No sound from the left ear cup',
    ...extra,
  });

  let liWeiClaim: SubmittedClaim;

  describe('reporting a problem', () => {
    it('gives a customer the decision on their purchase, with clauses in their language, and a tracking link', async () => {
      const key = { 'idempotency-key': `claim-${testDb.name}-1` };
      const res = await api('customer', 'POST', '/api/v1/claims', report(demo.liWei), key);
      expect(res.statusCode, res.body).toBe(201);
      liWeiClaim = res.json<SubmittedClaim>();
      expect(liWeiClaim).toMatchObject({
        purchaseId: demo.liWei,
        endUserId: people.liWei,
        reportedOn: '2026-11-25',
        status: 'open',
        version: 1,
        chosenRemedy: null,
        serial: 'HS200-2406-001732',
        // Both names: the Chinese screens show the one the maker gave in Chinese.
        dealer: {
          id: ownDealer,
          name: DEMO_DEALERS[0].name,
          nameZh: DEMO_DEALERS[0].nameZh,
          phone: DEMO_DEALERS[0].phone,
        },
        decision: { window: '7_days', daysSincePurchase: 3, paid: false, policyVersion: 'halotek-2018-01' },
      });
      expect(liWeiClaim.decision.remedies.map((r) => r.code)).toEqual([
        'refund',
        'replacement',
        'service_center',
      ]);
      expect(liWeiClaim.decision.remedies[0]?.clause).toContain('full refund');
      expect(liWeiClaim.trackingUrl).toMatch(/^http:\/\/localhost:3000\/track\?token=/);

      const zh = await api('customer', 'GET', `/api/v1/claims/${liWeiClaim.id}`, undefined, {
        'accept-language': 'zh-CN,zh;q=0.9',
      });
      expect(zh.json<Claim>().decision.remedies[0]?.clause).toContain('退款');
    });

    it('answers a retry with the same key with the same claim, and refuses the key with another body', async () => {
      const key = { 'idempotency-key': `claim-${testDb.name}-1` };
      const again = await api('customer', 'POST', '/api/v1/claims', report(demo.liWei), key);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json<SubmittedClaim>()).toMatchObject({ id: liWeiClaim.id, trackingUrl: null });
      const other = await api(
        'customer',
        'POST',
        '/api/v1/claims',
        report(demo.liWei, { description: 'Another fault' }),
        key,
      );
      expect(other.statusCode).toBe(409);
      expect(errorOf(other).code).toBe('IDEMPOTENCY_KEY_REUSED');
      // Support may answer for the customer: the same key and body are the same claim, not a second.
      const bySupport = await api('support', 'POST', '/api/v1/claims', report(demo.liWei), key);
      expect(bySupport.statusCode).toBe(200);
      const stored = await t.db.db.select().from(claims).where(eq(claims.purchaseId, demo.liWei));
      expect(stored).toHaveLength(1);
    });

    it('hides another customer’s purchase, and dates a customer’s report today', async () => {
      const before = (await t.db.db.select().from(claims)).length;
      const stranger = await api('customer', 'POST', '/api/v1/claims', report(demo.zhangMin));
      expect(stranger.statusCode).toBe(404);
      expect(errorOf(stranger).code).toBe('PURCHASE_NOT_FOUND');
      const backdated = await api(
        'customer',
        'POST',
        '/api/v1/claims',
        report(demo.liWei, { reportedOn: '2026-11-23' }),
      );
      expect(backdated.statusCode).toBe(400);
      expect(errorOf(backdated).code).toBe('REPORTED_ON_NOT_TODAY');
      expect((await api('dealer', 'POST', '/api/v1/claims', report(demo.liWei))).statusCode).toBe(403);
      expect((await t.db.db.select().from(claims)).length).toBe(before);
    });

    it('offers paid service after the warranty and for misuse, instead of refusing', async () => {
      const expired = await api(
        'support',
        'POST',
        '/api/v1/claims',
        report(demo.chenJie, { reportedOn: '2026-11-24' }),
      );
      expect(expired.statusCode, expired.body).toBe(201);
      expect(expired.json<SubmittedClaim>()).toMatchObject({
        reportedOn: '2026-11-24',
        decision: {
          window: 'expired',
          paid: true,
          remedies: [{ code: 'paid_service', costBearer: 'customer' }],
        },
      });
      const misuse = await api(
        'admin',
        'POST',
        '/api/v1/claims',
        report(demo.zhangMin, { cause: 'human_damage' }),
      );
      expect(misuse.statusCode, misuse.body).toBe(201);
      expect(misuse.json<SubmittedClaim>()).toMatchObject({
        endUserId: people.zhangMin,
        decision: { window: '60_days', paid: true, remedies: [{ code: 'paid_service' }] },
      });
    });
  });

  describe('a guest reporting with the serial and the contact on record', () => {
    it('finds the purchase by the customer’s e-mail in any case, or the phone typed another way', async () => {
      const byEmail = await api('anonymous', 'POST', '/api/v1/claims/guest?lang=zh', {
        serial: 'dcp22048-2403-000127',
        contact: ' WANG.FANG@example.com ',
        cause: 'quality',
        description: 'Output voltage drops under load',
      });
      expect(byEmail.statusCode, byEmail.body).toBe(201);
      const claim = byEmail.json<SubmittedClaim>();
      expect(claim).toMatchObject({ purchaseId: demo.wangFang, decision: { window: '1_year' } });
      expect(claim.decision.remedies.map((r) => r.code)).toEqual(['maintenance_order', 'mail_in_repair']);
      expect(claim.decision.remedies[0]?.clause).toContain('维修');
      expect(claim.trackingUrl).toContain('/track?token=');
      const [event] = await t.db.db.select().from(auditEvents).where(eq(auditEvents.entityId, claim.id));
      expect(event).toMatchObject({ action: 'claim.submitted', actor: 'guest' });

      const byPhone = await api('anonymous', 'POST', '/api/v1/claims/guest', {
        serial: 'BTH500-2405-004410',
        contact: '139-1021-7784',
        cause: 'quality',
        description: 'Right ear cup crackles',
      });
      expect(byPhone.statusCode, byPhone.body).toBe(201);
      expect(byPhone.json<SubmittedClaim>().purchaseId).toBe(demo.zhangMin);
    });

    it('answers a wrong contact and an unknown serial with the same 404', async () => {
      const body = { cause: 'quality', description: 'It does not switch on' };
      const wrong = await api('anonymous', 'POST', '/api/v1/claims/guest', {
        ...body,
        serial: 'DCP22048-2403-000127',
        contact: 'li.wei@example.com',
      });
      const unknown = await api('anonymous', 'POST', '/api/v1/claims/guest', {
        ...body,
        serial: 'NO-SUCH-SERIAL',
        contact: 'wang.fang@example.com',
      });
      expect(wrong.statusCode).toBe(404);
      expect(unknown.statusCode).toBe(404);
      expect(wrong.json()).toEqual(unknown.json());
    });
  });

  describe('reading claims', () => {
    it('lists a customer’s own, a dealer’s sales’ claims, and every claim for staff, newest first', async () => {
      const mine = (await api('customer', 'GET', '/api/v1/claims')).json<{ items: Claim[] }>().items;
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((c) => c.endUserId === people.liWei)).toBe(true);

      // The demo's claims on the dealer's sales (its repairs' too, seeded with orders), and no other.
      const sold = await t.db.db
        .select({ purchaseId: claims.purchaseId, dealerId: purchases.dealerId })
        .from(claims)
        .innerJoin(purchases, eq(purchases.id, claims.purchaseId));
      const [dealer] = await t.db.db
        .select({ id: dealers.id })
        .from(dealers)
        .where(eq(dealers.name, DEMO_DEALERS[0].name));
      const dealerList = (await api('dealer', 'GET', '/api/v1/claims')).json<{ items: Claim[] }>().items;
      expect(dealerList.map((c) => c.purchaseId).sort()).toEqual(
        sold
          .filter((c) => c.dealerId === dealer?.id)
          .map((c) => c.purchaseId)
          .sort(),
      );
      expect(dealerList.map((c) => c.purchaseId)).toEqual(expect.arrayContaining([demo.liWei, demo.chenJie]));
      expect(dealerList.map((c) => c.purchaseId)).not.toContain(demo.zhangMin);

      const all = (await api('sales', 'GET', '/api/v1/claims')).json<{ items: Claim[] }>().items;
      expect(new Set(all.map((c) => c.purchaseId))).toEqual(new Set(sold.map((c) => c.purchaseId)));
      expect(all.map((c) => c.purchaseId)).toEqual(
        expect.arrayContaining([demo.liWei, demo.chenJie, demo.zhangMin, demo.wangFang]),
      );
      const created = all.map((c) => c.createdAt);
      expect(created).toEqual([...created].sort().reverse());
      const open = (await api('support', 'GET', '/api/v1/claims?status=remedy_chosen')).json<{
        items: Claim[];
      }>().items;
      // Only claims in that status: the seeded repairs', none of this test's open claims.
      expect(open.every((c) => c.status === 'remedy_chosen')).toBe(true);
      const mineHere = [demo.liWei, demo.chenJie, demo.zhangMin, demo.wangFang];
      expect(open.filter((c) => mineHere.includes(c.purchaseId))).toEqual([]);
      expect((await api('technician', 'GET', '/api/v1/claims')).statusCode).toBe(403);
    });

    it('hides another customer’s or dealer’s claim behind a 404', async () => {
      const [zhangs] = await t.db.db
        .select()
        .from(claims)
        .where(eq(claims.purchaseId, demo.zhangMin))
        .limit(1);
      const url = `/api/v1/claims/${zhangs?.id ?? ''}`;
      expect((await api('customer', 'GET', url)).statusCode).toBe(404);
      expect(errorOf(await api('dealer', 'GET', url)).code).toBe('CLAIM_NOT_FOUND');
      expect((await api('support', 'GET', url)).statusCode).toBe(200);
      expect((await api('dealer', 'GET', `/api/v1/claims/${liWeiClaim.id}`)).statusCode).toBe(200);
    });
  });

  describe('choosing a remedy', () => {
    const choose = (role: Role, claimId: string, remedy: string, expectedVersion: number) =>
      api(role, 'POST', `/api/v1/claims/${claimId}/remedy`, { remedy, expectedVersion });

    it('refuses a remedy the decision does not offer, naming the offered ones', async () => {
      const res = await choose('customer', liWeiClaim.id, 'maintenance_order', 1);
      expect(res.statusCode).toBe(409);
      expect(errorOf(res)).toMatchObject({
        code: 'REMEDY_NOT_OFFERED',
        details: { offered: ['refund', 'replacement', 'service_center'] },
      });
    });

    it('refuses a stale version with the current one', async () => {
      const res = await choose('customer', liWeiClaim.id, 'refund', 2);
      expect(res.statusCode).toBe(409);
      expect(errorOf(res)).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 1 } });
    });

    it('records an offered remedy and tells the customer to go to their dealer', async () => {
      const res = await choose('customer', liWeiClaim.id, 'refund', 1);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<Claim>()).toMatchObject({
        status: 'remedy_chosen',
        chosenRemedy: 'refund',
        version: 2,
      });
      const [event] = await t.db.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.entityId, liWeiClaim.id), eq(auditEvents.action, 'claim.remedy_chosen')));
      expect(event?.data).toMatchObject({ remedy: 'refund', version: 2 });
      const [message] = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'claim.remedy_chosen'));
      expect(message).toMatchObject({ recipient: 'li.wei@example.com', payload: { claimId: liWeiClaim.id } });
      expect(message?.body).toContain(DEMO_DEALERS[0].name);
      expect(message?.body).toContain(DEMO_DEALERS[0].phone);
      expect(message?.body).toContain('全额退款');

      const twice = await choose('customer', liWeiClaim.id, 'replacement', 2);
      expect(twice.statusCode).toBe(409);
      expect(errorOf(twice).code).toBe('CLAIM_NOT_OPEN');
    });

    it('lets support choose for anyone and points to the maintenance order; hides others’ claims from customers', async () => {
      const [wangs] = await t.db.db
        .select()
        .from(claims)
        .where(eq(claims.purchaseId, demo.wangFang))
        .limit(1);
      const id = wangs?.id ?? '';
      expect((await choose('customer', id, 'maintenance_order', 1)).statusCode).toBe(404);
      expect((await choose('dealer', id, 'maintenance_order', 1)).statusCode).toBe(403);
      const res = await choose('support', id, 'maintenance_order', 1);
      expect(res.statusCode, res.body).toBe(200);
      const messages = await t.db.db
        .select()
        .from(outbox)
        .where(eq(outbox.recipient, 'wang.fang@example.com'));
      expect(messages.find((m) => m.topic === 'claim.remedy_chosen')?.body).toContain('maintenance order');
    });

    it('takes paid service on an expired claim', async () => {
      const [chens] = await t.db.db.select().from(claims).where(eq(claims.purchaseId, demo.chenJie)).limit(1);
      const res = await choose('support', chens?.id ?? '', 'paid_service', 1);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<Claim>()).toMatchObject({ chosenRemedy: 'paid_service', decision: { paid: true } });
    });
  });
});
