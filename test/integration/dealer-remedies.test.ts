import { randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import {
  accounts,
  auditEvents,
  claims,
  CREDENTIAL_PROVIDER,
  dealerRemedies,
  dealers,
  outbox,
  reimbursementClaims,
  users,
} from '../../src/db/schema.js';
import { DEMO_DEALERS, DEMO_PASSWORD, seedDemoData } from '../../src/db/seed.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
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

/** Another support agent beside the demo one, signed in with the demo password. */
async function secondSupportAgent(db: Database, app: FastifyInstance): Promise<string> {
  const id = randomUUID();
  const email = 'second.support@halotek.example.com';
  await db
    .insert(users)
    .values({ id, name: 'Zhou Yan (support)', email, emailVerified: true, role: 'support' });
  await db.insert(accounts).values({
    id: randomUUID(),
    accountId: id,
    providerId: CREDENTIAL_PROVIDER,
    userId: id,
    password: await hashPassword(DEMO_PASSWORD),
  });
  const res = await signIn(app, email);
  return sessionCookie(res.headers['set-cookie']);
}

type Reimbursement = { id: string; status: string; version: number; amount: unknown; reason: string | null };

describe.each(testDatabases())('dealer remedies and reimbursements on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies: Record<'dealer' | 'support' | 'secondSupport' | 'customer', string> = {
    dealer: '',
    support: '',
    secondSupport: '',
    customer: '',
  };
  let p: DemoParties;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    await lenientRiskSettings(t.db.db);
    for (const role of ['dealer', 'support', 'customer'] as const) {
      cookies[role] = await demoSession(t.app, role);
    }
    cookies.secondSupport = await secondSupportAgent(t.db.db, t.app);
    p = await demoParties(t.db.db);
  });

  /** A claim reported today on a sale of the demo dealer (Huaqiang) made `daysAgo` days ago. */
  const claimAtDay = async (daysAgo: number, dealer: 0 | 1 = 0) => {
    const purchase = await insertPurchase(t.db.db, {
      productId: p.productId,
      dealerId: p.dealer(dealer),
      endUserId: p.endUser(0),
      daysAgo,
    });
    return claimOn(t.app, t.db.db, purchase, p.endUser(0));
  };

  const as = (role: keyof typeof cookies) => ({ origin: ORIGIN, cookie: cookies[role] });
  const perform = (claimId: string, payload: object, lang?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${claimId}/dealer-remedy${lang ? `?lang=${lang}` : ''}`,
      headers: as('dealer'),
      payload,
    });
  const decide = (role: keyof typeof cookies, id: string, payload: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/reimbursements/${id}/decision`,
      headers: as(role),
      payload,
    });
  // No returned serial: a serial comes back once, and these sales (recorded by SKU alone) share none.
  const refund = {
    kind: 'refund',
    refund: { amountMinor: 29_900, currency: 'CNY' },
  };

  it('refunds at the dealer on day 5, resolves the claim, and support approves the reimbursement', async () => {
    const claimId = await claimAtDay(5);
    const res = await perform(claimId, refund);
    expect(res.statusCode, res.body).toBe(201);
    const remedy = res.json<{ id: string; performedOn: string; reimbursement: Reimbursement }>();
    expect(remedy).toMatchObject({
      claimId,
      kind: 'refund',
      refund: { amountMinor: 29_900, currency: 'CNY' },
      performedOn: '2026-11-25',
      claim: { status: 'resolved', chosenRemedy: 'refund', version: 2 },
      reimbursement: { status: 'pending', amount: { amountMinor: 29_900, currency: 'CNY' }, version: 1 },
    });
    const [claim] = await t.db.db.select().from(claims).where(eq(claims.id, claimId));
    expect(claim).toMatchObject({ status: 'resolved', chosenRemedy: 'refund' });
    const messages = await t.db.db
      .select()
      .from(outbox)
      .where(eq(outbox.payload, { claimId, dealerRemedyId: remedy.id, kind: 'refund' }));
    expect(messages).toHaveLength(1);
    expect(messages[0]?.recipient).toBe('li.wei@example.com');
    expect(messages[0]?.body).toContain('CNY 299.00');
    const toSupport = (
      await t.db.db.select().from(outbox).where(eq(outbox.topic, 'reimbursement.requested'))
    ).filter((m) => m.payload.reimbursementId === remedy.reimbursement.id);
    expect(toSupport).toMatchObject([{ recipient: 'role:support' }]);

    // The dealer follows its request; support decides it.
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/reimbursements?status=pending',
      headers: as('dealer'),
    });
    expect(list.json<{ items: Reimbursement[] }>().items.map((r) => r.id)).toContain(remedy.reimbursement.id);
    const approved = await decide('support', remedy.reimbursement.id, {
      decision: 'approved',
      expectedVersion: 1,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', version: 2, reason: null });
    const seen = await t.app.inject({
      method: 'GET',
      url: `/api/v1/reimbursements/${remedy.reimbursement.id}`,
      headers: as('dealer'),
    });
    expect(seen.json()).toMatchObject({
      status: 'approved',
      dealer: { id: p.dealer(0), name: DEMO_DEALERS[0].name, nameZh: DEMO_DEALERS[0].nameZh },
    });
    const toDealer = (
      await t.db.db.select().from(outbox).where(eq(outbox.topic, 'reimbursement.approved'))
    ).filter((m) => m.payload.reimbursementId === remedy.reimbursement.id);
    expect(toDealer).toMatchObject([{ recipient: 'service@huaqiang-power.example.com' }]);
    const audit = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, remedy.reimbursement.id));
    expect(audit.map((a) => a.action)).toEqual(['reimbursement.requested', 'reimbursement.approved']);

    // Decided once.
    const again = await decide('support', remedy.reimbursement.id, {
      decision: 'rejected',
      reason: 'no',
      expectedVersion: 2,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'REIMBURSEMENT_ALREADY_DECIDED' } });
    // One remedy per claim.
    const second = await perform(claimId, refund);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: { code: 'DEALER_REMEDY_EXISTS' } });
  });

  it('says a sale was refunded once the money is back: at the counter, not while support has yet to approve', async () => {
    const readSale = async (purchaseId: string) => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/purchases/${purchaseId}`,
        headers: as('dealer'),
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ refundedOn: string | null }>();
    };
    const sale = async (price?: null) =>
      insertPurchase(t.db.db, {
        productId: p.productId,
        dealerId: p.dealer(0),
        endUserId: p.endUser(0),
        daysAgo: 3,
        ...(price === null ? { price: null } : {}),
      });
    const atCounter = await sale();
    expect((await readSale(atCounter)).refundedOn).toBeNull();
    const claimId = await claimOn(t.app, t.db.db, atCounter, p.endUser(0));
    expect((await perform(claimId, refund)).statusCode).toBe(201);
    expect((await readSale(atCounter)).refundedOn).toBe('2026-11-25');
    // The dealer's list says so too, and so does the buyer's.
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/purchases?limit=200',
      headers: as('dealer'),
    });
    expect(
      list
        .json<{ items: { id: string; refundedOn: string | null }[] }>()
        .items.find((x) => x.id === atCounter),
    ).toMatchObject({
      refundedOn: '2026-11-25',
    });
    // A sale recorded without its price: the refund waits for support's approval, and until then the
    // money has not moved on the dealer's word alone — the sale is not shown refunded.
    const unpriced = await sale(null);
    const waiting = await claimOn(t.app, t.db.db, unpriced, p.endUser(0));
    const awaiting = await perform(waiting, refund);
    expect(awaiting.statusCode, awaiting.body).toBe(201);
    expect(awaiting.json<{ approval: string }>().approval).toBe('awaiting');
    expect((await readSale(unpriced)).refundedOn).toBeNull();
  });

  it('lets a customer choose any dealer by name and city, and tells nobody a dealer’s contact', async () => {
    const directory = await t.app.inject({
      method: 'GET',
      url: '/api/v1/dealers/directory',
      headers: as('customer'),
    });
    expect(directory.statusCode, directory.body).toBe(200);
    const entries = directory.json<Record<string, unknown>[]>();
    // Every dealer of the maker, not only those the customer bought from; nothing but its names and city.
    expect(entries.length).toBe(await t.db.db.$count(dealers));
    for (const entry of entries) expect(Object.keys(entry).sort()).toEqual(['city', 'id', 'name', 'nameZh']);
    // The full record (e-mail, phone) stays with staff: a customer is refused it.
    const full = await t.app.inject({ method: 'GET', url: '/api/v1/dealers', headers: as('customer') });
    expect(full.statusCode).toBe(403);
    // A dealer has no business choosing another dealer; an anonymous visitor must sign in.
    const asDealer = await t.app.inject({
      method: 'GET',
      url: '/api/v1/dealers/directory',
      headers: as('dealer'),
    });
    expect(asDealer.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/dealers/directory' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('replaces at the dealer on day 30, asking back what the new unit cost', async () => {
    const claimId = await claimAtDay(30);
    await insertUnit(t.db.db, { serial: 'BMS24-TEST-NEW', productId: p.productId });
    const res = await perform(claimId, {
      kind: 'replacement',
      returnedSerial: 'BMS24-TEST-OLD',
      replacementSerial: 'BMS24-TEST-NEW',
      reimbursement: { amountMinor: 45_000, currency: 'CNY' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      kind: 'replacement',
      replacementSerial: 'BMS24-TEST-NEW',
      refund: null,
      warrantyFrom: TODAY.subtract({ days: 30 }).toString(),
      claim: { status: 'resolved', chosenRemedy: 'replacement' },
      reimbursement: { status: 'pending', amount: { amountMinor: 45_000, currency: 'CNY' } },
    });
  });

  it('refuses a refund on day 8 and a replacement on day 61, quoting the clause that limits it', async () => {
    const day8 = await claimAtDay(8);
    const refused = await perform(day8, refund);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: {
        code: 'REMEDY_NOT_OFFERED',
        details: { window: '60_days', daysSincePurchase: 8, offered: ['replacement', 'service_center'] },
      },
    });
    expect(refused.json<{ error: { message: string } }>().error.message).toContain('Terminal clients 2:');
    const inChinese = await perform(day8, refund, 'zh');
    expect(inChinese.json<{ error: { message: string } }>().error.message).toContain('终端客户第 2 条');

    const day61 = await claimAtDay(61);
    const late = await perform(day61, { kind: 'replacement', replacementSerial: 'NEW-1' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      error: { code: 'REMEDY_NOT_OFFERED', details: { window: '1_year' } },
    });
    expect(late.json<{ error: { message: string } }>().error.message).toContain('Terminal clients 3:');

    for (const claimId of [day8, day61]) {
      expect(await t.db.db.select().from(dealerRemedies).where(eq(dealerRemedies.claimId, claimId))).toEqual(
        [],
      );
      const [claim] = await t.db.db.select().from(claims).where(eq(claims.id, claimId));
      expect(claim).toMatchObject({ status: 'open', chosenRemedy: null });
    }
  });

  it('hides another dealer’s sale behind a 404, and refuses malformed remedies with a 400', async () => {
    const theirs = await claimAtDay(3, 1);
    const res = await perform(theirs, refund);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'CLAIM_NOT_FOUND' } });
    const mine = await claimAtDay(3);
    for (const payload of [
      { kind: 'refund' },
      { kind: 'refund', refund: { amountMinor: 1.5, currency: 'CNY' } },
      { kind: 'refund', refund: { amountMinor: 100, currency: 'yuan' } },
      { kind: 'replacement', refund: { amountMinor: 100, currency: 'CNY' } },
      { kind: 'swap', replacementSerial: 'X' },
    ]) {
      const bad = await perform(mine, payload);
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const customer = await t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${mine}/dealer-remedy`,
      headers: as('customer'),
      payload: refund,
    });
    expect(customer.statusCode).toBe(403);
  });

  it('lets one of two agents deciding at once win; the other, and a stale version, get 409', async () => {
    const claimId = await claimAtDay(4);
    const { reimbursement } = (await perform(claimId, refund)).json<{ reimbursement: Reimbursement }>();
    const noReason = await decide('support', reimbursement.id, { decision: 'rejected', expectedVersion: 1 });
    expect(noReason.statusCode).toBe(400);

    const [a, b] = await Promise.all([
      decide('support', reimbursement.id, { decision: 'approved', expectedVersion: 1 }),
      decide('secondSupport', reimbursement.id, {
        decision: 'rejected',
        reason: 'receipt unreadable',
        expectedVersion: 1,
      }),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json()).toMatchObject({
      error: { code: 'VERSION_CONFLICT', details: { currentVersion: 2 } },
    });
    const [row] = await t.db.db
      .select()
      .from(reimbursementClaims)
      .where(eq(reimbursementClaims.id, reimbursement.id));
    expect(row?.version).toBe(2);
    const decisions = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, reimbursement.id));
    expect(decisions).toHaveLength(2);

    const stale = await decide('support', reimbursement.id, { decision: 'approved', expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'VERSION_CONFLICT' } });
  });

  it('records one remedy when the counter submits twice at once', async () => {
    const claimId = await claimAtDay(6);
    const results = await Promise.all([perform(claimId, refund), perform(claimId, refund)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)?.json()).toMatchObject({
      error: { code: 'DEALER_REMEDY_EXISTS' },
    });
    expect(
      await t.db.db.select().from(dealerRemedies).where(eq(dealerRemedies.claimId, claimId)),
    ).toHaveLength(1);
  });

  it('lists support every dealer’s requests and a dealer only its own', async () => {
    const theirs = await claimAtDay(2, 1);
    // Recorded as the other dealer would: straight through the use case is not open to our dealer.
    const { performDealerRemedy } = await import('../../src/app/dealer-remedies/perform-dealer-remedy.js');
    const other = await performDealerRemedy(
      {
        db: t.db.db,
        now: () => t.app.clock(),
        storeTimeZone: t.app.config.storeTimeZone,
        messageKey: t.app.messageKey,
        publicUrl: t.app.config.publicUrl,
      },
      { userId: 'other-dealer', role: 'dealer', scope: { dealerId: p.dealer(1) } },
      theirs,
      { kind: 'refund', refund: { amountMinor: 100, currency: 'CNY' } },
      'en',
    );
    const all = await t.app.inject({ method: 'GET', url: '/api/v1/reimbursements', headers: as('support') });
    expect(all.json<{ items: Reimbursement[] }>().items.map((r) => r.id)).toContain(other.reimbursement.id);
    const own = await t.app.inject({ method: 'GET', url: '/api/v1/reimbursements', headers: as('dealer') });
    expect(own.json<{ items: Reimbursement[] }>().items.map((r) => r.id)).not.toContain(
      other.reimbursement.id,
    );
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/reimbursements/${other.reimbursement.id}`,
      headers: as('dealer'),
    });
    expect(one.statusCode).toBe(404);
  });
});
