import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  claimTextMatch,
  maintenanceOrderTextMatch,
  purchaseTextMatch,
  quoteTextMatch,
  SEARCH_CANDIDATES,
} from '../../src/app/search/predicates.js';
import { SEARCH_GROUP_SIZE } from '../../src/app/search/search.js';
import { scalarOf } from '../../src/db/rows.js';
import {
  claims,
  dealers,
  endUsers,
  maintenanceOrders,
  purchases,
  quotes,
  serviceCenters,
} from '../../src/db/schema.js';
import {
  DEMO_DEALERS,
  DEMO_END_USERS,
  DEMO_PURCHASES,
  DEMO_SERVICE_CENTERS,
  seedDemoData,
} from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import type { SearchResultsBody } from '../../src/http/search/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { claimOn, insertOrder } from '../support/maintenance.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * The staff search (GET /api/v1/search, app/search): what it finds, and what it never shows. The demo
 * seed's Li Wei (+86 138 0013 5521) bought HS200-2406-001732 from the demo dealer; Zhang Min
 * (+86 139 1021 7784) bought BTH500-2405-004410 from another dealer. Each gets a claim and a maintenance
 * order: Li Wei's at the demo technician's center, Zhang Min's at another.
 */

const liWei = { ...DEMO_END_USERS[0], serial: DEMO_PURCHASES[0].serial };
const zhangMin = { ...DEMO_END_USERS[1], serial: DEMO_PURCHASES[1].serial };

