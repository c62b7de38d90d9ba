import { randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import {
  accounts,
  approvals,
  auditEvents,
  claims,
  CREDENTIAL_PROVIDER,
  dealerRemedies,
  outbox,
  products,
  purchases,
  reimbursementClaims,
  units,
  users,
} from '../../src/db/schema.js';
import { DEMO_PASSWORD, DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import {
  claimOn,
  type DemoParties,
  demoParties,
  insertPurchase,
  insertUnit,
  lenientRiskSettings,
  TODAY,
} from '../support/service-fixtures.js';
import { demoSession, ORIGIN, sessionCookie, signIn } from '../support/sessions.js';

/*
 * Issue 14, items 2 and 3: the attacks the pen test found, each ending with no money moved and a 4xx
 * code, or the money waiting for a second person. The unit registry is the truth for replacements and
 * returns; one sale has one free remedy chain; amounts are bounded by the sale's price and the
 * catalogue price; above the four-eyes threshold a second person approves, never the requester.
 */

async function staffSession(db: Database, app: FastifyInstance, role: 'support' | 'admin', name: string) {
  const id = randomUUID();
  const email = `${name}@halotek.example.com`;
  await db.insert(users).values({ id, name, email, emailVerified: true, role });
  await db.insert(accounts).values({
    id: randomUUID(),
    accountId: id,
    providerId: CREDENTIAL_PROVIDER,
    userId: id,
    password: await hashPassword(DEMO_PASSWORD),
  });
  return sessionCookie((await signIn(app, email)).headers['set-cookie']);
}

type Remedy = {
  id: string;
  approval: string;
  approvalId: string | null;
  warrantyFrom: string;
  claim: { status: string };
  reimbursement: { id: string; status: string; version: number };
};
type ApprovalRow = { id: string; state: string; version: number; kind: string; reasons: string[] };

describe.each(testDatabases())('trust in dealer remedies on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = { dealer: '', support: '', support2: '', admin: '', sales: '', customer: '' };
  let p: DemoParties;
  const sku: Record<string, string> = {};

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    // Many claims for one demo customer in a day: the fraud rules would hold them (risk-reviews.test.ts).
    await lenientRiskSettings(t.db.db);
    for (const role of ['dealer', 'support', 'admin', 'sales', 'customer'] as const) {
      cookies[role] = await demoSession(t.app, role);
    }
    cookies.support2 = await staffSession(t.db.db, t.app, 'support', 'zhou.yan');
    p = await demoParties(t.db.db);
    for (const row of await t.db.db.select({ id: products.id, sku: products.sku }).from(products)) {
      sku[row.sku] = row.id;
    }
    // CN¥500.00 for these tests, set as an admin would (the default is CN¥2,000.00).
    const set = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/four-eyes',
      headers: as('admin'),
      payload: { thresholds: { CNY: 50_000 } },
    });
    expect(set.statusCode, set.body).toBe(200);
  });

  const as = (role: keyof typeof cookies) => ({ origin: ORIGIN, cookie: cookies[role] });
  let serials = 0;
  const serial = (prefix: string) => `${prefix}-T${String(++serials).padStart(4, '0')}`;

  /** A sale of the demo dealer, `daysAgo` days ago, with a claim reported today. */
  const saleWithClaim = async (options: {
    daysAgo: number;
    productSku?: string;
    price?: { amountMinor: number; currency: string } | null;
    unitSerial?: string;
  }) => {
    const productId = options.productSku ? (sku[options.productSku] ?? '') : p.productId;
    const unitId = options.unitSerial
      ? await insertUnit(t.db.db, { serial: options.unitSerial, productId, state: 'sold' })
      : null;
    const purchaseId = await insertPurchase(t.db.db, {
      productId,
      dealerId: p.dealer(0),
      endUserId: p.endUser(0),
      daysAgo: options.daysAgo,
      price: options.price,
      unitId,
    });
    return { purchaseId, claimId: await claimOn(t.app, t.db.db, purchaseId, p.endUser(0)) };
  };
  const perform = (claimId: string, payload: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${claimId}/dealer-remedy`,
      headers: as('dealer'),
      payload,
    });
  const decideReimbursement = (role: keyof typeof cookies, id: string, payload: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/reimbursements/${id}/decision`,
      headers: as(role),
      payload,
    });
  const decideApproval = (role: keyof typeof cookies, id: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/approvals/${id}/decision`, headers: as(role), payload });

  /** Nothing of a refused remedy is left: no remedy, no reimbursement, the claim open. */
  const expectNothingMoved = async (claimId: string) => {
    const remedies = await t.db.db.select().from(dealerRemedies).where(eq(dealerRemedies.claimId, claimId));
    expect(remedies).toEqual([]);
    const [claim] = await t.db.db.select().from(claims).where(eq(claims.id, claimId));
    expect(claim).toMatchObject({ status: 'open', chosenRemedy: null });
  };
  const reimbursementsOfPurchase = async (purchaseId: string) =>
    t.db.db
      .select({ id: reimbursementClaims.id })
      .from(reimbursementClaims)
      .innerJoin(dealerRemedies, eq(dealerRemedies.id, reimbursementClaims.dealerRemedyId))
      .innerJoin(claims, eq(claims.id, dealerRemedies.claimId))
      .where(eq(claims.purchaseId, purchaseId));
  const unitState = async (s: string) =>
    (await t.db.db.select({ state: units.state }).from(units).where(eq(units.serial, s)))[0]?.state;

  describe('the unit registry is the truth for replacements', () => {
    it('refuses a DC power panel handed over as the same-type replacement of a headset', async () => {
      const { claimId } = await saleWithClaim({ daysAgo: 20, productSku: DEMO_SKUS.headset });
      const panel = serial('DCP');
      await insertUnit(t.db.db, { serial: panel, productId: sku[DEMO_SKUS.dcPowerPanel] ?? '' });
      const res = await perform(claimId, {
        kind: 'replacement',
        replacementSerial: panel,
        reimbursement: { amountMinor: 20_000, currency: 'CNY' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: {
          code: 'REPLACEMENT_WRONG_PRODUCT',
          details: { expectedSku: DEMO_SKUS.headset, unitSku: DEMO_SKUS.dcPowerPanel },
        },
      });
      await expectNothingMoved(claimId);
      expect(await unitState(panel)).toBe('in_stock');
    });

    it('refuses an unknown serial, a sold unit and a unit already handed over to someone else', async () => {
      const { claimId } = await saleWithClaim({ daysAgo: 20 });
      const unknown = await perform(claimId, { kind: 'replacement', replacementSerial: 'NOBODY-KNOWS-1' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ error: { code: 'REPLACEMENT_UNKNOWN_SERIAL' } });
      // Sold: another customer's unit (a sale recorded with its serial).
      const sold = serial('BMS');
      await saleWithClaim({ daysAgo: 2, unitSerial: sold });
      const soldRes = await perform(claimId, { kind: 'replacement', replacementSerial: sold });
      expect(soldRes.statusCode).toBe(409);
      expect(soldRes.json()).toMatchObject({ error: { code: 'REPLACEMENT_UNIT_SOLD' } });
      // Already a replacement: handed over on another claim first.
      const fresh = serial('BMS');
      await insertUnit(t.db.db, { serial: fresh, productId: p.productId });
      const other = await saleWithClaim({ daysAgo: 15 });
      expect(
        (await perform(other.claimId, { kind: 'replacement', replacementSerial: fresh })).statusCode,
      ).toBe(201);
      expect(await unitState(fresh)).toBe('replacement');
      const taken = await perform(claimId, { kind: 'replacement', replacementSerial: fresh });
      expect(taken.statusCode).toBe(409);
      expect(taken.json()).toMatchObject({ error: { code: 'REPLACEMENT_UNIT_TAKEN' } });
      await expectNothingMoved(claimId);
    });

    it('hands one unit in stock to one of two counters replacing at once', async () => {
      const fresh = serial('BMS');
      await insertUnit(t.db.db, { serial: fresh, productId: p.productId });
      const a = await saleWithClaim({ daysAgo: 10 });
      const b = await saleWithClaim({ daysAgo: 11 });
      const results = await Promise.all([
        perform(a.claimId, { kind: 'replacement', replacementSerial: fresh }),
        perform(b.claimId, { kind: 'replacement', replacementSerial: fresh }),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.statusCode === 409)?.json()).toMatchObject({
        error: { code: 'REPLACEMENT_UNIT_TAKEN' },
      });
      const [unit] = await t.db.db.select().from(units).where(eq(units.serial, fresh));
      const holders = await t.db.db
        .select()
        .from(purchases)
        .where(eq(purchases.unitId, unit?.id ?? ''));
      expect(holders).toHaveLength(1);
    });

    it('takes back only the sale’s own unit, once; a returned unit is never returned or sold again', async () => {
      const own = serial('BMS');
      const { claimId } = await saleWithClaim({ daysAgo: 3, unitSerial: own });
      const wrong = await perform(claimId, {
        kind: 'refund',
        returnedSerial: 'SOMEONE-ELSES-1',
        refund: { amountMinor: 10_000, currency: 'CNY' },
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json()).toMatchObject({
        error: { code: 'RETURNED_SERIAL_MISMATCH', details: { expected: own } },
      });
      await expectNothingMoved(claimId);

      const ok = await perform(claimId, { kind: 'refund', refund: { amountMinor: 10_000, currency: 'CNY' } });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json()).toMatchObject({ returnedSerial: own, approval: 'none' });
      expect(await unitState(own)).toBe('returned');

      // The same serial brought back on two more sales recorded without a serial: refused each time.
      for (const _ of [1, 2]) {
        const again = await saleWithClaim({ daysAgo: 4 });
        const res = await perform(again.claimId, {
          kind: 'refund',
          returnedSerial: own,
          refund: { amountMinor: 10_000, currency: 'CNY' },
        });
        expect(res.statusCode).toBe(409);
        expect(res.json()).toMatchObject({ error: { code: 'UNIT_ALREADY_RETURNED' } });
        await expectNothingMoved(again.claimId);
      }
      // An unknown serial returned on a sale without one enters the registry as returned, once.
      const loose = serial('LOOSE');
      const first = await saleWithClaim({ daysAgo: 4 });
      const second = await saleWithClaim({ daysAgo: 4 });
      const refund = {
        kind: 'refund',
        returnedSerial: loose,
        refund: { amountMinor: 10_000, currency: 'CNY' },
      };
      expect((await perform(first.claimId, refund)).statusCode).toBe(201);
      expect(await unitState(loose)).toBe('returned');
      const twice = await perform(second.claimId, refund);
      expect(twice.json()).toMatchObject({ error: { code: 'UNIT_ALREADY_RETURNED' } });

      // Selling a returned unit again: refused one by one and in an import.
      const sale = await t.app.inject({
        method: 'POST',
        url: '/api/v1/purchases',
        headers: as('dealer'),
        payload: {
          serial: own,
          purchaseDate: TODAY.toString(),
          buyer: { name: 'Resold', phone: '+86 138 0000 0001' },
        },
      });
      expect(sale.statusCode).toBe(409);
      expect(sale.json()).toMatchObject({ error: { code: 'UNIT_RETURNED' } });
      const csv = `serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone\n${loose},,${TODAY.toString()},Resold,,+86 138 0000 0002\n`;
      const imported = await t.app.inject({
        method: 'POST',
        url: '/api/v1/purchases/import',
        headers: { ...as('dealer'), 'content-type': 'text/csv' },
        payload: csv,
      });
      expect(imported.statusCode).toBe(400);
      expect(imported.json()).toMatchObject({
        error: {
          code: 'IMPORT_REJECTED',
          details: { rows: [{ row: 2, field: 'serial', code: 'UNIT_RETURNED' }] },
        },
      });
    });
  });

  describe('one sale, one free remedy chain; the warranty carries on', () => {
    it('replaces a sale once: the new unit keeps the original date, a second and a third claim get nothing', async () => {
      const original = serial('BMS');
      const daysAgo = 40;
      const { purchaseId, claimId } = await saleWithClaim({ daysAgo, unitSerial: original });
      const first = serial('BMS');
      const second = serial('BMS');
      await insertUnit(t.db.db, { serial: first, productId: p.productId });
      await insertUnit(t.db.db, { serial: second, productId: p.productId });
      const res = await perform(claimId, {
        kind: 'replacement',
        replacementSerial: first,
        reimbursement: { amountMinor: 30_000, currency: 'CNY' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const originalDate = TODAY.subtract({ days: daysAgo }).toString();
      expect(res.json<Remedy>()).toMatchObject({ warrantyFrom: originalDate, returnedSerial: original });
      expect(await unitState(original)).toBe('returned');
      expect(await unitState(first)).toBe('replacement');
      // The sale now holds the new unit, with its original date: the warranty clock did not restart.
      const view = await t.app.inject({
        method: 'GET',
        url: `/api/v1/purchases/${purchaseId}`,
        headers: as('support'),
      });
      expect(view.json()).toMatchObject({
        serial: first,
        purchaseDate: originalDate,
        warranty: { daysSincePurchase: daysAgo, window: '60_days' },
      });
      const [message] = (
        await t.db.db.select().from(outbox).where(eq(outbox.topic, 'dealer_remedy.performed'))
      ).filter((m) => m.payload.claimId === claimId);
      expect(message?.body).toContain(`remaining warranty of your purchase of ${originalDate}`);
      expect(message?.body).toContain('保修期不重新计算');

      // Claims two and three, on the replacement unit of the same sale.
      for (const payload of [
        {
          kind: 'replacement',
          replacementSerial: second,
          reimbursement: { amountMinor: 30_000, currency: 'CNY' },
        },
        { kind: 'refund', refund: { amountMinor: 30_000, currency: 'CNY' } },
      ]) {
        const next = await claimOn(t.app, t.db.db, purchaseId, p.endUser(0));
        const refused = await perform(next, payload);
        expect(refused.statusCode).toBe(409);
        expect(refused.json()).toMatchObject({
          error: { code: 'PURCHASE_ALREADY_REMEDIED', details: { claimId } },
        });
        await expectNothingMoved(next);
      }
      expect(await reimbursementsOfPurchase(purchaseId)).toHaveLength(1);
      expect(await unitState(second)).toBe('in_stock');
    });
  });

  describe('amounts are bounded by what was paid and what things cost', () => {
    it('refuses a refund of CN¥21 million on a CN¥899 sale, and a refund in another currency', async () => {
      const { purchaseId, claimId } = await saleWithClaim({ daysAgo: 2 });
      const huge = await perform(claimId, {
        kind: 'refund',
        refund: { amountMinor: 2_100_000_000, currency: 'CNY' },
      });
      expect(huge.statusCode).toBe(400);
      expect(huge.json()).toMatchObject({
        error: {
          code: 'REFUND_ABOVE_PRICE',
          details: { field: 'refund', limit: { amountMinor: 89_900, currency: 'CNY' } },
        },
      });
      const usd = await perform(claimId, { kind: 'refund', refund: { amountMinor: 100, currency: 'USD' } });
      expect(usd.json()).toMatchObject({ error: { code: 'REFUND_CURRENCY_MISMATCH' } });
      await expectNothingMoved(claimId);
      expect(await reimbursementsOfPurchase(purchaseId)).toEqual([]);
    });

    it('refuses a reimbursement above the catalogue price, or above the refund', async () => {
      const fresh = serial('BMS');
      await insertUnit(t.db.db, { serial: fresh, productId: p.productId });
      const { claimId } = await saleWithClaim({ daysAgo: 12 });
      const above = await perform(claimId, {
        kind: 'replacement',
        replacementSerial: fresh,
        reimbursement: { amountMinor: 2_100_000_000, currency: 'CNY' },
      });
      expect(above.statusCode).toBe(400);
      expect(above.json()).toMatchObject({ error: { code: 'REIMBURSEMENT_ABOVE_CATALOGUE_PRICE' } });
      expect(await unitState(fresh)).toBe('in_stock');
      const refundClaim = await saleWithClaim({ daysAgo: 2 });
      const moreThanRefund = await perform(refundClaim.claimId, {
        kind: 'refund',
        refund: { amountMinor: 10_000, currency: 'CNY' },
        reimbursement: { amountMinor: 20_000, currency: 'CNY' },
      });
      expect(moreThanRefund.json()).toMatchObject({ error: { code: 'REIMBURSEMENT_ABOVE_REFUND' } });
      await expectNothingMoved(claimId);
      await expectNothingMoved(refundClaim.claimId);
    });

    it('holds a refund of a sale without a price for support; rejected, it never happened', async () => {
      const { claimId } = await saleWithClaim({ daysAgo: 3, price: null });
      const res = await perform(claimId, {
        kind: 'refund',
        refund: { amountMinor: 20_000, currency: 'CNY' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const remedy = res.json<Remedy>();
      expect(remedy).toMatchObject({ approval: 'awaiting', claim: { status: 'open' } });
      // The dealer sees it waiting; support cannot pay the reimbursement of a refund still waiting.
      const mine = await t.app.inject({
        method: 'GET',
        url: '/api/v1/approvals?state=pending',
        headers: as('dealer'),
      });
      expect(mine.json<ApprovalRow[]>().find((a) => a.id === remedy.approvalId)).toMatchObject({
        kind: 'dealer_refund',
        reasons: ['no_sale_price'],
      });
      const early = await decideReimbursement('support', remedy.reimbursement.id, {
        decision: 'approved',
        expectedVersion: 1,
      });
      expect(early.statusCode).toBe(409);
      expect(early.json()).toMatchObject({ error: { code: 'REMEDY_AWAITING_APPROVAL' } });
      // A dealer may not approve its own refund (its role may not decide at all).
      expect(
        (
          await decideApproval('dealer', remedy.approvalId ?? '', {
            decision: 'approved',
            expectedVersion: 1,
          })
        ).statusCode,
      ).toBe(403);

      const rejected = await decideApproval('support', remedy.approvalId ?? '', {
        decision: 'rejected',
        reason: 'no receipt for the price',
        expectedVersion: 1,
      });
      expect(rejected.statusCode, rejected.body).toBe(200);
      const [claim] = await t.db.db.select().from(claims).where(eq(claims.id, claimId));
      expect(claim?.status).toBe('open');
      const [reimbursement] = await t.db.db
        .select()
        .from(reimbursementClaims)
        .where(eq(reimbursementClaims.id, remedy.reimbursement.id));
      expect(reimbursement?.status).toBe('rejected');
      // The claim is free for a refund the dealer can back with the price.
      const retry = await perform(claimId, {
        kind: 'refund',
        refund: { amountMinor: 20_000, currency: 'CNY' },
      });
      expect(retry.statusCode, retry.body).toBe(201);
      expect(retry.json()).toMatchObject({ approval: 'awaiting' });
      const approved = await decideApproval('support', retry.json<Remedy>().approvalId ?? '', {
        decision: 'approved',
        expectedVersion: 1,
      });
      expect(approved.statusCode, approved.body).toBe(200);
      const [done] = await t.db.db.select().from(claims).where(eq(claims.id, claimId));
      expect(done).toMatchObject({ status: 'resolved', chosenRemedy: 'refund' });
    });

    it('holds a refund above the threshold for a second person', async () => {
      const { claimId } = await saleWithClaim({
        daysAgo: 3,
        productSku: DEMO_SKUS.dcPowerPanel,
        price: { amountMinor: 1_280_000, currency: 'CNY' },
      });
      const res = await perform(claimId, {
        kind: 'refund',
        refund: { amountMinor: 1_280_000, currency: 'CNY' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const remedy = res.json<Remedy>();
      expect(remedy).toMatchObject({ approval: 'awaiting', claim: { status: 'open' } });
      const [row] = await t.db.db
        .select()
        .from(approvals)
        .where(eq(approvals.id, remedy.approvalId ?? ''));
      expect(row).toMatchObject({ kind: 'dealer_refund', state: 'pending', reasons: ['above_threshold'] });
      // Support agrees: the refund counts, the claim is resolved, and its reimbursement is decided next.
      const approved = await decideApproval('support', remedy.approvalId ?? '', {
        decision: 'approved',
        expectedVersion: 1,
      });
      expect(approved.statusCode, approved.body).toBe(200);
      const [claim] = await t.db.db.select().from(claims).where(eq(claims.id, claimId));
      expect(claim).toMatchObject({ status: 'resolved', chosenRemedy: 'refund' });
      const again = await decideApproval('support2', remedy.approvalId ?? '', {
        decision: 'rejected',
        reason: 'late',
        expectedVersion: 2,
      });
      expect(again.json()).toMatchObject({ error: { code: 'APPROVAL_ALREADY_DECIDED' } });
    });
  });

  describe('four eyes on reimbursements', () => {
    /** A replacement of the battery monitor asking back CN¥800.00 (above the CN¥500.00 threshold). */
    const bigReimbursement = async () => {
      const fresh = serial('BMS');
      await insertUnit(t.db.db, { serial: fresh, productId: p.productId });
      const { claimId } = await saleWithClaim({ daysAgo: 9 });
      const res = await perform(claimId, {
        kind: 'replacement',
        replacementSerial: fresh,
        reimbursement: { amountMinor: 80_000, currency: 'CNY' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<Remedy>().reimbursement;
    };
    const approvalOf = async (reimbursementId: string) => {
      const [row] = await t.db.db
        .select()
        .from(approvals)
        .where(and(eq(approvals.kind, 'reimbursement'), eq(approvals.subjectId, reimbursementId)));
      if (!row) throw new Error('no approval');
      return row;
    };

    it('keeps a reimbursement approved by one person waiting; the requester cannot approve it again', async () => {
      const reimbursement = await bigReimbursement();
      const first = await decideReimbursement('support', reimbursement.id, {
        decision: 'approved',
        expectedVersion: 1,
      });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ status: 'awaiting_approval', decidedAt: null });
      const approval = await approvalOf(reimbursement.id);
      // The same agent, through either door.
      const self = await decideApproval('support', approval.id, { decision: 'approved', expectedVersion: 1 });
      expect(self.statusCode).toBe(409);
      expect(self.json()).toMatchObject({ error: { code: 'APPROVAL_SELF_DECISION' } });
      const again = await decideReimbursement('support', reimbursement.id, {
        decision: 'approved',
        expectedVersion: 2,
      });
      expect(again.json()).toMatchObject({ error: { code: 'REIMBURSEMENT_AWAITING_APPROVAL' } });
      // Sales may approve OEM credits, not dealers' reimbursements.
      const sales = await decideApproval('sales', approval.id, { decision: 'approved', expectedVersion: 1 });
      expect(sales.statusCode).toBe(403);
      expect(sales.json()).toMatchObject({ error: { code: 'APPROVER_ROLE_NOT_ALLOWED' } });
      const [still] = await t.db.db
        .select()
        .from(reimbursementClaims)
        .where(eq(reimbursementClaims.id, reimbursement.id));
      expect(still).toMatchObject({ status: 'awaiting_approval', decidedAt: null });

      const second = await decideApproval('support2', approval.id, {
        decision: 'approved',
        expectedVersion: 1,
      });
      expect(second.statusCode, second.body).toBe(200);
      const [paid] = await t.db.db
        .select()
        .from(reimbursementClaims)
        .where(eq(reimbursementClaims.id, reimbursement.id));
      expect(paid?.status).toBe('approved');
      const audit = await t.db.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.entityId, reimbursement.id));
      expect(audit.map((a) => a.action)).toEqual([
        'reimbursement.requested',
        'reimbursement.first_approval',
        'reimbursement.approved',
      ]);
    });

    it('lets one of two approvers racing decide; the other gets a 409', async () => {
      const reimbursement = await bigReimbursement();
      await decideReimbursement('support', reimbursement.id, { decision: 'approved', expectedVersion: 1 });
      const approval = await approvalOf(reimbursement.id);
      const results = await Promise.all([
        decideApproval('support2', approval.id, { decision: 'approved', expectedVersion: 1 }),
        decideApproval('admin', approval.id, {
          decision: 'rejected',
          reason: 'too much',
          expectedVersion: 1,
        }),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const decided = await t.db.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.entityId, approval.id),
            inArray(auditEvents.action, ['approval.approved', 'approval.rejected']),
          ),
        );
      expect(decided).toHaveLength(1);
      const [row] = await t.db.db
        .select()
        .from(reimbursementClaims)
        .where(eq(reimbursementClaims.id, reimbursement.id));
      expect(['approved', 'rejected']).toContain(row?.status);
    });

    it('approves a small reimbursement with one person, as before', async () => {
      const fresh = serial('BMS');
      await insertUnit(t.db.db, { serial: fresh, productId: p.productId });
      const { claimId } = await saleWithClaim({ daysAgo: 9 });
      const res = await perform(claimId, {
        kind: 'replacement',
        replacementSerial: fresh,
        reimbursement: { amountMinor: 20_000, currency: 'CNY' },
      });
      const { reimbursement } = res.json<Remedy>();
      const ok = await decideReimbursement('support', reimbursement.id, {
        decision: 'approved',
        expectedVersion: 1,
      });
      expect(ok.json()).toMatchObject({ status: 'approved' });
    });

    it('sends a reimbursement for a product without a catalogue price to a second person, however small', async () => {
      const priceless = await t.db.db
        .insert(products)
        .values({ sku: `NOPRICE-${serials}`, nameEn: 'Unpriced', nameZh: '无价', category: 'inverter' })
        .returning({ id: products.id });
      const productId = priceless[0]?.id ?? '';
      const fresh = serial('NOPRICE');
      await insertUnit(t.db.db, { serial: fresh, productId });
      const purchaseId = await insertPurchase(t.db.db, {
        productId,
        dealerId: p.dealer(0),
        endUserId: p.endUser(0),
        daysAgo: 9,
      });
      const claimId = await claimOn(t.app, t.db.db, purchaseId, p.endUser(0));
      const res = await perform(claimId, {
        kind: 'replacement',
        replacementSerial: fresh,
        reimbursement: { amountMinor: 100, currency: 'CNY' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const { reimbursement } = res.json<Remedy>();
      const first = await decideReimbursement('support', reimbursement.id, {
        decision: 'approved',
        expectedVersion: 1,
      });
      expect(first.json()).toMatchObject({ status: 'awaiting_approval' });
      expect((await approvalOf(reimbursement.id)).reasons).toEqual(['no_catalogue_price']);
    });

    it('lets only admins read and set the threshold, audited', async () => {
      const support = await t.app.inject({
        method: 'GET',
        url: '/api/v1/settings/four-eyes',
        headers: as('support'),
      });
      expect(support.statusCode).toBe(403);
      const admin = await t.app.inject({
        method: 'GET',
        url: '/api/v1/settings/four-eyes',
        headers: as('admin'),
      });
      expect(admin.json()).toEqual({ thresholds: { CNY: 50_000 } });
      const audit = await t.db.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.action, 'settings.four_eyes_changed'));
      expect(audit[0]?.data).toMatchObject({ before: { CNY: 200_000 }, after: { CNY: 50_000 } });
    });
  });

  it('lets sales keep catalogue prices; a dealer may not', async () => {
    const id = sku[DEMO_SKUS.inverter] ?? '';
    const set = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/products/${id}/price`,
      headers: as('sales'),
      payload: { price: { amountMinor: 520_000, currency: 'CNY' } },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      sku: DEMO_SKUS.inverter,
      price: { amountMinor: 520_000, currency: 'CNY' },
    });
    const dealer = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/products/${id}/price`,
      headers: as('dealer'),
      payload: { price: null },
    });
    expect(dealer.statusCode).toBe(403);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/products/prices', headers: as('sales') });
    expect(
      list.json<{ sku: string; price: unknown }[]>().find((r) => r.sku === DEMO_SKUS.inverter)?.price,
    ).toEqual({
      amountMinor: 520_000,
      currency: 'CNY',
    });
  });

  it('records the price of a sale, one by one and in an import', async () => {
    const one = await t.app.inject({
      method: 'POST',
      url: '/api/v1/purchases',
      headers: as('dealer'),
      payload: {
        sku: DEMO_SKUS.headset,
        purchaseDate: TODAY.toString(),
        buyer: { name: 'Priced', phone: '+86 138 0000 0100' },
        price: { amountMinor: 29_900, currency: 'CNY' },
      },
    });
    expect(one.statusCode, one.body).toBe(201);
    expect(one.json()).toMatchObject({ price: { amountMinor: 29_900, currency: 'CNY' } });
    const csv =
      'serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone,price,currency\n' +
      `,${DEMO_SKUS.headset},${TODAY.toString()},Priced Two,,+86 138 0000 0101,299.00,CNY\n` +
      `,${DEMO_SKUS.headset},${TODAY.toString()},Unpriced,,+86 138 0000 0102,,\n`;
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/v1/purchases/import',
      headers: { ...as('dealer'), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const rows = await t.db.db
      .select({ name: purchases.buyerName, price: purchases.priceMinor, currency: purchases.currency })
      .from(purchases)
      .where(inArray(purchases.buyerName, ['Priced Two', 'Unpriced']));
    expect(rows.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))).toEqual([
      { name: 'Priced Two', price: 29_900, currency: 'CNY' },
      { name: 'Unpriced', price: null, currency: null },
    ]);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/purchases/import',
      headers: { ...as('dealer'), 'content-type': 'text/csv' },
      payload:
        'serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone,price,currency\n' +
        `,${DEMO_SKUS.headset},${TODAY.toString()},Bad,,+86 138 0000 0103,2.999,CNY\n` +
        `,${DEMO_SKUS.headset},${TODAY.toString()},Bad,,+86 138 0000 0104,10,\n`,
    });
    expect(bad.json()).toMatchObject({
      error: {
        code: 'IMPORT_REJECTED',
        details: {
          rows: [
            { row: 2, field: 'price', code: 'INVALID_PRICE' },
            { row: 3, field: 'currency', code: 'CURRENCY_REQUIRED' },
          ],
        },
      },
    });
  });
});
