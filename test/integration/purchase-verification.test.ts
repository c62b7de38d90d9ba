import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, ne } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accounts,
  auditEvents,
  claims,
  dealerRemedies,
  dealers,
  endUsers,
  events,
  maintenanceOrders,
  outbox,
  products,
  purchases,
  units,
  users,
} from '../../src/db/schema.js';
import {
  DEMO_ACCOUNTS,
  DEMO_DEALERS,
  DEMO_END_USERS,
  DEMO_REGISTRATION,
  DEMO_SKUS,
  seedDemoData,
} from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import type { ErrorResponse } from '../../src/http/errors.js';
import type { Purchase } from '../../src/http/purchases/schemas.js';
import { lenientRiskSettings } from '../support/service-fixtures.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN, sessionCookie, signIn } from '../support/sessions.js';

/*
 * Issue 14, purchase verification: the pen test's attack — a product registered with today's date, a
 * dealer of the customer's choosing and any image as the receipt (the same bytes again as a second
 * "proof"), a claim on it and a refund carried out — and its variants. Each ends with no remedy carried
 * out and a 4xx code, or the purchase waiting for a check by someone other than the customer.
 */

const TODAY = Temporal.PlainDate.from('2026-11-25');

/** The smallest valid PNG; each receipt gets trailing bytes of its own unless it is meant to repeat. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

function multipart(file: Buffer) {
  const boundary = '----aftersales-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="receipt.png"\r\n` +
      `Content-Type: image/png\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

type Caller = Role | 'customer2';

describe.each(testDatabases())('purchase verification on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Caller, string>();
  const ids = { ownDealer: '', otherDealer: '', liWei: '', zhangMin: '', headset: '', panel: '' };

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    // Li Wei registers and claims on many products here in one day: the fraud rules would rightly hold
    // them for review (risk-reviews.test.ts); this suite is about verification alone.
    await lenientRiskSettings(t.db.db);
    for (const role of ['admin', 'support', 'dealer', 'customer'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    const dealerRows = await t.db.db.select().from(dealers);
    ids.ownDealer = dealerRows.find((d) => d.name === DEMO_DEALERS[0].name)?.id ?? '';
    ids.otherDealer = dealerRows.find((d) => d.name === DEMO_DEALERS[1].name)?.id ?? '';
    const people = await t.db.db.select().from(endUsers);
    ids.liWei = people.find((p) => p.name === DEMO_END_USERS[0].name)?.id ?? '';
    ids.zhangMin = people.find((p) => p.name === DEMO_END_USERS[1].name)?.id ?? '';
    const productRows = await t.db.db.select().from(products);
    ids.headset = productRows.find((p) => p.sku === DEMO_SKUS.headset)?.id ?? '';
    ids.panel = productRows.find((p) => p.sku === DEMO_SKUS.dcPowerPanel)?.id ?? '';

    // A second customer account (Zhang Min's), signing in with the demo password, to race the first.
    const customer = DEMO_ACCOUNTS.find((a) => a.role === 'customer')?.email ?? '';
    const [liWeiUser] = await t.db.db.select().from(users).where(eq(users.email, customer));
    const [liWeiAccount] = await t.db.db
      .select()
      .from(accounts)
      .where(eq(accounts.userId, liWeiUser?.id ?? ''));
    const userId = randomUUID();
    await t.db.db.insert(users).values({
      id: userId,
      name: 'Zhang Min',
      email: 'zhang.min@example.com',
      emailVerified: true,
      role: 'customer',
      endUserId: ids.zhangMin,
    });
    await t.db.db.insert(accounts).values({
      id: randomUUID(),
      accountId: userId,
      providerId: liWeiAccount?.providerId ?? 'credential',
      userId,
      password: liWeiAccount?.password ?? '',
    });
    const signedIn = await signIn(t.app, 'zhang.min@example.com');
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    cookies.set('customer2', sessionCookie(signedIn.headers['set-cookie']));
  });

  const api = (caller: Caller, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { origin: ORIGIN, cookie: cookies.get(caller) ?? '' },
      ...(payload === undefined ? {} : { payload }),
    });
  const codeOf = (res: LightMyRequestResponse) => res.json<ErrorResponse>().error.code;

  /** A receipt upload: fresh bytes, or exactly `bytes` (to send the same image again). */
  const upload = async (caller: Caller = 'customer', bytes = Buffer.concat([PNG, randomBytes(8)])) => {
    const body = multipart(bytes);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads?kind=proof_of_purchase',
      headers: { ...body.headers, origin: ORIGIN, cookie: cookies.get(caller) ?? '' },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };

  /** A unit of the maker's, made on `madeOn`, not yet sold. */
  let serialNo = 0;
  const newUnit = async (madeOn = '2025-01-10', productId = ids.headset) => {
    serialNo += 1;
    const serial = `HS200-T${String(Date.now()).slice(-6)}-${serialNo}`;
    await t.db.db.insert(units).values({ serial, productId, lot: 'HS200-L2501A', madeOn });
    return serial;
  };

  const register = async (
    body: { serial?: string; sku?: string; purchaseDate?: string; dealerId?: string },
    caller: Caller = 'customer',
    proofUploadId?: string,
  ) =>
    api(caller, 'POST', '/api/v1/purchases/register', {
      purchaseDate: TODAY.toString(),
      dealerId: ids.ownDealer,
      ...body,
      proofUploadId: proofUploadId ?? (await upload(caller)),
    });

  const claimOn = async (purchaseId: string, caller: Caller = 'customer') => {
    const res = await api(caller, 'POST', '/api/v1/claims', {
      purchaseId,
      cause: 'quality',
      description: 'It stopped working on the first day',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{
      id: string;
      version: number;
      purchaseVerification: string;
      decision: { remedies: { code: string }[] };
    }>();
  };

  const refund = (claimId: string) =>
    api('dealer', 'POST', `/api/v1/claims/${claimId}/dealer-remedy`, {
      kind: 'refund',
      refund: { amountMinor: 29900, currency: 'CNY' },
    });
  const repairOrder = (claimId: string, caller: Caller = 'support') =>
    api(caller, 'POST', `/api/v1/claims/${claimId}/maintenance-order`, {
      mode: 'walk_in',
      location: { cityId: 'shenzhen' },
    });
  const decide = (caller: Caller, purchaseId: string, body: object) =>
    api(caller, 'POST', `/api/v1/purchase-verifications/${purchaseId}/decision`, body);

  const remediesOn = async (claimId: string) =>
    (await t.db.db.select().from(dealerRemedies).where(eq(dealerRemedies.claimId, claimId))).length +
    (await t.db.db.select().from(maintenanceOrders).where(eq(maintenanceOrders.claimId, claimId))).length;
  const purchaseRow = async (id: string) => {
    const [row] = await t.db.db.select().from(purchases).where(eq(purchases.id, id));
    return row;
  };

  it('the pen test: today’s date, a dealer of the customer’s choosing, any image — the claim is provisional and no refund or repair is carried out', async () => {
    const serial = await newUnit();
    const registered = await register({ serial });
    expect(registered.statusCode, registered.body).toBe(201);
    const purchase = registered.json<Purchase>();
    expect(purchase.verification).toMatchObject({ state: 'pending', decidedBy: null });

    // The claim is taken and decided — provisionally — and the customer may even choose the refund.
    const claim = await claimOn(purchase.id);
    expect(claim.purchaseVerification).toBe('pending');
    expect(claim.decision.remedies.map((r) => r.code)).toContain('refund');
    const chose = await api('customer', 'POST', `/api/v1/claims/${claim.id}/remedy`, {
      remedy: 'refund',
      expectedVersion: claim.version,
    });
    expect(chose.statusCode, chose.body).toBe(200);

    // But the dealer named cannot carry the refund out, nor can anyone issue a free repair.
    const refused = await refund(claim.id);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(codeOf(refused)).toBe('PURCHASE_NOT_VERIFIED');
    // A registration dated within the year, for a free repair: no maintenance order either.
    const older = (await register({ serial: await newUnit(), purchaseDate: '2026-08-01' })).json<Purchase>();
    const claim2 = await claimOn(older.id);
    for (const caller of ['support', 'customer'] as const) {
      const order = await repairOrder(claim2.id, caller);
      expect(order.statusCode, order.body).toBe(409);
      expect(codeOf(order)).toBe('PURCHASE_NOT_VERIFIED');
    }
    expect(await remediesOn(claim.id)).toBe(0);
    expect(await remediesOn(claim2.id)).toBe(0);
    expect((await purchaseRow(purchase.id))?.verification).toBe('pending');
  });

  it('a dealer of the customer’s choosing other than the seller: that dealer’s counter sees no sale of its own, and the purchase waits', async () => {
    const serial = await newUnit();
    const registered = await register({ serial, dealerId: ids.otherDealer });
    expect(registered.statusCode, registered.body).toBe(201);
    const purchase = registered.json<Purchase>();
    const claim = await claimOn(purchase.id);
    // The demo dealer did not sell it: not its claim (404); the named dealer's check is still to come.
    const res = await refund(claim.id);
    expect(res.statusCode).toBe(404);
    const confirm = await decide('dealer', purchase.id, { decision: 'confirm' });
    expect(confirm.statusCode).toBe(404);
    expect(codeOf(confirm)).toBe('PURCHASE_NOT_FOUND');
    expect((await purchaseRow(purchase.id))?.verification).toBe('pending');
    expect(await remediesOn(claim.id)).toBe(0);
  });

  it('the same image twice: the second “proof” is refused (409), whichever upload the bytes came in', async () => {
    const bytes = Buffer.concat([PNG, randomBytes(8)]);
    const first = await register({ serial: await newUnit() }, 'customer', await upload('customer', bytes));
    expect(first.statusCode, first.body).toBe(201);
    const again = await register({ serial: await newUnit() }, 'customer', await upload('customer', bytes));
    expect(again.statusCode, again.body).toBe(409);
    expect(codeOf(again)).toBe('PROOF_ALREADY_USED');
    // Another customer with the same bytes: the same refusal.
    const other = await register({ serial: await newUnit() }, 'customer2', await upload('customer2', bytes));
    expect(other.statusCode).toBe(409);
    expect(codeOf(other)).toBe('PROOF_ALREADY_USED');

    // A rejected registration frees its receipt (and its unit) for a registration that is checked anew.
    const rejected = await decide('support', first.json<Purchase>().id, {
      decision: 'reject',
      reason: 'The receipt does not show this product.',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const retry = await register({ serial: await newUnit() }, 'customer', await upload('customer', bytes));
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.json<Purchase>().verification.state).toBe('pending');
  });

  it('a serial already sold to someone else is refused; one sold to this customer is that purchase, not a second', async () => {
    const zhangs = await register({ serial: 'BTH500-2405-004410', sku: undefined });
    expect(zhangs.statusCode, zhangs.body).toBe(409);
    expect(codeOf(zhangs)).toBe('SERIAL_ALREADY_RECORDED');

    // Li Wei's own headset, recorded by the demo dealer: registering it answers with the dealer's sale.
    const [sale] = await t.db.db
      .select({ id: purchases.id })
      .from(purchases)
      .innerJoin(units, eq(units.id, purchases.unitId))
      .where(eq(units.serial, 'HS200-2406-001732'));
    const own = await register({ serial: 'HS200-2406-001732', purchaseDate: '2026-11-24' });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json<Purchase>()).toMatchObject({ id: sale?.id, verification: { state: 'verified' } });
    const live = await t.db.db
      .select({ id: purchases.id })
      .from(purchases)
      .innerJoin(units, eq(units.id, purchases.unitId))
      .where(and(eq(units.serial, 'HS200-2406-001732'), ne(purchases.verification, 'rejected')));
    expect(live).toHaveLength(1);
  });

  it('a serial of another product is refused', async () => {
    const serial = await newUnit();
    const res = await register({ serial, sku: DEMO_SKUS.dcPowerPanel });
    expect(res.statusCode).toBe(400);
    expect(codeOf(res)).toBe('SERIAL_PRODUCT_MISMATCH');
  });

  it('a purchase date before the unit left the maker is a 422, for a registration, a dealer’s sale and a correction', async () => {
    const serial = await newUnit('2026-10-01');
    const early = await register({ serial, purchaseDate: '2026-09-30' });
    expect(early.statusCode, early.body).toBe(422);
    expect(early.json<ErrorResponse>().error).toMatchObject({
      code: 'PURCHASE_BEFORE_UNIT_MADE',
      details: { field: 'purchaseDate' },
    });
    expect(early.json<ErrorResponse>().error.message).toContain('2026-10-01');
    const sale = await api('dealer', 'POST', '/api/v1/purchases', {
      serial,
      purchaseDate: '2026-09-30',
      buyer: { name: 'Someone', email: 'someone@example.com' },
    });
    expect(sale.statusCode, sale.body).toBe(422);
    expect(codeOf(sale)).toBe('PURCHASE_BEFORE_UNIT_MADE');

    const onTheDay = await register({ serial, purchaseDate: '2026-10-01' });
    expect(onTheDay.statusCode, onTheDay.body).toBe(201);
    const corrected = await decide('support', onTheDay.json<Purchase>().id, {
      decision: 'correct',
      purchaseDate: '2026-09-01',
    });
    expect(corrected.statusCode).toBe(422);
    expect(codeOf(corrected)).toBe('PURCHASE_BEFORE_UNIT_MADE');
    expect((await purchaseRow(onTheDay.json<Purchase>().id))?.verification).toBe('pending');
  });

  it('racing registrations of one serial: exactly one wins, the others are 409', async () => {
    const serial = await newUnit();
    const proofs = await Promise.all([upload('customer'), upload('customer2'), upload('customer2')]);
    const results = await Promise.all([
      register({ serial }, 'customer', proofs[0]),
      register({ serial }, 'customer2', proofs[1]),
      register({ serial }, 'customer2', proofs[2]),
    ]);
    const statuses = results.map((r) => r.statusCode);
    const live = await t.db.db
      .select({ id: purchases.id, endUserId: purchases.endUserId })
      .from(purchases)
      .innerJoin(units, eq(units.id, purchases.unitId))
      .where(and(eq(units.serial, serial), ne(purchases.verification, 'rejected')));
    expect(live).toHaveLength(1);
    // Zhang Min's second try may meet her own first one (then it is that purchase, 201); Li Wei's
    // and Zhang Min's cannot both stand.
    const winners = new Set(results.filter((r) => r.statusCode === 201).map((r) => r.json<Purchase>().id));
    expect(winners.size).toBe(1);
    for (const r of results.filter((x) => x.statusCode !== 201)) {
      expect(r.statusCode).toBe(409);
      expect(codeOf(r)).toBe('SERIAL_ALREADY_RECORDED');
    }
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThanOrEqual(1);
  });

  it('the customer cannot verify their own registration (403), whatever they send', async () => {
    const serial = await newUnit();
    const purchase = (await register({ serial })).json<Purchase>();
    for (const body of [
      { decision: 'confirm' },
      { decision: 'correct', purchaseDate: '2026-11-20' },
      { decision: 'reject', reason: 'no' },
    ]) {
      const res = await decide('customer', purchase.id, body);
      expect(res.statusCode).toBe(403);
    }
    expect((await api('customer', 'GET', '/api/v1/purchase-verifications')).statusCode).toBe(403);
    expect((await purchaseRow(purchase.id))?.verification).toBe('pending');
  });

  it('the dealer named confirms; then, and only then, its refund is carried out', async () => {
    const serial = await newUnit();
    const purchase = (await register({ serial })).json<Purchase>();
    const claim = await claimOn(purchase.id);
    expect((await refund(claim.id)).statusCode).toBe(409);

    const queue = await api('dealer', 'GET', '/api/v1/purchase-verifications');
    expect(queue.statusCode).toBe(200);
    const items = queue.json<{ items: Purchase[] }>().items;
    expect(items.map((p) => p.id)).toContain(purchase.id);
    expect(items.every((p) => p.dealer?.id === ids.ownDealer && p.verification.state === 'pending')).toBe(
      true,
    );

    const confirmed = await decide('dealer', purchase.id, { decision: 'confirm' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json<Purchase>().verification).toMatchObject({ state: 'verified' });
    const twice = await decide('support', purchase.id, { decision: 'reject', reason: 'late' });
    expect(twice.statusCode).toBe(409);
    expect(codeOf(twice)).toBe('PURCHASE_NOT_PENDING');

    const done = await refund(claim.id);
    expect(done.statusCode, done.body).toBe(201);
    const [audit] = await t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'purchase.verified'), eq(auditEvents.entityId, purchase.id)));
    expect(audit?.actor).toMatch(/^user:/);
    expect(audit?.data).toMatchObject({ via: 'check', decision: 'confirm', changes: {} });
    // Other systems hear of the registration and of its confirmation, each once (app/events).
    const told = await t.db.db
      .select()
      .from(events)
      .where(eq(events.subjectId, purchase.id))
      .orderBy(asc(events.txId), asc(events.seq));
    expect(told.map((e) => [e.type, (e.data as Purchase).verification.state])).toEqual([
      ['purchase.recorded', 'pending'],
      ['purchase.verified', 'verified'],
    ]);
    expect(told.map((e) => [e.dealerId, e.endUserId])).toEqual([
      [ids.ownDealer, purchase.endUserId],
      [ids.ownDealer, purchase.endUserId],
    ]);
  });

  it('support corrects the date from the receipt: audited from → to, and the claim is decided again (no refund on a day-0 decision)', async () => {
    const serial = await newUnit();
    const purchase = (await register({ serial })).json<Purchase>();
    const claim = await claimOn(purchase.id);
    await api('customer', 'POST', `/api/v1/claims/${claim.id}/remedy`, {
      remedy: 'refund',
      expectedVersion: claim.version,
    });

    // A date after the claim was reported cannot be the purchase's.
    const future = await decide('support', purchase.id, { decision: 'correct', purchaseDate: '2026-11-26' });
    expect(future.statusCode).toBe(400);
    const nothing = await decide('support', purchase.id, {
      decision: 'correct',
      purchaseDate: TODAY.toString(),
    });
    expect(codeOf(nothing)).toBe('CORRECTION_CHANGES_NOTHING');

    const res = await decide('support', purchase.id, {
      decision: 'correct',
      purchaseDate: '2026-08-01',
      dealerId: ids.ownDealer,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Purchase>()).toMatchObject({
      purchaseDate: '2026-08-01',
      verification: { state: 'verified' },
    });
    const [audit] = await t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'purchase.verified'), eq(auditEvents.entityId, purchase.id)));
    expect(audit?.data).toMatchObject({
      decision: 'correct',
      changes: { purchaseDate: { from: TODAY.toString(), to: '2026-08-01' } },
    });
    const [redecided] = await t.db.db.select().from(claims).where(eq(claims.id, claim.id));
    expect(redecided?.decision.window).toBe('1_year');
    expect(redecided?.chosenRemedy).toBeNull();
    expect(redecided?.status).toBe('open');
    const refused = await refund(claim.id);
    expect(refused.statusCode).toBe(409);
    expect(codeOf(refused)).toBe('REMEDY_NOT_OFFERED');
    // The repair the corrected decision offers can now be issued: the purchase is verified.
    expect((await repairOrder(claim.id)).statusCode).toBe(201);
  });

  it('a dealer corrects only to itself: naming another dealer is a 404', async () => {
    const purchase = (await register({ serial: await newUnit() })).json<Purchase>();
    const res = await decide('dealer', purchase.id, { decision: 'correct', dealerId: ids.otherDealer });
    expect(res.statusCode).toBe(404);
    expect(codeOf(res)).toBe('DEALER_NOT_FOUND');
    expect((await purchaseRow(purchase.id))?.verification).toBe('pending');
  });

  it('a rejection carries a reason the customer reads, and frees the unit', async () => {
    const serial = await newUnit();
    const purchase = (await register({ serial, purchaseDate: '2026-08-01' })).json<Purchase>();
    const claim = await claimOn(purchase.id);
    const empty = await decide('dealer', purchase.id, { decision: 'reject', reason: '   ' });
    expect(empty.statusCode).toBe(400);
    const res = await decide('dealer', purchase.id, {
      decision: 'reject',
      reason: 'We have no sale of this serial; the receipt is for another product.',
    });
    expect(res.statusCode, res.body).toBe(200);
    const seen = await api('customer', 'GET', `/api/v1/purchases/${purchase.id}`);
    expect(seen.json<Purchase>().verification).toMatchObject({
      state: 'rejected',
      rejectionCode: 'REJECTED_BY_CHECKER',
      rejectionReason: 'We have no sale of this serial; the receipt is for another product.',
    });
    const told = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'purchase.rejected'));
    expect(told.some((m) => m.body.includes('the receipt is for another product'))).toBe(true);
    expect(codeOf(await repairOrder(claim.id))).toBe('PURCHASE_NOT_VERIFIED');
    expect(await remediesOn(claim.id)).toBe(0);
    // The unit is free: its real buyer's registration is taken (and waits for its own check).
    const real = await register({ serial }, 'customer2');
    expect(real.statusCode, real.body).toBe(201);
  });

  it('two checkers at once: one decision stands, the other is a 409', async () => {
    const purchase = (await register({ serial: await newUnit() })).json<Purchase>();
    const results = await Promise.all([
      decide('dealer', purchase.id, { decision: 'confirm' }),
      decide('support', purchase.id, { decision: 'reject', reason: 'not ours' }),
      decide('admin', purchase.id, { decision: 'confirm' }),
    ]);
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 200)) {
      expect(r.statusCode).toBe(409);
      expect(codeOf(r)).toBe('PURCHASE_NOT_PENDING');
    }
    const decided = await t.db.db.select().from(auditEvents).where(eq(auditEvents.entityId, purchase.id));
    expect(decided.filter((e) => e.action !== 'purchase.registered')).toHaveLength(1);
  });

  it('the dealer’s own sale of a registered unit to the same buyer makes one verified purchase, with the dealer’s date', async () => {
    const serial = await newUnit();
    const purchase = (await register({ serial, dealerId: ids.otherDealer })).json<Purchase>();
    const claim = await claimOn(purchase.id);
    const sale = await api('dealer', 'POST', '/api/v1/purchases', {
      serial,
      purchaseDate: '2026-11-01',
      buyer: { name: 'Li Wei', email: 'LI.WEI@example.com' },
    });
    expect(sale.statusCode, sale.body).toBe(201);
    expect(sale.json<Purchase>()).toMatchObject({
      id: purchase.id,
      purchaseDate: '2026-11-01',
      dealer: { id: ids.ownDealer },
      verification: { state: 'verified' },
    });
    const live = await t.db.db
      .select({ id: purchases.id })
      .from(purchases)
      .innerJoin(units, eq(units.id, purchases.unitId))
      .where(eq(units.serial, serial));
    expect(live).toHaveLength(1);
    // Its claim was decided again from the dealer's date (day 24: a replacement, no refund).
    const [redecided] = await t.db.db.select().from(claims).where(eq(claims.id, claim.id));
    expect(redecided?.decision.window).toBe('60_days');
    expect((await refund(claim.id)).statusCode).toBe(409);
  });

  it('the dealer’s CSV with a registered unit sold to another buyer: the dealer’s record stands, the registration is rejected', async () => {
    const serial = await newUnit();
    const purchase = (await register({ serial })).json<Purchase>();
    const csv = `serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone\n${serial},,2026-11-20,Real Buyer,real.buyer@example.com,\n`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/purchases/import',
      headers: { origin: ORIGIN, cookie: cookies.get('dealer') ?? '', 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await purchaseRow(purchase.id)).toMatchObject({
      verification: 'rejected',
      rejectionCode: 'SOLD_TO_ANOTHER_BUYER',
    });
    const live = await t.db.db
      .select({ verification: purchases.verification, buyerName: purchases.buyerName })
      .from(purchases)
      .innerJoin(units, eq(units.id, purchases.unitId))
      .where(and(eq(units.serial, serial), ne(purchases.verification, 'rejected')));
    expect(live).toEqual([{ verification: 'verified', buyerName: 'Real Buyer' }]);
  });

  it('support’s queue: pending registrations oldest first, each with its proof, the demo’s among them', async () => {
    const res = await api('support', 'GET', '/api/v1/purchase-verifications');
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: Purchase[] }>().items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((p) => p.verification.state === 'pending')).toBe(true);
    const created = items.map((p) => p.createdAt);
    expect([...created].sort()).toEqual(created);
    const demo = items.find((p) => p.serial === DEMO_REGISTRATION.serial);
    expect(demo).toMatchObject({ proof: { mediaType: 'image/png' }, unitMadeOn: '2024-06-18' });
    const proof = await api('support', 'GET', `/api/v1/uploads/${demo?.proofUploadId ?? ''}`);
    expect(proof.statusCode).toBe(200);
    // The dealer sees the proof of a registration naming it.
    const byDealer = await api('dealer', 'GET', `/api/v1/uploads/${demo?.proofUploadId ?? ''}`);
    expect(byDealer.statusCode).toBe(200);
  });
});
