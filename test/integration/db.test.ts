import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, getTableName, is, ne, sql } from 'drizzle-orm';
import { PgTable, pgSchema, serial, text } from 'drizzle-orm/pg-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type DatabaseHandle, driverOf, openDatabase } from '../../src/db/client.js';
import { databaseErrorOf, isUniqueViolation, SQLSTATE } from '../../src/db/errors.js';
import { migrateDatabase, migrationsFolder } from '../../src/db/migrate.js';
import { ensureBuiltInPolicies, findProductBySku, loadPolicyVersions } from '../../src/db/policies.js';
import * as schema from '../../src/db/schema.js';
import { DEMO_OEM_ORDER, DEMO_PURCHASES, DEMO_REPAIRS, DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { decide } from '../../src/domain/policy/evaluate.js';
import { builtInPolicyVersions, halotekPolicyV1 } from '../../src/domain/policy/halotek.js';
import { createScratchPostgresDatabase, testDatabases } from '../support/databases.js';

const TODAY = Temporal.PlainDate.from('2026-11-25');

// Declared here rather than read with raw SQL, so the same typed query works on both drivers.
const appliedMigrations = pgSchema('drizzle').table('__drizzle_migrations', {
  id: serial('id'),
  hash: text('hash').notNull(),
});
const informationTables = pgSchema('information_schema').table('tables', {
  tableSchema: text('table_schema').notNull(),
  tableName: text('table_name').notNull(),
});

const allTables = [
  schema.policyVersions,
  schema.products,
  schema.units,
  schema.dealers,
  schema.serviceCenters,
  schema.endUsers,
  schema.purchases,
  schema.claims,
  schema.maintenanceOrders,
  schema.oemClients,
  schema.oemOrders,
  schema.auditEvents,
  schema.outbox,
];

async function rowCounts(db: Database): Promise<number[]> {
  const counts: number[] = [];
  for (const table of allTables) counts.push(await db.$count(table));
  return counts;
}

async function journalEntries(): Promise<number> {
  const journal = JSON.parse(await readFile(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/** The smallest chain of rows a maintenance order needs. */
async function insertClaimChain(
  db: Database,
  tag: string,
): Promise<{ claimId: string; serviceCenterId: string }> {
  const [product] = await db
    .insert(schema.products)
    .values({ sku: `CHAIN-${tag}`, nameEn: 'Test panel', nameZh: '测试直流屏', category: 'dc_power_panel' })
    .returning();
  const [endUser] = await db
    .insert(schema.endUsers)
    .values({ name: 'Test Customer', email: 'customer@example.com' })
    .returning();
  const [center] = await db
    .insert(schema.serviceCenters)
    .values({
      kind: 'center',
      nameEn: 'Test Center',
      nameZh: '测试售后服务中心',
      city: 'Shenzhen',
      address: '1 Test Road',
      latitude: 22.54,
      longitude: 114.05,
      timeZone: 'Asia/Shanghai',
      committedServiceDays: 5,
      email: 'center@example.com',
      phone: '+86 755 0000 0000',
    })
    .returning();
  if (!product || !endUser || !center) throw new Error('fixture rows were not inserted');
  const purchaseDate = TODAY.subtract({ days: 100 });
  const [purchase] = await db
    .insert(schema.purchases)
    .values({ productId: product.id, endUserId: endUser.id, purchaseDate: purchaseDate.toString() })
    .returning();
  if (!purchase) throw new Error('purchase was not inserted');
  const decision = decide([halotekPolicyV1], {
    customerType: 'end_user',
    purchaseDate,
    reportDate: TODAY,
    cause: 'quality',
  });
  if (!decision.ok) throw new Error(decision.error.message);
  const [claim] = await db
    .insert(schema.claims)
    .values({
      purchaseId: purchase.id,
      endUserId: endUser.id,
      reportedOn: TODAY.toString(),
      cause: 'quality',
      description: 'No output on the 48 V bus',
      decision: decision.value,
      policyVersionId: halotekPolicyV1.id,
      chosenRemedy: 'maintenance_order',
      status: 'remedy_chosen',
    })
    .returning();
  if (!claim) throw new Error('claim was not inserted');
  return { claimId: claim.id, serviceCenterId: center.id };
}

const centerColumns = sql.raw(
  'kind, name_en, name_zh, city, address, latitude, longitude, time_zone, committed_service_days, business_days, email, phone',
);

/** Statements the schema must refuse, written in SQL because the TypeScript types would refuse them first. */
const BAD_VALUES = [
  [
    'a product category',
    sql`insert into products (sku, name_en, name_zh, category) values ('BAD-1', 'x', '甲', 'toaster')`,
    'products_category_check',
  ],
  [
    'a service center kind',
    sql`insert into service_centers (${centerColumns}) values ('kiosk', 'x', '甲', 'c', 'a', 1, 1, 'Asia/Shanghai', 5, '{1}', 'e', 'p')`,
    'service_centers_kind_check',
  ],
  [
    'a weekday',
    sql`insert into service_centers (${centerColumns}) values ('office', 'x', '甲', 'c', 'a', 1, 1, 'Asia/Shanghai', 5, '{1,8}', 'e', 'p')`,
    'service_centers_business_days_check',
  ],
  [
    'an empty week',
    sql`insert into service_centers (${centerColumns}) values ('office', 'x', '甲', 'c', 'a', 1, 1, 'Asia/Shanghai', 5, '{}', 'e', 'p')`,
    'service_centers_business_days_check',
  ],
  [
    'a latitude',
    sql`insert into service_centers (${centerColumns}) values ('office', 'x', '甲', 'c', 'a', 91, 1, 'Asia/Shanghai', 5, '{1}', 'e', 'p')`,
    'service_centers_latitude_check',
  ],
  [
    'a customer without contact',
    sql`insert into end_users (name) values ('nobody')`,
    'end_users_contact_check',
  ],
  ['a claim cause', sql`update claims set cause = 'weather'`, 'claims_cause_check'],
  ['a claim status', sql`update claims set status = 'lost'`, 'claims_status_check'],
  ['a chosen remedy', sql`update claims set chosen_remedy = 'prayer'`, 'claims_chosen_remedy_check'],
  [
    'a maintenance state',
    sql`update maintenance_orders set state = 'lost'`,
    'maintenance_orders_state_check',
  ],
  ['a maintenance mode', sql`update maintenance_orders set mode = 'drone'`, 'maintenance_orders_mode_check'],
  [
    'a deadline before receipt',
    sql`update maintenance_orders set due_on = '2026-12-01'`,
    'maintenance_orders_due_on_check',
  ],
  [
    'a policy row whose document names another version',
    sql`update policy_versions set id = 'other'`,
    'policy_versions_document_id_check',
  ],
] as const;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to be refused');
}

describe.each(testDatabases())('database layer on $name', (testDb) => {
  let handle: DatabaseHandle;
  let db: Database;

  beforeAll(async () => {
    handle = await testDb.open();
    db = handle.db;
  });
  afterAll(async () => {
    await handle.close();
  });

  describe('on a fresh database', () => {
    // Tests that need an untouched database open their own; cheap because it is a template clone.
    let fresh: DatabaseHandle | undefined;
    afterEach(async () => {
      await fresh?.close();
      fresh = undefined;
    });

    it('has every migration applied and migrating again changes nothing', async () => {
      fresh = await testDb.open();
      await fresh.ping();
      expect(fresh.kind).toBe(testDb.name);
      const expected = await journalEntries();
      expect(await fresh.db.$count(appliedMigrations)).toBe(expected);
      await migrateDatabase(fresh);
      expect(await fresh.db.$count(appliedMigrations)).toBe(expected);
      const tables = await fresh.db
        .select({ name: informationTables.tableName })
        .from(informationTables)
        .where(eq(informationTables.tableSchema, 'public'));
      // Exactly the tables the Drizzle schema declares: a migration and the schema cannot drift apart.
      const declared = Object.values(schema)
        .filter((value) => is(value, PgTable))
        .map((table) => getTableName(table));
      expect(tables.map((t) => t.name).sort()).toEqual(declared.sort());
      expect(declared).toContain('users');
    });

    it('seeds the demo data once; a second call changes nothing', async () => {
      fresh = await testDb.open();
      const empty = await rowCounts(fresh.db);
      expect(await seedDemoData(fresh.db, { today: TODAY })).toEqual({ seeded: true });
      const seeded = await rowCounts(fresh.db);
      expect(seeded).not.toEqual(empty);
      expect(await seedDemoData(fresh.db, { today: TODAY.add({ days: 10 }) })).toEqual({ seeded: false });
      expect(await rowCounts(fresh.db)).toEqual(seeded);

      const centers = await fresh.db.select().from(schema.serviceCenters);
      expect(new Set(centers.map((c) => c.city)).size).toBe(4);
      expect(centers.some((c) => c.kind === 'office')).toBe(true);
      const [order] = await fresh.db
        .select()
        .from(schema.oemOrders)
        .where(eq(schema.oemOrders.orderNumber, DEMO_OEM_ORDER.orderNumber));
      expect(order).toMatchObject({ quantity: 2000, spareRateBps: 50, spareUnits: 10 });
      expect(order?.lots).toEqual(DEMO_OEM_ORDER.lots);
    });

    it('dates the demo purchases so that each warranty window is on display', async () => {
      fresh = await testDb.open();
      await seedDemoData(fresh.db, { today: TODAY });
      const policies = await loadPolicyVersions(fresh.db);
      const rows = await fresh.db
        .select({
          sku: schema.products.sku,
          serial: schema.units.serial,
          purchaseDate: schema.purchases.purchaseDate,
        })
        .from(schema.purchases)
        .innerJoin(schema.products, eq(schema.purchases.productId, schema.products.id))
        .innerJoin(schema.units, eq(schema.purchases.unitId, schema.units.id))
        // The dealers' sales; the demo's customer registration waits in the verification queue.
        .where(eq(schema.purchases.verification, 'verified'));
      // One per window, and one behind each repair under way.
      expect(rows).toHaveLength(DEMO_PURCHASES.length + DEMO_REPAIRS.length);
      for (const expected of DEMO_PURCHASES) {
        const row = rows.find((r) => r.serial === expected.serial);
        expect(row?.purchaseDate).toBe(TODAY.subtract({ days: expected.daysAgo }).toString());
        const product = await findProductBySku(fresh.db, expected.sku);
        const decision = decide(policies, {
          customerType: 'end_user',
          purchaseDate: TODAY.subtract({ days: expected.daysAgo }),
          reportDate: TODAY,
          cause: 'quality',
          warrantyOverride: product?.warrantyOverride ?? undefined,
        });
        expect(decision.ok && decision.value.window).toBe(expected.expectedWindow);
      }
    });

    it('seeds repairs under way: one past its commitment, one received, one awaiting parts, one issued', async () => {
      fresh = await testDb.open();
      await seedDemoData(fresh.db, { today: TODAY });
      const orders = await fresh.db
        .select({
          state: schema.maintenanceOrders.state,
          dueOn: schema.maintenanceOrders.dueOn,
          receivedOn: schema.maintenanceOrders.receivedOn,
          contactedOn: schema.maintenanceOrders.contactedOn,
          escalatedAt: schema.maintenanceOrders.escalatedAt,
          center: schema.serviceCenters.nameEn,
          window: sql<string>`${schema.claims.decision}->>'window'`,
          remedy: schema.claims.chosenRemedy,
          moves: sql<number>`(select count(*)::int from ${schema.maintenanceOrderEvents} e where e.order_id = ${schema.maintenanceOrders.id} and e.kind = 'move')`,
        })
        .from(schema.maintenanceOrders)
        .innerJoin(schema.claims, eq(schema.claims.id, schema.maintenanceOrders.claimId))
        .innerJoin(
          schema.serviceCenters,
          eq(schema.serviceCenters.id, schema.maintenanceOrders.serviceCenterId),
        )
        // Besides them, twelve weeks of finished (closed) repairs for the service-level dashboard.
        .where(ne(schema.maintenanceOrders.state, 'closed'));
      expect(orders.map((o) => o.state).sort()).toEqual(DEMO_REPAIRS.map((r) => r.state).sort());
      const finished = await fresh.db
        .select({ id: schema.maintenanceOrders.id, returnedOn: schema.maintenanceOrders.returnedOn })
        .from(schema.maintenanceOrders)
        .where(eq(schema.maintenanceOrders.state, 'closed'));
      expect(finished).toHaveLength(12);
      expect(finished.every((o) => o.returnedOn !== null && o.returnedOn < TODAY.toString())).toBe(true);
      const rated = await fresh.db
        .select({ score: schema.satisfactionRatings.score })
        .from(schema.satisfactionRatings);
      expect(rated.length).toBeGreaterThan(0);
      expect(rated.every((r) => r.score !== null)).toBe(true);
      const today = TODAY.toString();
      // Past its commitment, escalated once already, so the deadline job leaves it alone.
      const overdue = orders.find((o) => o.state === 'diagnosing');
      expect(overdue?.dueOn && overdue.dueOn < today).toBe(true);
      expect(overdue?.escalatedAt).not.toBeNull();
      expect(overdue?.contactedOn).toBeNull();
      const received = orders.find((o) => o.state === 'received');
      expect(received?.receivedOn).toBe(TODAY.subtract({ days: 1 }).toString());
      expect(received?.dueOn && received.dueOn > today).toBe(true);
      expect(received?.contactedOn).not.toBeNull();
      expect(orders.find((o) => o.state === 'awaitingParts')).toMatchObject({
        receivedOn: null,
        dueOn: null,
      });
      // Each a free repair in the one-year window, its timeline one move per step from issued.
      for (const o of orders) {
        expect(o.window).toBe('1_year');
        expect(['maintenance_order', 'mail_in_repair']).toContain(o.remedy);
      }
      expect(orders.find((o) => o.state === 'issued')?.moves).toBe(1);
      expect(overdue?.moves).toBe(3);
      // The demo technician's center (Shenzhen) has work in its queue.
      expect(orders.filter((o) => o.center.includes('Shenzhen')).length).toBeGreaterThanOrEqual(2);
    });

    it('seeds exactly once when two seeders race', async () => {
      fresh = await testDb.open();
      const results = await Promise.all([
        seedDemoData(fresh.db, { today: TODAY }),
        seedDemoData(fresh.db, { today: TODAY }),
      ]);
      expect(results.map((r) => r.seeded).sort()).toEqual([false, true]);
      expect(await fresh.db.$count(schema.products)).toBeGreaterThanOrEqual(5);
    });

    it('never seeds demo data into a database that already has products', async () => {
      fresh = await testDb.open();
      await fresh.db
        .insert(schema.products)
        .values({ sku: 'REAL-1', nameEn: 'Real product', nameZh: '真实产品', category: 'other' });
      expect(await seedDemoData(fresh.db, { today: TODAY })).toEqual({ seeded: false });
      expect(await fresh.db.$count(schema.products)).toBe(1);
    });
  });

  it('ensures the built-in policies idempotently and round-trips the Halotek policy exactly', async () => {
    await ensureBuiltInPolicies(db);
    await ensureBuiltInPolicies(db);
    expect(await db.$count(schema.policyVersions)).toBe(builtInPolicyVersions.length);
    expect(await loadPolicyVersions(db)).toEqual([...builtInPolicyVersions]);
  });

  it('never overwrites a stored policy version', async () => {
    const edited = { ...halotekPolicyV1, serviceCommitmentDays: 9 };
    await db
      .update(schema.policyVersions)
      .set({ document: edited })
      .where(eq(schema.policyVersions.id, halotekPolicyV1.id));
    try {
      await ensureBuiltInPolicies(db);
      const [loaded] = await loadPolicyVersions(db);
      expect(loaded?.serviceCommitmentDays).toBe(9);
    } finally {
      await db
        .update(schema.policyVersions)
        .set({ document: halotekPolicyV1 })
        .where(eq(schema.policyVersions.id, halotekPolicyV1.id));
    }
  });

  it('refuses a stored policy that does not parse', async () => {
    const [row] = await db
      .insert(schema.policyVersions)
      .values({
        id: 'broken-1',
        effectiveFrom: '2030-01-01',
        document: {
          ...halotekPolicyV1,
          id: 'broken-1',
          effectiveFrom: '2030-01-01',
          serviceCommitmentDays: 0,
        },
      })
      .returning();
    try {
      await expect(loadPolicyVersions(db)).rejects.toThrow(/broken-1/);
    } finally {
      if (row) await db.delete(schema.policyVersions).where(eq(schema.policyVersions.id, row.id));
    }
  });

  it('finds products by SKU with their warranty override', async () => {
    await db.insert(schema.products).values([
      {
        sku: 'FIND-1',
        nameEn: 'Inverter',
        nameZh: '逆变器',
        category: 'inverter',
        warrantyOverride: { years: 2 },
      },
      { sku: 'FIND-2', nameEn: 'Headset', nameZh: '耳机', category: 'headset' },
    ]);
    expect(await findProductBySku(db, 'FIND-1')).toMatchObject({
      sku: 'FIND-1',
      warrantyOverride: { years: 2 },
    });
    expect(await findProductBySku(db, 'FIND-2')).toMatchObject({ sku: 'FIND-2', warrantyOverride: null });
    expect(await findProductBySku(db, DEMO_SKUS.headset)).toBeUndefined();
  });

  it('leaves no row behind when a transaction throws', async () => {
    const before = await rowCounts(db);
    const boom = new Error('boom');
    await expect(
      db.transaction(async (tx) => {
        await tx
          .insert(schema.products)
          .values({ sku: 'ROLLBACK-1', nameEn: 'x', nameZh: '甲', category: 'other' });
        await tx
          .insert(schema.auditEvents)
          .values({ actor: 't', action: 'x', entityType: 'product', entityId: 'ROLLBACK-1' });
        expect(await findProductBySku(tx, 'ROLLBACK-1')).toBeDefined();
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await findProductBySku(db, 'ROLLBACK-1')).toBeUndefined();
    expect(await rowCounts(db)).toEqual(before);
  });

  it('enforces unique maintenance numbers', async () => {
    const { claimId, serviceCenterId } = await insertClaimChain(db, 'unique-mo');
    const order = {
      claimId,
      serviceCenterId,
      maintenanceNumber: 'MO-SZ-20261125-0001',
      mode: 'walk_in' as const,
    };
    await db.insert(schema.maintenanceOrders).values(order);
    const error = await rejection(db.insert(schema.maintenanceOrders).values({ ...order, mode: 'mail_in' }));
    expect(isUniqueViolation(error, 'maintenance_orders_maintenance_number_unique')).toBe(true);
    const sameNumber = eq(schema.maintenanceOrders.maintenanceNumber, order.maintenanceNumber);
    expect(await db.$count(schema.maintenanceOrders, sameNumber)).toBe(1);
  });

  it('enforces unique idempotency keys on claims', async () => {
    const { claimId } = await insertClaimChain(db, 'unique-key');
    const [claim] = await db
      .update(schema.claims)
      .set({ idempotencyKey: 'key-1' })
      .where(eq(schema.claims.id, claimId))
      .returning();
    if (!claim) throw new Error('no claim to copy');
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = claim;
    const error = await rejection(db.insert(schema.claims).values(copy));
    expect(isUniqueViolation(error, 'claims_idempotency_key_unique')).toBe(true);
    // Many claims may have no key at all.
    await db.insert(schema.claims).values({ ...copy, idempotencyKey: null });
    await db.insert(schema.claims).values({ ...copy, idempotencyKey: null });
  });

  describe('check constraints', () => {
    beforeAll(async () => {
      // Gives the updates below a claim and a maintenance order to refuse changes to.
      const { claimId, serviceCenterId } = await insertClaimChain(db, 'checks');
      await db
        .insert(schema.maintenanceOrders)
        .values({ claimId, serviceCenterId, maintenanceNumber: 'MO-CHECKS-1', mode: 'mail_in' });
    });

    it.each(BAD_VALUES)('refuses a bad value: %s', async (_what, statement, constraint) => {
      const error = await rejection(db.execute(statement));
      expect(databaseErrorOf(error)).toMatchObject({ code: SQLSTATE.checkViolation, constraint });
    });

    it('checks OEM spare rates as basis points, leaving the 0.3 %–0.5 % range to the policy', async () => {
      const [client] = await db
        .insert(schema.oemClients)
        .values({ name: 'OEM Test', country: 'DE' })
        .returning();
      const [product] = await db
        .insert(schema.products)
        .values({ sku: 'OEM-T', nameEn: 'Module', nameZh: '模块', category: 'charger_module' })
        .returning();
      if (!client || !product) throw new Error('fixture rows were not inserted');
      const order = {
        clientId: client.id,
        productId: product.id,
        quantity: 1000,
        spareUnits: 1,
        deliveryDate: '2026-11-01',
      };
      await db.insert(schema.oemOrders).values({ ...order, orderNumber: 'OEM-T-1', spareRateBps: 100 });
      const error = await rejection(
        db.insert(schema.oemOrders).values({ ...order, orderNumber: 'OEM-T-2', spareRateBps: 10_001 }),
      );
      expect(databaseErrorOf(error)).toMatchObject({
        code: SQLSTATE.checkViolation,
        constraint: 'oem_orders_spare_rate_bps_check',
      });
    });
  });

  it('closes for real', async () => {
    const other = await testDb.open();
    await other.close();
    await other.close();
    await expect(other.ping()).rejects.toThrow();
    const driver = driverOf(other);
    if (driver.kind === 'pglite') expect(driver.client.closed).toBe(true);
    else expect(driver.pool.ended).toBe(true);
  });
});

describe('openDatabase on a PGlite data directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftersales-db-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the directory, migrates, and keeps the data across a reopen', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await openDatabase({ dataDir });
    try {
      await migrateDatabase(first);
      await ensureBuiltInPolicies(first.db);
      await first.db
        .insert(schema.products)
        .values({ sku: 'KEEP-1', nameEn: 'Kept', nameZh: '保留', category: 'other' });
    } finally {
      await first.close();
    }
    const second = await openDatabase({ dataDir });
    try {
      await migrateDatabase(second);
      expect(await findProductBySku(second.db, 'KEEP-1')).toBeDefined();
      expect(await loadPolicyVersions(second.db)).toEqual([...builtInPolicyVersions]);
    } finally {
      await second.close();
    }
  });

  it('refuses to guess where the data should live', async () => {
    await expect(openDatabase({})).rejects.toThrow(/databaseUrl, a dataDir or a pglite/);
  });
});

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.runIf(postgresUrl)('migrateDatabase on PostgreSQL', () => {
  it('lets several processes start at once: the advisory lock makes them migrate one after the other', async () => {
    if (!postgresUrl) return;
    const scratch = await createScratchPostgresDatabase(postgresUrl);
    // Separate pools stand for separate app processes.
    const handles = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: scratch.url })));
    try {
      await Promise.all(handles.map((h) => migrateDatabase(h)));
      const [first] = handles;
      if (!first) throw new Error('no handle');
      expect(await first.db.$count(appliedMigrations)).toBe(await journalEntries());
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await scratch.drop();
    }
  });
});
