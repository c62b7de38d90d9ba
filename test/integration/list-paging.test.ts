import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/app/lists/cursor.js';
import { rowsOf } from '../../src/db/rows.js';
import { claims, dealers, endUsers, purchases, serviceCenters } from '../../src/db/schema.js';
import { DEMO_END_USERS, DEMO_SERVICE_CENTERS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { claimOn, endUserIdOf, insertOrder, purchaseFor, TEST_TODAY } from '../support/maintenance.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

type Item = { id: string; createdAt: string; [k: string]: unknown };
type Page = { items: Item[]; nextCursor: string | null };

/** Every claim and maintenance order list reads one keyset page at a time: the attacks are on paging. */
describe.each(testDatabases())('list paging on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  const TIE = '2026-11-01T08:00:00.123456Z';
  let templateClaim: typeof claims.$inferSelect;
  let shenzhen: string;
  let shanghai: string;
  let dealerId: string;
  let otherClaim: string;

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

  /** Claims copied from one of the demo claims, all created at the same instant (ties on the sort key). */
  const cloneClaims = async (n: number, createdAt: string, prefix: string) => {
    for (let i = 0; i < n; i++) {
      const { id: _id, idempotencyKey: _k, ...rest } = templateClaim;
      await t.db.db
        .insert(claims)
        .values({
          ...rest,
          description: `${prefix} ${i}`,
          reportedOn: '2026-11-01',
          createdAt: new Date(createdAt),
        })
        .returning({ id: claims.id });
    }
    // Give them the database's own microseconds, which a JavaScript Date would have cut off.
    await t.db.db.execute(
      sql`update claims set created_at = cast(${TIE} as timestamptz) where description like ${`${prefix} %`} and created_at = ${new Date(createdAt)}`,
    );
  };

  const cloneOrders = async (n: number, centerId: string, createdAt: string) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const order = await insertOrder(t.db.db, {
        claimId: templateClaim.id,
        serviceCenterId: centerId,
        mode: 'mail_in',
        state: 'cancelled',
        createdAt: new Date(createdAt),
      });
      ids.push(order.id);
    }
    return ids;
  };

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TEST_TODAY });
    for (const role of ['support', 'technician', 'dealer', 'customer'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    // A claim of Li Wei's on his purchase from the demo dealer: the template of the tied claims.
    const [liWei] = await t.db.db
      .select({ id: purchases.id })
      .from(purchases)
      .where(eq(purchases.buyerName, DEMO_END_USERS[0].name));
    const claimId = await claimOn(t.app, t.db.db, liWei?.id ?? '', null);
    const [claim] = await t.db.db.select().from(claims).where(eq(claims.id, claimId));
    if (!claim) throw new Error('no claim');
    templateClaim = claim;
    // And a claim on a sale of no dealer: never the demo dealer's.
    otherClaim = await claimOn(t.app, t.db.db, await purchaseFor(t.db.db, DEMO_END_USERS[1].name, 30), null);
    const centerId = async (nameEn: string) =>
      (await t.db.db.select().from(serviceCenters).where(eq(serviceCenters.nameEn, nameEn)))[0]?.id ?? '';
    shenzhen = await centerId(DEMO_SERVICE_CENTERS[0].nameEn);
    shanghai = await centerId(DEMO_SERVICE_CENTERS[1].nameEn);
    dealerId = (await t.db.db.select({ id: dealers.id }).from(dealers).limit(1))[0]?.id ?? '';
    await cloneClaims(23, '2026-11-01T08:00:00Z', 'Tied claim');
    await cloneOrders(17, shenzhen, TIE);
  });

  it('pages claims sorted by a tied created date: the pages are the table’s order, each row once', async () => {
    const items = await allPages('support', '/api/v1/claims?limit=4');
    const db = rowsOf(await t.db.db.execute(sql`select id from claims order by created_at desc, id desc`));
    expect(items.map((c) => c.id)).toEqual(db.map((r) => r.id));
    expect(items.filter((c) => c.createdAt.startsWith('2026-11-01T08:00:00.123')).length).toBe(23);
  });

  it('neither skips nor repeats a claim while claims are added between page fetches', async () => {
    const before = rowsOf(await t.db.db.execute(sql`select id from claims`)).map((r) => String(r.id));
    let added = 0;
    const items = await allPages('support', '/api/v1/claims?limit=3&sort=createdAt&order=desc', async () => {
      // Ties at the same instant (some sort ahead of the cursor, some behind) and newer ones.
      await cloneClaims(2, '2026-11-01T08:00:00Z', `Added ${added++}`);
    });
    const ids = items.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of before) expect(ids).toContain(id);
    expect(added).toBeGreaterThan(3);
  });

  it('neither skips nor repeats a maintenance order while orders are added, sorted by created date', async () => {
    const url = `/api/v1/maintenance-orders?limit=4&sort=createdAt&order=asc&serviceCenterId=${shenzhen}`;
    const before = (await allPages('support', url)).map((o) => o.id);
    expect(before.length).toBeGreaterThanOrEqual(17);
    const items = await allPages('support', url, async () => {
      await cloneOrders(2, shenzhen, TIE);
    });
    const ids = items.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    // In the list's order throughout: created date, then id, ascending.
    const keys = items.map((o) => `${o.createdAt} ${o.id}`);
    expect(keys).toEqual([...keys].sort());
    for (const id of before) expect(ids).toContain(id);
  });

  it('filters and sorts claims', async () => {
    const byReported = await allPages('support', '/api/v1/claims?sort=reportedOn&order=asc&limit=200');
    const days = byReported.map((c) => String(c.reportedOn));
    expect(days).toEqual([...days].sort());
    const open = await allPages('support', '/api/v1/claims?status=open');
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((c) => c.status === 'open')).toBe(true);
    const ofDealer = await allPages('support', `/api/v1/claims?dealerId=${dealerId}`);
    expect(ofDealer.every((c) => (c.dealer as { id: string } | null)?.id === dealerId)).toBe(true);
    const from = '2026-11-20';
    const recent = await allPages('support', `/api/v1/claims?from=${from}`);
    expect(recent.every((c) => String(c.reportedOn) >= from)).toBe(true);
    expect(recent.length).toBeLessThan(byReported.length);
    const windowed = await allPages('support', '/api/v1/claims?window=expired');
    expect(windowed.every((c) => (c.decision as { window: string }).window === 'expired')).toBe(true);
    // Free text: the customer's phone fragment, and a wildcard that matches only itself.
    const phone = DEMO_END_USERS[0].phone.slice(-4);
    const byPhone = await allPages('support', `/api/v1/claims?q=${encodeURIComponent(phone)}`);
    expect(byPhone.length).toBeGreaterThan(0);
    expect(byPhone.every((c) => c.endUserId === templateClaim.endUserId)).toBe(true);
    expect((await page('support', '/api/v1/claims?q=%25')).items).toEqual([]);
  });

  it('filters and sorts maintenance orders: state, center, SLA state, age, finished work', async () => {
    const dated = await allPages('support', '/api/v1/maintenance-orders?limit=200');
    const dues = dated.map((o) => (o.dueOn as string | null) ?? '9999-12-31');
    expect(dues).toEqual([...dues].sort());
    const cancelled = await allPages('support', '/api/v1/maintenance-orders?state=cancelled');
    expect(cancelled.every((o) => o.state === 'cancelled')).toBe(true);
    const inShanghai = await allPages('support', `/api/v1/maintenance-orders?serviceCenterId=${shanghai}`);
    expect(inShanghai.every((o) => (o.serviceCenter as { id: string }).id === shanghai)).toBe(true);
    for (const sla of ['on_track', 'due_soon', 'missed', 'met', 'not_started'] as const) {
      const rows = await allPages('support', `/api/v1/maintenance-orders?sla=${sla}`);
      expect(
        rows.every((o) => (o.commitment as { status: string }).status === sla),
        sla,
      ).toBe(true);
      const expected = dated.filter((o) => (o.commitment as { status: string }).status === sla);
      expect(rows.map((o) => o.id).sort(), sla).toEqual(expected.map((o) => o.id).sort());
    }
    const finished = await allPages('technician', '/api/v1/maintenance-orders?finished=true');
    expect(finished.every((o) => o.state === 'returned' || o.state === 'closed')).toBe(true);
    const old = await allPages('support', '/api/v1/maintenance-orders?minAgeDays=20');
    expect(old.map((o) => o.id).sort()).toEqual(
      dated
        .filter((o) => o.createdAt <= '2026-11-05T04:00:00.000Z')
        .map((o) => o.id)
        .sort(),
    );
    const one = dated.find((o) => o.state !== 'cancelled') ?? dated[0];
    const number = String(one?.maintenanceNumber);
    const byNumber = await page('support', `/api/v1/maintenance-orders?q=${number.slice(-6)}`);
    expect(byNumber.items.map((o) => o.id)).toContain(one?.id);
  });

  it('refuses a cursor it did not give out for this list and sort with 400 INVALID_CURSOR', async () => {
    const first = await page('support', '/api/v1/claims?limit=2');
    const cursor = first.nextCursor ?? '';
    const forged = encodeCursor({
      list: 'claims',
      sort: 'createdAt',
      order: 'desc',
      key: 'not a time',
      id: templateClaim.id,
    });
    for (const url of [
      `/api/v1/maintenance-orders?cursor=${cursor}`,
      `/api/v1/claims?sort=reportedOn&cursor=${cursor}`,
      `/api/v1/claims?order=asc&cursor=${cursor}`,
      '/api/v1/claims?cursor=bm90LWEtY3Vyc29y',
      '/api/v1/claims?cursor=%7B%7D',
      `/api/v1/claims?cursor=${forged}`,
    ]) {
      const res = await get('support', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ error: { code: 'INVALID_CURSOR' } });
    }
  });

  it('exports what the filter selects as CSV, in the list’s order, formula cells neutralised', async () => {
    const customerId = await endUserIdOf(t.db.db, DEMO_END_USERS[0].name);
    await t.db.db
      .update(endUsers)
      .set({ name: '=HYPERLINK("http://evil.example","看这里")' })
      .where(eq(endUsers.id, customerId));
    const url = `/api/v1/maintenance-orders?serviceCenterId=${shenzhen}&sort=createdAt&order=desc`;
    const rows = await allPages('support', `${url}&limit=5`);
    const res = await get('support', url.replace('maintenance-orders?', 'maintenance-orders/export.csv?'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="maintenance-orders-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]?.startsWith('order_id,maintenance_number,state,sla')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(rows.map((o) => o.id));
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"",""看这里"")"`);
    expect(res.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('gives a dealer’s export only the claims on its own sales', async () => {
    const own = (await allPages('dealer', '/api/v1/claims')).map((c) => c.id);
    expect(own.length).toBeGreaterThan(0);
    const res = await get('dealer', '/api/v1/claims/export.csv');
    expect(res.statusCode, res.body).toBe(200);
    const exported = res.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(exported).toEqual(own);
    const all = rowsOf(await t.db.db.execute(sql`select id from claims`)).map((r) => String(r.id));
    expect(all.length).toBeGreaterThan(own.length);
    expect(all).toContain(otherClaim);
    expect(res.body).not.toContain(otherClaim);
    const technician = await get('technician', '/api/v1/claims/export.csv');
    expect(technician.statusCode).toBe(403);
  });
});