describe.each(testDatabases())('staff search on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  const ids = {
    ownPurchase: '',
    otherPurchase: '',
    ownClaim: '',
    otherClaim: '',
    ownOrder: '',
    otherOrder: '',
    ownNumber: '',
    otherNumber: '',
    wildcardPurchase: '',
  };

  const get = (role: Role, q: string) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/search?q=${encodeURIComponent(q)}`,
      headers: { origin: ORIGIN, cookie: cookies.get(role) },
    });
  const search = async (role: Role, q: string) => {
    const res = await get(role, q);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<SearchResultsBody>();
  };
  const idsOf = (group: { items: { id: string }[] } | null) => (group?.items ?? []).map((i) => i.id);

  beforeAll(async () => {
    const db = t.db.db;
    await seedDemoData(db, { today: Temporal.PlainDate.from('2026-11-25') });
    for (const role of [
      'support',
      'admin',
      'qa',
      'sales',
      'dealer',
      'technician',
      'customer',
      'oem',
    ] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    const purchaseOf = async (buyerName: string) => {
      const [row] = await db.select().from(purchases).where(eq(purchases.buyerName, buyerName));
      if (!row) throw new Error(`no demo purchase of ${buyerName}`);
      return row;
    };
    const own = await purchaseOf(liWei.name);
    const other = await purchaseOf(zhangMin.name);
    ids.ownPurchase = own.id;
    ids.otherPurchase = other.id;
    // The demo seed as the test reads it: Li Wei's sale is the demo dealer's, Zhang Min's another's.
    const [ownDealer] = await db
      .select()
      .from(dealers)
      .where(eq(dealers.id, own.dealerId ?? ''));
    expect(ownDealer?.name).toBe(DEMO_DEALERS[0].name);
    expect(other.dealerId).not.toBe(own.dealerId);

    ids.ownClaim = await claimOn(t.app, db, own.id, null);
    ids.otherClaim = await claimOn(t.app, db, other.id, null);
    const centers = await db.select().from(serviceCenters);
    const center = (n: number) => centers.find((c) => c.nameEn === DEMO_SERVICE_CENTERS[n]?.nameEn)?.id ?? '';
    const ownOrder = await insertOrder(db, {
      claimId: ids.ownClaim,
      serviceCenterId: center(0),
      mode: 'walk_in',
    });
    const otherOrder = await insertOrder(db, {
      claimId: ids.otherClaim,
      serviceCenterId: center(1),
      mode: 'mail_in',
    });
    ids.ownOrder = ownOrder.id;
    ids.otherOrder = otherOrder.id;
    ids.ownNumber = ownOrder.maintenanceNumber;
    ids.otherNumber = otherOrder.maintenanceNumber;

    // A buyer whose name holds the LIKE wildcards themselves, sold by the demo dealer.
    const [wildcard] = await db
      .insert(purchases)
      .values({
        productId: own.productId,
        dealerId: own.dealerId,
        endUserId: own.endUserId,
        purchaseDate: own.purchaseDate,
        recordedBy: 'fixture',
        buyerName: 'Wild_card 50% Ltd',
      })
      .returning({ id: purchases.id });
    ids.wildcardPurchase = wildcard?.id ?? '';
  });

  it('finds a claim, its order and its purchase by a fragment of the customer’s phone, as people type it', async () => {
    for (const q of ['138 0013', '13800', '0013-5521', '(138) 0013 55']) {
      const found = await search('support', q);
      expect(idsOf(found.claims), q).toContain(ids.ownClaim);
      expect(idsOf(found.maintenanceOrders), q).toContain(ids.ownOrder);
      expect(idsOf(found.purchases), q).toContain(ids.ownPurchase);
      const hit = found.claims?.items.find((c) => c.id === ids.ownClaim);
      expect(hit?.matched, q).toContain('customerPhone');
      expect(hit?.customer.phone).toBe(liWei.phone);
      // Zhang Min's number has none of these digits in a row.
      expect(idsOf(found.claims), q).not.toContain(ids.otherClaim);
    }
  });

  it('finds a claim by any part of its serial, case aside, and an order by its maintenance number', async () => {
    const bySerial = await search('support', liWei.serial.slice(3).toLowerCase());
    expect(idsOf(bySerial.claims)).toContain(ids.ownClaim);
    expect(bySerial.claims?.items.find((c) => c.id === ids.ownClaim)?.matched).toEqual(['serial']);
    expect(bySerial.claims?.items.find((c) => c.id === ids.ownClaim)?.serial).toBe(liWei.serial);

    const byNumber = await search('support', ids.ownNumber.slice(-8));
    expect(idsOf(byNumber.maintenanceOrders)).toEqual([ids.ownOrder]);
    expect(byNumber.maintenanceOrders?.items[0]?.matched).toContain('maintenanceNumber');
    expect(idsOf(byNumber.claims)).toEqual([ids.ownClaim]);

    const byReference = await search('support', ids.otherClaim.slice(0, 13));
    expect(idsOf(byReference.claims)).toEqual([ids.otherClaim]);
    expect(byReference.claims?.items[0]?.matched).toEqual(['claimReference']);

    const byEmail = await search('support', 'LI.WEI@example');
    expect(idsOf(byEmail.claims)).toContain(ids.ownClaim);
  });

  it('never shows a dealer another dealer’s sale or its claim, by serial, name or phone', async () => {
    for (const q of [
      zhangMin.serial,
      zhangMin.serial.slice(-6),
      zhangMin.name,
      zhangMin.phone,
      '139 1021 7784',
    ]) {
      const asSupport = await search('support', q);
      expect(idsOf(asSupport.purchases), `support: ${q}`).toContain(ids.otherPurchase);
      const asDealer = await search('dealer', q);
      expect(idsOf(asDealer.purchases), `dealer: ${q}`).toEqual([]);
      expect(idsOf(asDealer.claims), `dealer: ${q}`).toEqual([]);
      // A dealer reads no maintenance orders at all: the group is absent, not empty.
      expect(asDealer.maintenanceOrders).toBeNull();
    }
    // Its own sale it finds, by the same kinds of text.
    for (const q of [liWei.serial, liWei.name, '138 0013 5521']) {
      const asDealer = await search('dealer', q);
      expect(idsOf(asDealer.purchases), q).toContain(ids.ownPurchase);
      expect(idsOf(asDealer.claims), q).toContain(ids.ownClaim);
    }
  });

  it('never shows a technician another center’s order', async () => {
    for (const q of [ids.otherNumber, zhangMin.serial, zhangMin.name, '139 1021']) {
      const asTechnician = await search('technician', q);
      expect(idsOf(asTechnician.maintenanceOrders), q).toEqual([]);
      // Technicians read no claims nor purchases: those groups are absent.
      expect(asTechnician.claims).toBeNull();
      expect(asTechnician.purchases).toBeNull();
    }
    for (const q of [ids.ownNumber, liWei.serial, liWei.name]) {
      expect(idsOf((await search('technician', q)).maintenanceOrders), q).toEqual([ids.ownOrder]);
    }
  });

  it('shows QA and sales only the kinds their role reads', async () => {
    const asQa = await search('qa', liWei.serial);
    expect(idsOf(asQa.claims)).toContain(ids.ownClaim);
    expect(idsOf(asQa.maintenanceOrders)).toContain(ids.ownOrder);
    expect(asQa.purchases).toBeNull();
    const asSales = await search('sales', liWei.serial);
    expect(idsOf(asSales.claims)).toContain(ids.ownClaim);
    expect(asSales.maintenanceOrders).toBeNull();
    expect(asSales.purchases).toBeNull();
  });

  it('refuses customers and OEM clients, and callers without a session', async () => {
    expect((await get('customer', liWei.serial)).statusCode).toBe(403);
    expect((await get('oem', liWei.serial)).statusCode).toBe(403);
    const anonymous = await t.app.inject({
      method: 'GET',
      url: `/api/v1/search?q=${encodeURIComponent(liWei.serial)}`,
      headers: { origin: ORIGIN },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('takes % and _ as the characters they are, not as wildcards', async () => {
    // As wildcards, `Li_Wei` would match "Li Wei" and `%` everything.
    expect(idsOf((await search('support', 'Li_Wei')).claims)).toEqual([]);
    expect(idsOf((await search('support', 'Li%Wei')).purchases)).toEqual([]);
    const everything = await search('support', '%%');
    expect([everything.claims, everything.maintenanceOrders, everything.purchases].flatMap(idsOf)).toEqual(
      [],
    );
    const literal = await search('support', 'd_card 50%');
    expect(idsOf(literal.purchases)).toEqual([ids.wildcardPurchase]);
    expect(literal.purchases?.items[0]?.matched).toEqual(['buyerName']);
    expect(idsOf((await search('support', 'dXcard 50X')).purchases)).toEqual([]);
  });

  it('refuses a text too short, too long or with a control character with a 400 and a code', async () => {
    const cases: [string, string][] = [
      ['a', 'VALIDATION_FAILED'],
      ['  a  ', 'VALIDATION_FAILED'],
      ['x'.repeat(101), 'VALIDATION_FAILED'],
      ['Li\u0000Wei', ''],
      ['Li\u001bWei', ''],
      ['138\r\n0013', ''],
    ];
    for (const [q, code] of cases) {
      const res = await get('support', q);
      expect(res.statusCode, JSON.stringify(q)).toBe(400);
      const { error } = res.json<{ error: { code: string; message: string } }>();
      expect(error.message.length).toBeGreaterThan(0);
      if (code) expect(error.code).toBe(code);
      else expect(error.code).toMatch(/^[A-Z_]+$/);
    }
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search',
      headers: { origin: ORIGIN, cookie: cookies.get('support') },
    });
    expect(missing.statusCode).toBe(400);
    // 100 characters once trimmed is allowed.
    expect((await get('support', ` ${'x'.repeat(100)} `)).statusCode).toBe(200);
  });

  it('matches a text under three characters at the start of a value: a two-character name, not the middle of one', async () => {
    const db = t.db.db;
    const own = await db.select().from(purchases).where(eq(purchases.id, ids.ownPurchase));
    const [wang] = await db
      .insert(purchases)
      .values({
        productId: own[0]?.productId ?? '',
        dealerId: own[0]?.dealerId ?? null,
        endUserId: own[0]?.endUserId ?? '',
        purchaseDate: own[0]?.purchaseDate ?? '2026-11-01',
        recordedBy: 'fixture',
        buyerName: '王伟',
      })
      .returning({ id: purchases.id });
    const byName = await search('support', '王伟');
    expect(idsOf(byName.purchases)).toEqual([wang?.id]);
    expect(byName.purchases?.items[0]?.matched).toEqual(['buyerName']);
    // The start of a name finds it (Zhang Min), two letters from its middle do not ("in" of Min).
    expect(idsOf((await search('support', 'zh')).purchases)).toContain(ids.otherPurchase);
    expect(idsOf((await search('support', 'in')).purchases)).not.toContain(ids.otherPurchase);
    expect(idsOf((await search('dealer', 'zh')).purchases)).not.toContain(ids.otherPurchase);
    // The lists' q reads short texts the same way.
    const listed = (await db.select({ id: purchases.id }).from(purchases).where(purchaseTextMatch('in'))).map(
      (r) => r.id,
    );
    expect(listed).not.toContain(ids.otherPurchase);
    await db.delete(purchases).where(eq(purchases.id, wang?.id ?? ''));
  });

  it('caps a common name at its candidates and says more; a dealer still finds its own sale among them and no other', async () => {
    const db = t.db.db;
    const [own] = await db.select().from(purchases).where(eq(purchases.id, ids.ownPurchase));
    const [other] = await db.select().from(purchases).where(eq(purchases.id, ids.otherPurchase));
    if (!own || !other) throw new Error('no demo purchases');
    // More customers called Chen Gang than the search takes as candidates, all but the last another
    // dealer's: the first candidates found are the other dealer's, which the dealer may not see.
    const many = SEARCH_CANDIDATES + 20;
    const customers = await db
      .insert(endUsers)
      .values(
        Array.from({ length: many + 1 }, (_, i) => ({
          name: `Chen Gang ${i}`,
          email: `chen.gang.${i}@example.com`,
        })),
      )
      .returning({ id: endUsers.id });
    const sold = await db
      .insert(purchases)
      .values(
        customers.map((c, i) => ({
          productId: other.productId,
          dealerId: i < many ? other.dealerId : own.dealerId,
          endUserId: c.id,
          purchaseDate: other.purchaseDate,
          recordedBy: 'fixture',
        })),
      )
      .returning({ id: purchases.id, dealerId: purchases.dealerId });
    const ownSale = sold.find((p) => p.dealerId === own.dealerId)?.id;

    const asSupport = await search('support', 'Chen Gang');
    expect(asSupport.purchases?.items).toHaveLength(SEARCH_GROUP_SIZE);
    expect(asSupport.purchases?.more).toBe(true);
    for (const hit of asSupport.purchases?.items ?? []) expect(hit.matched).toContain('customerName');

    const asDealer = await search('dealer', 'Chen Gang');
    expect(idsOf(asDealer.purchases)).toEqual([ownSale]);
    expect(asDealer.purchases?.more).toBe(false);
    // A whole name is one customer, whoever sold to them.
    expect(idsOf((await search('support', `Chen Gang ${many}`)).purchases)).toEqual([ownSale]);
    expect(idsOf((await search('dealer', 'Chen Gang 7')).purchases)).toEqual([]);

    await db.delete(purchases).where(sql`${purchases.id} in ${sold.map((p) => p.id)}`);
    await db.delete(endUsers).where(sql`${endUsers.id} in ${customers.map((c) => c.id)}`);
  });

  it('gives the lists the same match: claims, orders, purchases and quotes by phone fragment', async () => {
    const db = t.db.db;
    const claimIds = (await db.select({ id: claims.id }).from(claims).where(claimTextMatch('138 0013'))).map(
      (r) => r.id,
    );
    expect(claimIds).toContain(ids.ownClaim);
    expect(claimIds).not.toContain(ids.otherClaim);
    const orderIds = (
      await db
        .select({ id: maintenanceOrders.id })
        .from(maintenanceOrders)
        .where(maintenanceOrderTextMatch(zhangMin.serial))
    ).map((r) => r.id);
    expect(orderIds).toEqual([ids.otherOrder]);
    const purchaseIds = (
      await db.select({ id: purchases.id }).from(purchases).where(purchaseTextMatch('zhang min'))
    ).map((r) => r.id);
    expect(purchaseIds).toContain(ids.otherPurchase);
    expect(purchaseIds).not.toContain(ids.ownPurchase);
    // A quote is found through its claim: by the maintenance number of the order it was priced for.
    const [quote] = await db
      .insert(quotes)
      .values({
        claimId: ids.ownClaim,
        maintenanceOrderId: ids.ownOrder,
        lines: [],
        totalMinor: 0,
        currency: 'CNY',
        quotedBy: 'fixture',
      })
      .returning({ id: quotes.id });
    const quoteIds = (
      await db.select({ id: quotes.id }).from(quotes).where(quoteTextMatch(ids.ownNumber))
    ).map((r) => r.id);
    expect(quoteIds).toEqual([quote?.id]);
    expect(await db.select({ id: quotes.id }).from(quotes).where(quoteTextMatch(ids.otherNumber))).toEqual(
      [],
    );
  });

  it('has pg_trgm, and the trigram indexes the predicates are written for', async () => {
    const db = t.db.db;
    expect(
      scalarOf(
        await db.execute(sql`select count(*)::int as n from pg_extension where extname = 'pg_trgm'`),
        'n',
      ),
    ).toBe(1);
    const indexes = scalarOf(
      await db.execute(sql`select count(*)::int as n from pg_indexes where indexdef like '%gin_trgm_ops%'`),
      'n',
    );
    expect(indexes).toBe(10);
  });
});
