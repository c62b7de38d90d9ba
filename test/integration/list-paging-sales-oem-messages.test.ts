import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/app/lists/cursor.js';
import { rowsOf } from '../../src/db/rows.js';
import { dealers, oemClients, oemOrders, outbox, purchases } from '../../src/db/schema.js';
import { DEMO_END_USERS, DEMO_OEM_ORDER, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { TEST_TODAY } from '../support/maintenance.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

type Item = { id: string; createdAt: string; [k: string]: unknown };
type Page = { items: Item[]; nextCursor: string | null };

const FORMULA = '=HYPERLINK("http://evil.example","看这里")';
const NEUTRALISED = `"'=HYPERLINK(""http://evil.example"",""看这里"")"`;

/**
 * The purchases (a dealer's sales, support's register, the verification queue), OEM orders and outbox
 * messages lists read one keyset page at a time: the attacks are on paging, on the scope of each role,
 * and on what the CSV export lets out (formulas, link secrets).
 */
describe.each(testDatabases())('sales, OEM order and message lists on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let ownDealer: string;
  let otherDealer: string;
  let template: typeof purchases.$inferSelect;
  let otherSale: string;
  let demoOrder: typeof oemOrders.$inferSelect;
  let otherClient: string;
  let otherOrder: string;
  const TIE_DAY = '2026-10-15';
  const TIE = '2026-11-01T08:00:00.123456Z';

  const get = (role: Role, url: string) =>
    t.app.inject({ method: 'GET', url, headers: { origin: ORIGIN, cookie: cookies.get(role) ?? '' } });
  const page = async (role: Role, url: string): Promise<Page> => {
    const res = await get(role, url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json<Page>();
  };
  const allPages = async (role: Role, url: string, between?: () => Promise<void>): Promise<Item[]> => {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 300; guard++) {
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
  const exported = async (role: Role, url: string) => {
    const res = await get(role, url);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    return res;
  };

  /** Sales of the demo dealer copied from one of its own, all on one day and at one instant (ties). */
  const cloneSales = async (n: number, prefix: string, dealerId = ownDealer) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const [row] = await t.db.db
        .insert(purchases)
        .values({
          productId: template.productId,
          endUserId: template.endUserId,
          dealerId,
          purchaseDate: TIE_DAY,
          buyerName: `${prefix} ${i}`,
          buyerPhone: '+86 139 0000 4242',
          verification: 'verified',
          recordedBy: 'test',
        })
        .returning({ id: purchases.id });
      ids.push(row?.id ?? '');
    }
    await t.db.db.execute(
      sql`update purchases set created_at = cast(${TIE} as timestamptz) where buyer_name like ${`${prefix} %`}`,
    );
    return ids;
  };

  let orderSeq = 0;
  const cloneOrders = async (n: number, clientId: string, state: 'confirmed' | 'requested' = 'confirmed') => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const { id: _id, ...rest } = demoOrder;
      const requested =
        state === 'requested'
          ? { unitPriceMinor: null, currency: null, spareUnits: 0, lots: [], lotDetails: [] }
          : {};
      const [row] = await t.db.db
        .insert(oemOrders)
        .values({ ...rest, ...requested, state, orderNumber: `PAGE-${orderSeq++}`, clientId })
        .returning({ id: oemOrders.id });
      ids.push(row?.id ?? '');
    }
    await t.db.db.execute(
      sql`update oem_orders set created_at = cast(${TIE} as timestamptz) where order_number like 'PAGE-%'`,
    );
    return ids;
  };

  const addMessages = async (n: number, prefix: string, recipient = 'paging@example.com') => {
    for (let i = 0; i < n; i++) {
      await t.db.db.insert(outbox).values({
        topic: 'paging.test',
        recipient,
        subject: `${prefix} ${i}`,
        body: 'A note.',
      });
    }
    await t.db.db.execute(
      sql`update outbox set created_at = cast(${TIE} as timestamptz) where subject like ${`${prefix} %`}`,
    );
  };

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TEST_TODAY });
    for (const role of ['support', 'dealer', 'customer', 'oem', 'sales', 'qa', 'technician'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    const [liWei] = await t.db.db
      .select()
      .from(purchases)
      .where(eq(purchases.buyerName, DEMO_END_USERS[0].name));
    if (!liWei?.dealerId) throw new Error('no demo sale');
    template = liWei;
    ownDealer = liWei.dealerId;
    const [other] = await t.db.db
      .select({ id: dealers.id })
      .from(dealers)
      .where(sql`${dealers.id} <> ${ownDealer}`)
      .limit(1);
    otherDealer = other?.id ?? '';
    [otherSale = ''] = await cloneSales(1, 'Other dealer sale', otherDealer);
    await cloneSales(21, 'Tied sale');

    const [order] = await t.db.db
      .select()
      .from(oemOrders)
      .where(eq(oemOrders.orderNumber, DEMO_OEM_ORDER.orderNumber));
    if (!order) throw new Error('no demo order');
    demoOrder = order;
    const [client] = await t.db.db
      .insert(oemClients)
      .values({ name: 'Other Audio Co.', country: 'DE' })
      .returning({ id: oemClients.id });
    otherClient = client?.id ?? '';
    [otherOrder = ''] = await cloneOrders(1, otherClient);
    await cloneOrders(13, demoOrder.clientId);
    await cloneOrders(3, demoOrder.clientId, 'requested');
    await addMessages(17, 'Tied message');
  });

  describe('purchases', () => {
    it('pages by a tied purchase date in the table’s order, each sale once, while sales are added', async () => {
      const listed = await allPages('support', '/api/v1/purchases?limit=4');
      const db = rowsOf(
        await t.db.db.execute(sql`select id from purchases order by purchase_date desc, id desc`),
      );
      expect(listed.map((p) => p.id)).toEqual(db.map((r) => r.id));
      const before = listed.map((p) => p.id);
      let added = 0;
      const items = await allPages('dealer', '/api/v1/purchases?limit=3', async () => {
        await cloneSales(2, `Added sale ${added++}`);
      });
      const ids = items.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of before.filter((id) => id !== otherSale)) {
        const [row] = await t.db.db.select().from(purchases).where(eq(purchases.id, id));
        if (row?.dealerId === ownDealer) expect(ids).toContain(id);
      }
      expect(added).toBeGreaterThan(3);
    });

    it('gives a dealer its own sales only, in the list and the export; a customer theirs', async () => {
      const own = await allPages('dealer', '/api/v1/purchases?limit=200');
      expect(own.every((p) => (p.dealer as { id: string }).id === ownDealer)).toBe(true);
      expect(own.map((p) => p.id)).not.toContain(otherSale);
      // Asking for another dealer's sales by filter finds nothing: the scope is not a default.
      expect((await page('dealer', `/api/v1/purchases?dealerId=${otherDealer}`)).items).toEqual([]);
      const csv = await exported('dealer', '/api/v1/purchases/export.csv');
      expect(csvIds(csv.body)).toEqual(own.map((p) => p.id));
      expect(csv.body).not.toContain(otherSale);
      const mine = await allPages('customer', '/api/v1/purchases');
      expect(mine.every((p) => p.endUserId === template.endUserId)).toBe(true);
      expect((await get('qa', '/api/v1/purchases/export.csv')).statusCode).toBe(403);
    });

    it('filters by verification, product, dealer, purchase dates and free text, and sorts', async () => {
      const all = await allPages('support', '/api/v1/purchases?limit=200');
      const pending = await allPages('support', '/api/v1/purchases?verification=pending');
      expect(pending.length).toBeGreaterThan(0);
      expect(pending.every((p) => (p.verification as { state: string }).state === 'pending')).toBe(true);
      const ofDealer = await allPages('support', `/api/v1/purchases?dealerId=${otherDealer}`);
      expect(ofDealer.map((p) => p.id)).toContain(otherSale);
      expect(ofDealer.every((p) => (p.dealer as { id: string }).id === otherDealer)).toBe(true);
      const ofProduct = await allPages('support', `/api/v1/purchases?productId=${template.productId}`);
      expect(ofProduct.every((p) => (p.product as { id: string }).id === template.productId)).toBe(true);
      expect(ofProduct.length).toBeLessThan(all.length);
      const day = await allPages('support', `/api/v1/purchases?from=${TIE_DAY}&to=${TIE_DAY}`);
      expect(day.length).toBeGreaterThanOrEqual(22);
      expect(day.every((p) => p.purchaseDate === TIE_DAY)).toBe(true);
      const range = await get('support', '/api/v1/purchases?from=2026-11-02&to=2026-11-01');
      expect(range.statusCode).toBe(400);
      expect(range.json()).toMatchObject({ error: { code: 'INVALID_DATE_RANGE' } });
      // Free text: a phone fragment as people type it, and a wildcard that matches only itself.
      const byPhone = await allPages('support', `/api/v1/purchases?q=${encodeURIComponent('0000 4242')}`);
      expect(byPhone.length).toBeGreaterThanOrEqual(22);
      expect((await page('support', '/api/v1/purchases?q=%25')).items).toEqual([]);
      const recorded = await allPages('support', '/api/v1/purchases?sort=createdAt&order=asc&limit=7');
      const keys = recorded.map((p) => `${p.createdAt} ${p.id}`);
      expect(keys).toEqual([...keys].sort());
      expect((await get('support', '/api/v1/purchases?sort=buyerPhone')).statusCode).toBe(400);
    });

    it('exports what the filter selects, in the list’s order, formula cells neutralised', async () => {
      await t.db.db.update(purchases).set({ buyerName: FORMULA }).where(eq(purchases.id, otherSale));
      const url = `/api/v1/purchases?dealerId=${otherDealer}&sort=createdAt&order=desc`;
      const rows = await allPages('support', `${url}&limit=2`);
      const res = await exported('support', url.replace('purchases?', 'purchases/export.csv?'));
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="purchases-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      expect(res.body.replace(/^\uFEFF/, '').startsWith('purchase_id,purchase_date,verification')).toBe(true);
      expect(csvIds(res.body)).toEqual(rows.map((p) => p.id));
      expect(res.body).toContain(NEUTRALISED);
      expect(res.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    });

    it('pages the verification queue oldest first by cursor', async () => {
      const queue = await allPages('support', '/api/v1/purchase-verifications?state=verified&limit=5');
      const keys = queue.map((p) => `${p.createdAt} ${p.id}`);
      expect(keys).toEqual([...keys].sort());
      expect(new Set(queue.map((p) => p.id)).size).toBe(queue.length);
      const dealerQueue = await allPages('dealer', '/api/v1/purchase-verifications?state=verified');
      expect(dealerQueue.every((p) => (p.dealer as { id: string }).id === ownDealer)).toBe(true);
      expect(dealerQueue.map((p) => p.id)).not.toContain(otherSale);
    });
  });

  describe('OEM orders', () => {
    it('pages by a tied created time, each order once, while orders are added', async () => {
      const url = '/api/v1/oem-orders?limit=3';
      const before = (await allPages('sales', url)).map((o) => o.id);
      expect(before.length).toBeGreaterThanOrEqual(17);
      const items = await allPages('sales', url, async () => {
        await cloneOrders(2, demoOrder.clientId);
      });
      const ids = items.map((o) => o.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of before) expect(ids).toContain(id);
      const keys = items.map((o) => `${o.createdAt} ${o.id}`);
      expect(keys).toEqual([...keys].sort().reverse());
    });

    it('gives an OEM client its own orders only, in the list and the export', async () => {
      const own = await allPages('oem', '/api/v1/oem-orders?limit=200');
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((o) => (o.client as { id: string }).id === demoOrder.clientId)).toBe(true);
      expect((await page('oem', `/api/v1/oem-orders?clientId=${otherClient}`)).items).toEqual([]);
      const csv = await exported('oem', '/api/v1/oem-orders/export.csv');
      expect(csvIds(csv.body)).toEqual(own.map((o) => o.id));
      expect(csv.body).not.toContain(otherOrder);
      expect(
        (await page('sales', `/api/v1/oem-orders?clientId=${otherClient}`)).items.map((o) => o.id),
      ).toEqual([otherOrder]);
      expect((await get('dealer', '/api/v1/oem-orders/export.csv')).statusCode).toBe(403);
    });

    it('filters by state, client, product, order dates and free text, and sorts', async () => {
      const requested = await allPages('sales', '/api/v1/oem-orders?state=requested');
      expect(requested.length).toBeGreaterThanOrEqual(3);
      expect(requested.every((o) => o.state === 'requested')).toBe(true);
      const ofProduct = await allPages('sales', `/api/v1/oem-orders?productId=${demoOrder.productId}`);
      expect(ofProduct.every((o) => (o.product as { id: string }).id === demoOrder.productId)).toBe(true);
      const day = demoOrder.orderedOn;
      const onDay = await allPages('sales', `/api/v1/oem-orders?from=${day}&to=${day}`);
      expect(onDay.length).toBeGreaterThan(0);
      expect(onDay.every((o) => o.orderedOn === day)).toBe(true);
      const byNumber = await allPages('sales', '/api/v1/oem-orders?q=page-1');
      expect(byNumber.length).toBeGreaterThan(0);
      expect(byNumber.every((o) => String(o.orderNumber).startsWith('PAGE-1'))).toBe(true);
      const byClient = await allPages('sales', '/api/v1/oem-orders?q=other%20audio');
      expect(byClient.map((o) => o.id)).toEqual([otherOrder]);
      const byNumberSort = await allPages('sales', '/api/v1/oem-orders?sort=orderNumber&order=asc&limit=4');
      const numbers = byNumberSort.map((o) => String(o.orderNumber));
      expect(numbers).toEqual(
        rowsOf(await t.db.db.execute(sql`select order_number from oem_orders order by order_number, id`)).map(
          (r) => String(r.order_number),
        ),
      );
    });

    it('exports the orders the filter selects, formula cells neutralised', async () => {
      await t.db.db.update(oemOrders).set({ orderNumber: FORMULA }).where(eq(oemOrders.id, otherOrder));
      const res = await exported('sales', `/api/v1/oem-orders/export.csv?clientId=${otherClient}`);
      expect(res.headers['content-disposition']).toMatch(/filename="oem-orders-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(csvIds(res.body)).toEqual([otherOrder]);
      expect(res.body).toContain(NEUTRALISED);
      expect(res.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    });
  });

  describe('messages', () => {
    it('pages newest first, each message once, while messages are added', async () => {
      const before = (await allPages('support', '/api/v1/messages?limit=200')).map((m) => m.id);
      let added = 0;
      const items = await allPages('support', '/api/v1/messages?limit=4', async () => {
        await addMessages(2, `Added message ${added++}`);
      });
      const ids = items.map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of before) expect(ids).toContain(id);
      const keys = items.map((m) => `${m.createdAt} ${m.id}`);
      expect(keys).toEqual([...keys].sort().reverse());
    });

    it('filters by status, kind, channel, recipient, days and free text', async () => {
      await addMessages(2, 'Phone message', '+86 139 0000 4242');
      const phone = await allPages('support', '/api/v1/messages?channel=phone');
      expect(phone.length).toBeGreaterThanOrEqual(2);
      expect(phone.every((m) => m.channel === 'phone')).toBe(true);
      const toCall = await allPages('support', '/api/v1/messages?status=to_call');
      expect(toCall.every((m) => m.status === 'to_call')).toBe(true);
      const kind = await allPages('support', '/api/v1/messages?topic=paging.');
      expect(kind.every((m) => m.topic === 'paging.test')).toBe(true);
      const byRecipient = await allPages('support', '/api/v1/messages?recipient=PAGING@example.com');
      expect(byRecipient.length).toBeGreaterThanOrEqual(17);
      expect(byRecipient.every((m) => m.recipient === 'paging@example.com')).toBe(true);
      // 1 November 08:00 UTC is 1 November 16:00 in Shanghai, the store's day.
      const day = await allPages('support', '/api/v1/messages?from=2026-11-01&to=2026-11-01');
      expect(day.length).toBeGreaterThanOrEqual(19);
      expect(
        day.every(
          (m) => m.createdAt >= '2026-10-31T16:00:00.000Z' && m.createdAt < '2026-11-01T16:00:00.000Z',
        ),
      ).toBe(true);
      expect(
        (await page('support', '/api/v1/messages?from=2026-11-02&to=2026-11-02')).items.map((m) => m.subject),
      ).not.toContain('Tied message 0');
      const text = await allPages('support', '/api/v1/messages?q=tied%20MESSAGE%201');
      expect(text.map((m) => m.subject).sort()).toEqual(
        ['Tied message 1', ...Array.from({ length: 7 }, (_, i) => `Tied message 1${i}`)].sort(),
      );
    });

    it('exports without bodies or link secrets, formula cells neutralised, a role its own inbox only', async () => {
      const secret = 'tok_0123456789abcdefSECRET';
      const [row] = await t.db.db
        .insert(outbox)
        .values({
          topic: 'quote.sent',
          recipient: 'secret@example.com',
          subject: FORMULA,
          body: `Answer here: https://aftersales.example/q/${secret}`,
          sealedLink: `sealed:${secret}`,
          payload: { token: secret },
        })
        .returning({ id: outbox.id });
      const res = await exported('support', '/api/v1/messages/export.csv?recipient=secret@example.com');
      expect(res.headers['content-disposition']).toMatch(/filename="messages-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(csvIds(res.body)).toEqual([row?.id]);
      expect(res.body).toContain(NEUTRALISED);
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain('Answer here');
      // QA reads the notices addressed to QA, and exports nothing else.
      const qa = await exported('qa', '/api/v1/messages/export.csv');
      const qaIds = csvIds(qa.body);
      const inbox = await allPages('qa', '/api/v1/messages');
      expect(qaIds).toEqual(inbox.map((m) => m.id));
      expect(inbox.every((m) => m.recipient === 'role:qa')).toBe(true);
      expect(qa.body).not.toContain(row?.id ?? 'none');
      expect((await get('dealer', '/api/v1/messages/export.csv')).statusCode).toBe(403);
    });
  });

  it('refuses a cursor another list or sort gave out, or a forged one, with 400 INVALID_CURSOR', async () => {
    const purchasesCursor = (await page('support', '/api/v1/purchases?limit=2')).nextCursor ?? '';
    const ordersCursor = (await page('sales', '/api/v1/oem-orders?limit=2')).nextCursor ?? '';
    const messagesCursor = (await page('support', '/api/v1/messages?limit=2')).nextCursor ?? '';
    const forged = (list: string, sort: string, order: 'asc' | 'desc') =>
      encodeCursor({ list, sort, order, key: 'not a key', id: template.id });
    const cases: [Role, string][] = [
      ['support', `/api/v1/purchases?cursor=${ordersCursor}`],
      ['support', `/api/v1/purchases?sort=createdAt&cursor=${purchasesCursor}`],
      ['support', `/api/v1/purchases?order=asc&cursor=${purchasesCursor}`],
      ['support', `/api/v1/purchases?cursor=${forged('purchases', 'purchaseDate', 'desc')}`],
      ['support', `/api/v1/purchase-verifications?cursor=${purchasesCursor}`],
      ['sales', `/api/v1/oem-orders?cursor=${messagesCursor}`],
      ['sales', `/api/v1/oem-orders?sort=orderedOn&cursor=${ordersCursor}`],
      ['sales', `/api/v1/oem-orders?cursor=${forged('oem-orders', 'createdAt', 'desc')}`],
      ['support', `/api/v1/messages?cursor=${purchasesCursor}`],
      ['support', `/api/v1/messages?cursor=${forged('messages', 'createdAt', 'desc')}`],
      ['support', '/api/v1/messages?cursor=bm90LWEtY3Vyc29y'],
    ];
    for (const [role, url] of cases) {
      const res = await get(role, url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ error: { code: 'INVALID_CURSOR' } });
    }
  });
});
