import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/app/lists/cursor.js';
import { rowsOf } from '../../src/db/rows.js';
import {
  claims,
  dealerRemedies,
  dealers,
  endUsers,
  quotes,
  reimbursementClaims,
} from '../../src/db/schema.js';
import { DEMO_DEALERS, DEMO_END_USERS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { useTestApp } from '../support/app.js';
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

type Item = { id: string; createdAt: string; [k: string]: unknown };
type Page = { items: Item[]; nextCursor: string | null };
type Money = { amountMinor: number; currency: string };

/**
 * The paid-service quotes and the dealers' reimbursement claims read one keyset page at a time, like
 * claims and maintenance orders (list-paging.test.ts): the attacks are on paging, scope and the export.
 */
describe.each(testDatabases())('quotes and reimbursements lists on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  /** Many rows at one instant, with the database's microseconds: ties on the sort key. */
  const TIE = '2026-11-20T08:00:00.123456Z';
  /** 01:30 on 21 November in Shanghai, still 20 November in UTC: the store's calendar decides. */
  const LATE = '2026-11-20T17:30:00Z';
  let p: DemoParties;
  /** Li Wei's claim (the demo customer), priced for an order at the Shenzhen center (the demo technician's). */
  let ownClaim: string;
  let shenzhenOrder: { id: string; maintenanceNumber: string };
  /** Another customer's claim, priced for an order at Shanghai. */
  let otherClaim: string;
  let shanghaiOrder: { id: string; maintenanceNumber: string };
  let otherCustomerId: string;
  let templateClaim: typeof claims.$inferSelect;

  const get = (role: Role, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { origin: ORIGIN, cookie: cookies.get(role) ?? '' } });
  const page = async (role: Role, url: string): Promise<Page> => {
    const res = await get(role, url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Page>();
  };
  /** Every page of a list, following nextCursor. */
  const allPages = async (role: Role, url: string, between?: () => Promise<void>): Promise<Item[]> => {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 200; guard++) {
      const sep = url.includes('?') ? '&' : '?';
      const p = await page(role, cursor ? `${url}${sep}cursor=${encodeURIComponent(cursor)}` : url);
      items.push(...p.items);
      cursor = p.nextCursor;
      if (!cursor) return items;
      await between?.();
    }
    throw new Error('no last page');
  };
  const csvIds = (body: string) =>
    body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
  const dbIds = async (query: ReturnType<typeof sql>) =>
    rowsOf(await t.db.db.execute(query)).map((r) => String(r.id));

  let quoteCount = 0;
  /** Quotes written as the app writes them, `createdAt` given to the microsecond by the database. */
  const insertQuotes = async (
    n: number,
    input: {
      claimId: string;
      orderId: string | null;
      state: 'draft' | 'sent';
      createdAt: string;
      sentAt?: string;
      currency?: string;
    },
  ) => {
    for (let i = 0; i < n; i++) {
      quoteCount += 1;
      const unitPrice = {
        amountMinor: 10_000 + ((quoteCount * 7_919) % 50_000),
        currency: input.currency ?? 'CNY',
      };
      await t.db.db.insert(quotes).values({
        claimId: input.claimId,
        maintenanceOrderId: input.orderId,
        state: input.state,
        lines: [{ kind: 'part', description: `Part ${quoteCount}`, quantityTenths: 10, unitPrice }],
        totalMinor: unitPrice.amountMinor,
        currency: unitPrice.currency,
        quotedBy: 'Sales (test)',
        sentAt: input.sentAt ? new Date(input.sentAt) : null,
        createdAt: new Date(input.createdAt),
        updatedAt: new Date(input.createdAt),
      });
    }
    await t.db.db.execute(
      sql`update quotes set created_at = cast(${TIE} as timestamptz) where created_at = ${new Date(TIE)}`,
    );
  };

  let remedyCount = 0;
  /** Reimbursement claims of a dealer, each for a refund on a claim of its own (one remedy per claim). */
  const insertReimbursements = async (
    n: number,
    input: {
      dealerId: string;
      status: 'pending' | 'approved';
      currency: string;
      createdAt: string;
      returnedSerial?: string;
      reason?: string;
    },
  ) => {
    for (let i = 0; i < n; i++) {
      remedyCount += 1;
      const { id: _id, idempotencyKey: _k, ...rest } = templateClaim;
      const [claim] = await t.db.db
        .insert(claims)
        .values({ ...rest, description: `Refunded ${remedyCount}` })
        .returning({ id: claims.id });
      const amount = 1_000 + ((remedyCount * 3_571) % 90_000);
      const [remedy] = await t.db.db
        .insert(dealerRemedies)
        .values({
          claimId: claim?.id ?? '',
          dealerId: input.dealerId,
          kind: 'refund',
          returnedSerial: input.returnedSerial ?? `RET-${String(remedyCount).padStart(5, '0')}`,
          refundMinor: amount,
          currency: input.currency,
          performedOn: TODAY.toString(),
          performedBy: 'Dealer (test)',
        })
        .returning({ id: dealerRemedies.id });
      await t.db.db.insert(reimbursementClaims).values({
        dealerRemedyId: remedy?.id ?? '',
        dealerId: input.dealerId,
        status: input.status,
        amountMinor: amount,
        currency: input.currency,
        decidedBy: input.status === 'approved' ? 'Support (test)' : null,
        decidedAt: input.status === 'approved' ? new Date(input.createdAt) : null,
        reason: input.reason ?? null,
        createdAt: new Date(input.createdAt),
      });
    }
    await t.db.db.execute(
      sql`update reimbursement_claims set created_at = cast(${TIE} as timestamptz) where created_at = ${new Date(TIE)}`,
    );
  };

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    for (const role of ['support', 'sales', 'technician', 'dealer', 'customer'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    p = await demoParties(t.db.db);
    const liWei = await insertPurchase(t.db.db, {
      productId: p.productId,
      dealerId: p.dealer(0),
      endUserId: p.endUser(0),
      daysAgo: 500,
    });
    ownClaim = await claimOn(t.app, t.db.db, liWei, p.endUser(0));
    otherCustomerId = p.endUser(1);
    const other = await insertPurchase(t.db.db, {
      productId: p.productId,
      dealerId: p.dealer(1),
      endUserId: otherCustomerId,
      daysAgo: 500,
    });
    otherClaim = await claimOn(t.app, t.db.db, other, otherCustomerId);
    shenzhenOrder = await insertMaintenanceOrder(t.db.db, {
      claimId: ownClaim,
      serviceCenterId: p.center(0),
      state: 'paidService',
    });
    shanghaiOrder = await insertMaintenanceOrder(t.db.db, {
      claimId: otherClaim,
      serviceCenterId: p.center(1),
      state: 'paidService',
    });
    const [claim] = await t.db.db.select().from(claims).where(eq(claims.id, ownClaim));
    if (!claim) throw new Error('no claim');
    templateClaim = claim;

    // Quotes: sent ones waiting at Shenzhen (ties on both the created and the sent moment), drafts at
    // Shanghai, and two created late on 20 November UTC — 21 November in the store's calendar.
    await insertQuotes(9, {
      claimId: ownClaim,
      orderId: shenzhenOrder.id,
      state: 'sent',
      createdAt: TIE,
      sentAt: '2026-11-21T02:00:00Z',
    });
    await insertQuotes(6, {
      claimId: ownClaim,
      orderId: shenzhenOrder.id,
      state: 'sent',
      createdAt: TIE,
      sentAt: '2026-11-22T02:00:00Z',
    });
    await insertQuotes(5, { claimId: otherClaim, orderId: shanghaiOrder.id, state: 'draft', createdAt: TIE });
    await insertQuotes(2, { claimId: otherClaim, orderId: null, state: 'draft', createdAt: LATE });

    // Reimbursements: the demo dealer's waiting ones (ties), another dealer's decided ones in USD.
    await insertReimbursements(13, {
      dealerId: p.dealer(0),
      status: 'pending',
      currency: 'CNY',
      createdAt: TIE,
    });
    await insertReimbursements(4, {
      dealerId: p.dealer(1),
      status: 'approved',
      currency: 'USD',
      createdAt: LATE,
    });
  });

  describe('quotes', () => {
    it('pages by a tied created date: the pages are the table’s order, each row once', async () => {
      const items = await allPages('sales', '/api/v1/quotes?limit=4');
      expect(items.map((q) => q.id)).toEqual(
        await dbIds(sql`select id from quotes order by created_at desc, id desc`),
      );
      expect(items.filter((q) => q.createdAt.startsWith('2026-11-20T08:00:00.123')).length).toBe(20);
    });

    it('neither skips nor repeats a quote to call while quotes are sent between page fetches', async () => {
      const url = '/api/v1/quotes?toCall=true&sort=sentAt&order=asc&limit=3';
      const before = (await allPages('sales', url)).map((q) => q.id);
      expect(before.length).toBe(15);
      let added = 0;
      const items = await allPages('sales', url, async () => {
        // Ties on the sent moment of the rows already shown, and newer ones.
        added += 2;
        await insertQuotes(1, {
          claimId: ownClaim,
          orderId: shenzhenOrder.id,
          state: 'sent',
          createdAt: TIE,
          sentAt: '2026-11-21T02:00:00Z',
        });
        await insertQuotes(1, {
          claimId: ownClaim,
          orderId: shenzhenOrder.id,
          state: 'sent',
          createdAt: TIE,
          sentAt: '2026-11-23T02:00:00Z',
        });
      });
      const ids = items.map((q) => q.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of before) expect(ids).toContain(id);
      expect(added).toBeGreaterThan(3);
      // Longest waiting first throughout: sent moment, then id.
      const keys = items.map((q) => `${String(q.sentAt)} ${q.id}`);
      expect(keys).toEqual([...keys].sort());
      expect(items.every((q) => q.state === 'sent')).toBe(true);
    });

    it('sorts drafts (never sent) after every sent quote, and pages through them', async () => {
      const items = await allPages('sales', '/api/v1/quotes?sort=sentAt&order=asc&limit=5');
      const firstDraft = items.findIndex((q) => q.sentAt === null);
      expect(firstDraft).toBeGreaterThan(0);
      expect(items.slice(firstDraft).every((q) => q.sentAt === null)).toBe(true);
      expect(items.length).toBe(Number((await dbIds(sql`select count(*) as id from quotes`))[0]));
      // A cursor sitting on a draft (key "infinity") is one of ours.
      const onDraft = encodeCursor({
        list: 'quotes',
        sort: 'sentAt',
        order: 'asc',
        key: 'infinity',
        id: '00000000-0000-4000-8000-000000000000',
      });
      expect((await get('sales', `/api/v1/quotes?sort=sentAt&order=asc&cursor=${onDraft}`)).statusCode).toBe(
        200,
      );
    });

    it('filters by state, center, the store’s days and free text, and sorts by total', async () => {
      const drafts = await allPages('sales', '/api/v1/quotes?state=draft');
      expect(drafts.length).toBe(7);
      expect(drafts.every((q) => q.state === 'draft')).toBe(true);
      const inShanghai = await allPages('sales', `/api/v1/quotes?serviceCenterId=${p.center(1)}`);
      expect(inShanghai.length).toBe(5);
      expect(inShanghai.every((q) => q.maintenanceNumber === shanghaiOrder.maintenanceNumber)).toBe(true);
      // Created at 17:30 UTC on the 20th: the 21st in Shanghai, the store's calendar.
      const on21 = await allPages('sales', '/api/v1/quotes?from=2026-11-21&to=2026-11-21');
      expect(on21.length).toBe(2);
      expect(on21.every((q) => q.createdAt.startsWith('2026-11-20T17:30'))).toBe(true);
      const upTo20 = await allPages('sales', '/api/v1/quotes?to=2026-11-20');
      expect(upTo20.some((q) => q.createdAt.startsWith('2026-11-20T17:30'))).toBe(false);
      const backwards = await get('sales', '/api/v1/quotes?from=2026-11-22&to=2026-11-21');
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json()).toMatchObject({ error: { code: 'INVALID_DATE_RANGE' } });
      // Free text: the maintenance number's tail, the customer's phone digits, a wildcard taken literally.
      const byNumber = await allPages(
        'sales',
        `/api/v1/quotes?q=${shenzhenOrder.maintenanceNumber.slice(-6)}`,
      );
      expect(byNumber.length).toBeGreaterThan(0);
      expect(byNumber.every((q) => q.claimId === ownClaim)).toBe(true);
      const phone = DEMO_END_USERS[1].phone.slice(-4);
      const byPhone = await allPages('sales', `/api/v1/quotes?q=${encodeURIComponent(phone)}`);
      expect(byPhone.map((q) => q.id).sort()).toEqual(
        await dbIds(sql`select id from quotes where claim_id = ${otherClaim} order by id`),
      );
      expect((await page('sales', '/api/v1/quotes?q=%25')).items).toEqual([]);
      const byTotal = await allPages('sales', '/api/v1/quotes?sort=total&order=desc&limit=7');
      const totals = byTotal.map((q) => (q.total as Money).amountMinor);
      expect(totals).toEqual([...totals].sort((a, b) => b - a));
    });

    it('keeps each role’s scope: a center’s engineer its own orders’ quotes, a customer their own', async () => {
      const technician = await allPages('technician', '/api/v1/quotes');
      expect(technician.length).toBeGreaterThan(0);
      expect(technician.every((q) => q.maintenanceNumber === shenzhenOrder.maintenanceNumber)).toBe(true);
      // Asking for another center's quotes finds none, rather than widening the scope.
      expect((await page('technician', `/api/v1/quotes?serviceCenterId=${p.center(1)}`)).items).toEqual([]);
      const customer = await allPages('customer', '/api/v1/quotes');
      expect(customer.length).toBeGreaterThan(0);
      expect(customer.every((q) => q.claimId === ownClaim)).toBe(true);
      const csv = await get('customer', '/api/v1/quotes/export.csv');
      expect(csv.statusCode).toBe(200);
      expect(csvIds(csv.body).sort()).toEqual(customer.map((q) => q.id).sort());
      expect(csv.body).not.toContain(otherClaim);
      for (const role of ['dealer'] as const) {
        expect((await get(role, '/api/v1/quotes')).statusCode).toBe(403);
        expect((await get(role, '/api/v1/quotes/export.csv')).statusCode).toBe(403);
      }
    });

    it('exports what the filter selects as CSV, in the list’s order, formula cells neutralised', async () => {
      await t.db.db
        .update(endUsers)
        .set({ name: '=HYPERLINK("http://evil.example","看这里")' })
        .where(eq(endUsers.id, otherCustomerId));
      const url = '/api/v1/quotes?state=draft&sort=total&order=asc';
      const rows = await allPages('sales', `${url}&limit=2`);
      const res = await get('sales', url.replace('quotes?', 'quotes/export.csv?'));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="quotes-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(res.body.replace(/^\uFEFF/, '').startsWith('quote_id,claim_id,maintenance_number,state')).toBe(
        true,
      );
      expect(csvIds(res.body)).toEqual(rows.map((q) => q.id));
      expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"",""看这里"")"`);
      expect(res.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    });

    it('refuses a cursor it did not give out for this list and sort with 400 INVALID_CURSOR', async () => {
      const first = await page('sales', '/api/v1/quotes?limit=2');
      const cursor = first.nextCursor ?? '';
      const claimsCursor = (await page('support', '/api/v1/claims?limit=1')).nextCursor ?? '';
      const forged = encodeCursor({
        list: 'quotes',
        sort: 'createdAt',
        order: 'desc',
        key: 'not a time',
        id: ownClaim,
      });
      for (const url of [
        `/api/v1/quotes?cursor=${claimsCursor}`,
        `/api/v1/quotes?sort=sentAt&cursor=${cursor}`,
        `/api/v1/quotes?order=asc&cursor=${cursor}`,
        `/api/v1/reimbursements?cursor=${cursor}`,
        '/api/v1/quotes?cursor=bm90LWEtY3Vyc29y',
        `/api/v1/quotes?cursor=${forged}`,
        `/api/v1/quotes/export.csv?cursor=${cursor}`,
      ]) {
        const role: Role = url.startsWith('/api/v1/reimbursements') ? 'support' : 'sales';
        const res = await get(role, url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json<{ error: { code: string } }>().error.code, url).toMatch(
          /^(INVALID_CURSOR|VALIDATION_FAILED)$/,
        );
      }
      // The cursor of another list or sort is named for what it is.
      const wrongList = await get('sales', `/api/v1/quotes?cursor=${claimsCursor}`);
      expect(wrongList.json()).toMatchObject({ error: { code: 'INVALID_CURSOR' } });
    });
  });

  describe('reimbursements', () => {
    it('pages by a tied created date: the pages are the table’s order, each row once', async () => {
      const items = await allPages('support', '/api/v1/reimbursements?limit=4');
      expect(items.map((r) => r.id)).toEqual(
        await dbIds(sql`select id from reimbursement_claims order by created_at desc, id desc`),
      );
    });

    it('neither skips nor repeats a claim while dealers ask between page fetches, sorted by amount', async () => {
      const url = '/api/v1/reimbursements?sort=amount&order=asc&limit=3';
      const before = (await allPages('support', url)).map((r) => r.id);
      let added = 0;
      const items = await allPages('support', url, async () => {
        added += 1;
        await insertReimbursements(1, {
          dealerId: p.dealer(0),
          status: 'pending',
          currency: 'CNY',
          createdAt: TIE,
        });
      });
      const ids = items.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of before) expect(ids).toContain(id);
      expect(added).toBeGreaterThan(3);
      const amounts = items.map((r) => (r.amount as Money).amountMinor);
      expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
    });

    it('filters by status, dealer, currency, the store’s days and free text', async () => {
      const pending = await allPages('support', '/api/v1/reimbursements?status=pending');
      expect(pending.length).toBeGreaterThan(0);
      expect(pending.every((r) => r.status === 'pending')).toBe(true);
      const ofOther = await allPages('support', `/api/v1/reimbursements?dealerId=${p.dealer(1)}`);
      expect(ofOther.length).toBe(4);
      expect(ofOther.every((r) => (r.dealer as { id: string }).id === p.dealer(1))).toBe(true);
      const usd = await allPages('support', '/api/v1/reimbursements?currency=USD');
      expect(usd.map((r) => r.id).sort()).toEqual(ofOther.map((r) => r.id).sort());
      expect((await get('support', '/api/v1/reimbursements?currency=usd')).statusCode).toBe(400);
      const on21 = await allPages('support', '/api/v1/reimbursements?from=2026-11-21&to=2026-11-21');
      expect(on21.map((r) => r.id).sort()).toEqual(ofOther.map((r) => r.id).sort());
      const byDealer = await allPages(
        'support',
        `/api/v1/reimbursements?q=${encodeURIComponent(DEMO_DEALERS[1].name.slice(0, 8))}`,
      );
      expect(byDealer.map((r) => r.id).sort()).toEqual(ofOther.map((r) => r.id).sort());
      const bySerial = await page('support', '/api/v1/reimbursements?q=RET-00003');
      expect(bySerial.items.map((r) => (r.remedy as { returnedSerial: string }).returnedSerial)).toEqual([
        'RET-00003',
      ]);
      expect((await page('support', '/api/v1/reimbursements?q=%25')).items).toEqual([]);
    });

    it('gives a dealer only its own, in the list and the export; other roles none', async () => {
      const own = await allPages('dealer', '/api/v1/reimbursements');
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((r) => (r.dealer as { id: string }).id === p.dealer(0))).toBe(true);
      // Naming another dealer narrows the dealer's own list to nothing; it never widens it.
      expect((await page('dealer', `/api/v1/reimbursements?dealerId=${p.dealer(1)}`)).items).toEqual([]);
      const res = await get('dealer', '/api/v1/reimbursements/export.csv');
      expect(res.statusCode).toBe(200);
      expect(csvIds(res.body)).toEqual(own.map((r) => r.id));
      const theirs = await dbIds(sql`select id from reimbursement_claims where dealer_id = ${p.dealer(1)}`);
      for (const id of theirs) expect(res.body).not.toContain(id);
      for (const role of ['technician', 'sales', 'customer'] as const) {
        expect((await get(role, '/api/v1/reimbursements')).statusCode, role).toBe(403);
        expect((await get(role, '/api/v1/reimbursements/export.csv')).statusCode, role).toBe(403);
      }
    });

    it('exports what the filter selects as CSV, in the list’s order, formula cells neutralised', async () => {
      await insertReimbursements(1, {
        dealerId: p.dealer(1),
        status: 'approved',
        currency: 'USD',
        createdAt: LATE,
        returnedSerial: '=cmd|"/c calc"!A1',
        reason: '@SUM(1+1)*cmd|"/c calc"!A0',
      });
      await t.db.db
        .update(dealers)
        .set({ name: '+HYPERLINK("http://evil.example")' })
        .where(eq(dealers.id, p.dealer(1)));
      const url = `/api/v1/reimbursements?dealerId=${p.dealer(1)}&sort=amount&order=desc`;
      const rows = await allPages('support', `${url}&limit=2`);
      const res = await get('support', url.replace('reimbursements?', 'reimbursements/export.csv?'));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="reimbursements-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(res.body.replace(/^\uFEFF/, '').startsWith('reimbursement_id,status,dealer,amount_minor')).toBe(
        true,
      );
      expect(csvIds(res.body)).toEqual(rows.map((r) => r.id));
      expect(res.body).toContain(`"'+HYPERLINK(""http://evil.example"")"`);
      expect(res.body).toContain(`"'=cmd|""/c calc""!A1"`);
      expect(res.body).toContain(`"'@SUM(1+1)*cmd|""/c calc""!A0"`);
      expect(res.body).not.toMatch(/(^|,)"?[=+@]/m);
    });

    it('refuses a cursor it did not give out for this list and sort with 400 INVALID_CURSOR', async () => {
      const cursor = (await page('support', '/api/v1/reimbursements?limit=2')).nextCursor ?? '';
      const forged = encodeCursor({
        list: 'reimbursements',
        sort: 'amount',
        order: 'desc',
        key: '1; drop table quotes',
        id: ownClaim,
      });
      for (const url of [
        `/api/v1/reimbursements?sort=amount&cursor=${cursor}`,
        `/api/v1/reimbursements?sort=status&cursor=${cursor}`,
        `/api/v1/reimbursements?sort=amount&cursor=${forged}`,
        '/api/v1/reimbursements?cursor=%7B%7D',
      ]) {
        const res = await get('support', url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json(), url).toMatchObject({ error: { code: 'INVALID_CURSOR' } });
      }
      const quotesCursor = (await page('sales', '/api/v1/quotes?limit=1')).nextCursor ?? '';
      const res = await get('support', `/api/v1/reimbursements?cursor=${quotesCursor}`);
      expect(res.json()).toMatchObject({ error: { code: 'INVALID_CURSOR' } });
    });
  });
});
