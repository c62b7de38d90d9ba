import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPglite, type Database, type DatabaseHandle, openDatabase } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { ensureBuiltInPolicies } from '../../src/db/policies.js';
import { rowsOf } from '../../src/db/rows.js';
import { readJournal } from '../../src/db/backup.js';
import { buildTestApp } from '../support/app.js';
import { createScratchPostgresDatabase, testDatabases } from '../support/databases.js';
import { demoSession } from '../support/sessions.js';
import { qualifiedName } from '../support/table-digests.js';

/*
 * A database made by the previous release's migrations, with that release's data in it
 * (test/fixtures/upgrade, regenerated from a git ref by make-upgrade-fixture.ts), upgrades to this
 * release's schema with every row intact: every fixture row is still there with the same value in every
 * old column, the new columns of old rows hold their defaults, and the app works on the result.
 * Whatever migrations are current are applied, so a new migration is tested against old data as soon as
 * it is written.
 */

const FIXTURE_DIR = path.resolve(import.meta.dirname, '../fixtures/upgrade');
const fixtureSql = readFileSync(path.join(FIXTURE_DIR, 'previous-release.sql'), 'utf8');
const fixture = JSON.parse(readFileSync(path.join(FIXTURE_DIR, 'previous-release.json'), 'utf8')) as {
  commit: string;
  lastMigration: string;
  tables: Record<string, number>;
};

/**
 * New columns a migration fills from the old data rather than with their default (`table.column` → a
 * query counting the rows that do not hold what the migration derived). A migration that backfills a
 * column adds it here.
 */
const BACKFILLED_COLUMNS: Record<string, string> = {
  // 0022 (purchase verification): a customer's registration pending, a dealer's or the maker's record
  // verified as of when it was recorded, by whoever recorded it (verification's default is 'verified').
  'purchases.verification': `select count(*) from public.purchases p where p.verification = 'verified'
                    and exists (select 1 from public.audit_events a where a.action = 'purchase.registered'
                                and a.entity_id = p.id::text)`,
  'purchases.verified_by': `select count(*) from public.purchases where verification = 'verified'
                    and verified_by is distinct from coalesce(recorded_by, 'system')`,
  'purchases.verified_at': `select count(*) from public.purchases where verification = 'verified'
                    and verified_at is distinct from created_at`,
  // The bytes of each proof, from its upload (the first purchase of a receipt keeps them).
  'purchases.proof_sha256': `select count(*) from public.purchases p join public.uploads u on u.id = p.proof_upload_id
                    where p.proof_sha256 is distinct from u.sha256
                      and not exists (select 1 from public.purchases q where q.proof_sha256 = u.sha256)`,
  // The day each unit of the maker's lots left it: its record's day, or its first sale's if earlier.
  'units.made_on': `select count(*) from public.units u where u.lot <> 'unknown' and u.made_on is distinct from
                    least(u.created_at::date, (select min(p.purchase_date) from public.purchases p where p.unit_id = u.id))`,
  // 0023: a unit a purchase holds is sold; one a dealer remedy took back is returned (checked below).
  'units.state': `select count(*) from public.units u where u.state = 'in_stock'
                    and exists (select 1 from public.purchases p where p.unit_id = u.id)`,
  // 0024: reports made before QA's review are accepted whole, so their ledgers and credits stay as they were.
  'oem_defect_reports.accepted_units': `select count(*) from public.oem_defect_reports where not (accepted_units = units)`,
  // 0024: an order's day is the day it was booked.
  'oem_orders.ordered_on': `select count(*) from public.oem_orders where not (ordered_on = created_at::date)`,
  // dealer_name_zh: the demo's three dealers get their Chinese names; every other dealer has none.
  'dealers.name_zh': `select count(*) from public.dealers where name_zh is distinct from case name
                    when 'Shenzhen Huaqiang Power Equipment Co., Ltd.' then '深圳华强电力设备有限公司'
                    when 'Hangzhou Xinghe Electric Supply Co., Ltd.' then '杭州星河电气供应有限公司'
                    when 'Wuhan Changjiang Electronics Trading Co., Ltd.' then '武汉长江电子贸易有限公司' end`,
  // trial_findings_service: every contact recorded before (its note only in the audit log) is on its order's timeline.
  'maintenance_order_events.kind': `select count(*) from public.audit_events a
                    where a.action = 'maintenance_order.customer_contacted' and not exists (
                      select 1 from public.maintenance_order_events e where e.kind = 'contact'
                        and e.order_id::text = a.entity_id and e.at = a.occurred_at
                        and e.note is not distinct from nullif(a.data->>'note', ''))`,
  // invoice_tax: an invoice issued before tax was a setting keeps the default it was issued under.
  'quotes.invoice_tax_rate_bps': `select count(*) from public.quotes
                    where invoice_tax_rate_bps is distinct from case when invoice_number is null then null else 1300 end`,
  'quotes.invoice_prices_include_tax': `select count(*) from public.quotes
                    where invoice_prices_include_tax is distinct from case when invoice_number is null then null else true end`,
};

/**
 * Old columns a migration moved elsewhere (`schema.table.column` → an SQL expression over the upgraded
 * table, aliased `t`, that gives each old row's value back): the value must have arrived whole.
 */
const MOVED_COLUMNS: Record<string, string> = {
  // 0017: a file's bytes went into slices of 256 KiB in upload_chunks.
  'public.uploads.content': `(select string_agg(c.content, ''::bytea order by c.seq) from public.upload_chunks c where c.upload_id = t.id)`,
  // 0025: a quote line's whole quantity became its tenths (2 → 20), in the same order.
  'public.quotes.lines': `(select jsonb_agg((l - 'quantityTenths') || jsonb_build_object('quantity', (l->>'quantityTenths')::bigint / 10) order by ord)
      from jsonb_array_elements(t.lines) with ordinality as e(l, ord))`,
};

/**
 * New tables a migration fills from the old data (`schema.table` → the rows it must have made, as SQL
 * over the upgraded database); every other new table starts empty.
 */
const BACKFILLED_TABLES: Record<string, string> = {
  // 0011: one planned shipment for every replacement shipment a client chose before it.
  'public.replacement_shipments': `select count(*) from public.excess_resolutions where remedy = 'replacement_shipment'`,
  // 0015: a row of totals for every lot an order shipped or a report named (test/integration/lot-totals.test.ts
  // checks what they hold).
  // 0017: every file's bytes in slices of 256 KiB.
  'public.upload_chunks': `select coalesce(sum((size_bytes + 262143) / 262144), 0) from public.uploads`,
  // 0021: the lots earlier orders named become the maker's lots, each order's lots its allocations.
  'public.lots': `select count(*) from (select distinct o.product_id, l.lot from public.oem_orders o,
      oem_order_lots(o.lot_details, o.lots, o.quantity) as l) as lots`,
  'public.lot_allocations': `select count(*) from (select distinct o.id, l.lot from public.oem_orders o,
      oem_order_lots(o.lot_details, o.lots, o.quantity) as l) as allocations`,
  'public.oem_lot_totals': `select count(*) from (
      select product_id, lot from public.oem_defect_reports
      union select o.product_id, l.lot from public.oem_orders o, unnest(o.lots) as l(lot)
      union select o.product_id, e.value->>'lot' from public.oem_orders o, jsonb_array_elements(o.lot_details) as e) as lots`,
};

/**
 * Old rows a migration changes or removes on purpose (`schema.table` → which, as a condition over the
 * old columns as text, and why); every other fixture row must come through unchanged.
 */
const CHANGED_ROWS: Record<string, { where: string; why: string }> = {
  'public.instance_settings': {
    where: `key = 'auth_secret'`,
    why: '0017: the session secret no longer lives in the database it protects',
  },
  'public.outbox': {
    where: `sent_at is not null and (body ~ '[?&](token|code)=' or body ~ '/reset-password/')`,
    why: '0017: sent messages keep no live link',
  },
  'public.verifications': {
    where: `identifier like 'reset-password:%'`,
    why: '0017: better-auth keeps password-reset tokens hashed',
  },
};

const SNAPSHOT = 'upgrade_fixture_snapshot';

type Column = { name: string; default: string | null };

async function query(db: Database, text: string): Promise<Record<string, unknown>[]> {
  return rowsOf(await db.execute(sql.raw(text)));
}

async function columnsOf(db: Database): Promise<Map<string, Column[]>> {
  const rows = await query(
    db,
    `select table_schema || '.' || table_name as t, column_name as c, column_default as d
       from information_schema.columns
      where table_schema in ('public', 'drizzle')
      order by table_schema, table_name, ordinal_position`,
  );
  const columns = new Map<string, Column[]>();
  for (const row of rows) {
    const table = String(row.t);
    const list = columns.get(table) ?? [];
    list.push({ name: String(row.c), default: typeof row.d === 'string' ? row.d : null });
    columns.set(table, list);
  }
  return columns;
}

async function count(db: Database, text: string): Promise<number> {
  const [row] = await query(db, text);
  return Number(Object.values(row ?? {})[0] ?? 0);
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const snapshotOf = (table: string) => `${SNAPSHOT}.${ident(table.replace('.', '__'))}`;
/** Every column as text: rows compare by value whatever the type (json, arrays, bytea). */
const asText = (columns: Column[]) => columns.map((c) => `${ident(c.name)}::text`).join(', ');

interface Variant {
  name: 'pglite' | 'postgres';
  /** An empty database with the fixture loaded. */
  load(): Promise<{ handle: DatabaseHandle; dispose(): Promise<void> }>;
}

const variants: Variant[] = [
  {
    name: 'pglite',
    async load() {
      const client = await createPglite();
      await client.exec(fixtureSql);
      const handle = await openDatabase({ pglite: client });
      return { handle, dispose: () => handle.close() };
    },
  },
];
const postgresUrl = testDatabases().some((d) => d.name === 'postgres')
  ? process.env.TEST_DATABASE_URL
  : undefined;
if (postgresUrl) {
  variants.push({
    name: 'postgres',
    async load() {
      const scratch = await createScratchPostgresDatabase(postgresUrl);
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      try {
        await client.query(fixtureSql);
      } finally {
        await client.end();
      }
      const handle = await openDatabase({ databaseUrl: scratch.url });
      return {
        handle,
        async dispose() {
          await handle.close();
          await scratch.drop();
        },
      };
    },
  });
}

describe.each(variants)('upgrade from the previous release ($name)', (variant) => {
  const disposers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
  });

  it('puts the old purchases under verification: customers’ registrations pending, dealers’ sales verified, a receipt’s bytes kept once', async () => {
    const loaded = await variant.load();
    disposers.push(() => loaded.dispose());
    const db = loaded.handle.db;
    // Two registrations by the fixture's customer with one receipt sent twice (same bytes, two uploads):
    // the first names the customer's account, the second is known by its audit event only.
    const [customer] = await query(
      db,
      `select id, end_user_id from public.users where role = 'customer' and end_user_id is not null limit 1`,
    );
    const [product] = await query(db, `select id from public.products limit 1`);
    const ids = {
      first: 'a0000000-0000-4000-8000-000000000001',
      second: 'a0000000-0000-4000-8000-000000000002',
    };
    for (const [n, id] of Object.entries(ids)) {
      const upload = id.replace('a000', 'b000');
      await query(
        db,
        `insert into public.uploads (id, kind, media_type, size_bytes, sha256, content, uploaded_by)
         values ('${upload}', 'proof_of_purchase', 'image/png', 4, 'same-bytes', '\\x01020304', 'user:${String(customer?.id)}')`,
      );
      await query(
        db,
        `insert into public.purchases (id, product_id, end_user_id, purchase_date, proof_upload_id, recorded_by, created_at)
         values ('${id}', '${String(product?.id)}', '${String(customer?.end_user_id)}', '2026-11-20', '${upload}',
                 ${n === 'first' ? `'user:${String(customer?.id)}'` : 'null'}, '2026-11-2${n === 'first' ? 1 : 2}')`,
      );
      if (n === 'second') {
        await query(
          db,
          `insert into public.audit_events (actor, action, entity_type, entity_id, data)
           values ('system', 'purchase.registered', 'purchase', '${id}', '{}')`,
        );
      }
    }
    await migrateDatabase(loaded.handle);

    const rows = await query(
      db,
      `select id, verification, proof_sha256, verified_by from public.purchases order by created_at, id`,
    );
    const of = (id: string) => rows.find((r) => r.id === id);
    expect(of(ids.first)).toMatchObject({
      verification: 'pending',
      proof_sha256: 'same-bytes',
      verified_by: null,
    });
    // The second "proof" is the same bytes: it keeps none, and waits for a person like the first.
    expect(of(ids.second)).toMatchObject({ verification: 'pending', proof_sha256: null });
    const others = rows.filter((r) => r.id !== ids.first && r.id !== ids.second);
    expect(others.length).toBeGreaterThan(0);
    for (const r of others) expect(r).toMatchObject({ verification: 'verified' });
    expect(others.every((r) => typeof r.verified_by === 'string')).toBe(true);
    // Every unit of the maker's lots has the day it left the maker, never after its first sale.
    expect(
      await count(
        db,
        `select count(*) from public.units u where u.lot <> 'unknown' and (u.made_on is null or exists (
           select 1 from public.purchases p where p.unit_id = u.id and p.purchase_date < u.made_on))`,
      ),
    ).toBe(0);
  });

  it('puts the contact notes the old version kept only in the audit log on the timeline, and quote quantities in tenths', async () => {
    const loaded = await variant.load();
    disposers.push(() => loaded.dispose());
    const db = loaded.handle.db;
    const [order] = await query(db, `select id, state from public.maintenance_orders order by id limit 1`);
    const orderId = String(order?.id);
    await query(
      db,
      `insert into public.audit_events (actor, action, entity_type, entity_id, data, occurred_at) values
         ('user:t1', 'maintenance_order.customer_contacted', 'maintenance_order', '${orderId}',
          '{"on": "2026-11-20", "first": true, "note": "Called: parts ordered"}', '2026-11-20T03:00:00Z'),
         ('user:t1', 'maintenance_order.customer_contacted', 'maintenance_order', '${orderId}',
          '{"on": "2026-11-21", "first": false}', '2026-11-21T03:00:00Z')`,
    );
    const quantitiesBefore = await query(
      db,
      `select id, (select jsonb_agg(l->'quantity' order by o) from jsonb_array_elements(lines) with ordinality e(l, o)) as q
         from public.quotes order by id`,
    );
    await migrateDatabase(loaded.handle);

    const contacts = await query(
      db,
      `select kind, to_state, "on"::text as on, note from public.maintenance_order_events
        where order_id = '${orderId}' and kind = 'contact' order by at`,
    );
    expect(contacts).toEqual([
      { kind: 'contact', to_state: order?.state, on: '2026-11-20', note: 'Called: parts ordered' },
      { kind: 'contact', to_state: order?.state, on: '2026-11-21', note: null },
    ]);
    const quantitiesAfter = await query(
      db,
      `select id, (select jsonb_agg(l->'quantityTenths' order by o) from jsonb_array_elements(lines) with ordinality e(l, o)) as q,
              (select count(*) from jsonb_array_elements(lines) l where l ? 'quantity') as old
         from public.quotes order by id`,
    );
    expect(quantitiesAfter.length).toBeGreaterThan(0);
    expect(quantitiesAfter.map((r) => [r.id, (r.q as number[]).map((n) => n / 10)])).toEqual(
      quantitiesBefore.map((r) => [r.id, r.q]),
    );
    expect(quantitiesAfter.every((r) => Number(r.old) === 0)).toBe(true);
  });

  it(`migrates the fixture of ${fixture.commit.slice(0, 12)} (${fixture.lastMigration}) to the current schema with every row intact`, async () => {
    const started = Date.now();
    const loaded = await variant.load();
    disposers.push(() => loaded.dispose());
    const { handle } = loaded;
    const db = handle.db;

    // The fixture is all there before the upgrade…
    const before = await columnsOf(db);
    expect([...before.keys()].sort()).toEqual(Object.keys(fixture.tables).sort());
    for (const [table, rows] of Object.entries(fixture.tables)) {
      expect(await count(db, `select count(*) from ${qualifiedName(table)}`), table).toBe(rows);
    }
    // …and kept aside, old columns as text, to compare with after it.
    await query(db, `create schema ${SNAPSHOT}`);
    for (const [table, columns] of before) {
      await query(
        db,
        `create table ${snapshotOf(table)} as select ${asText(columns)} from ${qualifiedName(table)}`,
      );
    }

    await migrateDatabase(handle);
    await ensureBuiltInPolicies(db);
    const journal = await readJournal();
    expect(await count(db, 'select count(*) from drizzle.__drizzle_migrations')).toBe(journal.length);

    const after = await columnsOf(db);
    const problems: string[] = [];
    let oldRows = 0;
    for (const [table, oldColumns] of before) {
      const now = after.get(table);
      if (!now) {
        problems.push(`${table}: dropped by a migration`);
        continue;
      }
      const moved = (c: Column) => MOVED_COLUMNS[`${table}.${c.name}`];
      const kept = oldColumns.filter((c) => now.some((n) => n.name === c.name) || moved(c));
      if (kept.length < oldColumns.length) problems.push(`${table}: lost columns`);
      const valuesNow = kept
        .map((c) => moved(c) ?? `t.${ident(c.name)}`)
        .map((v) => `(${v})::text`)
        .join(', ');
      // Every fixture row is still there, every old column with its old value (a multiset difference).
      const missing = await count(
        db,
        `select count(*) from (select * from ${snapshotOf(table)}
                                 ${CHANGED_ROWS[table] ? `where not (${CHANGED_ROWS[table].where})` : ''}
                               except all
                                 select ${valuesNow} from ${qualifiedName(table)} t) gone`,
      );
      if (missing > 0) problems.push(`${table}: ${missing} fixture rows changed or gone`);
      oldRows += fixture.tables[table] ?? 0;

      // New columns of old rows hold their defaults (a table that only kept its rows is checked whole).
      const grown =
        (await count(db, `select count(*) from ${qualifiedName(table)}`)) !== fixture.tables[table];
      for (const column of now.filter((n) => !oldColumns.some((c) => c.name === n.name))) {
        const key = `${table.split('.')[1] ?? ''}.${column.name}`;
        // A column a migration fills from the old data is checked below, by its own query.
        if (BACKFILLED_COLUMNS[key]) continue;
        if (grown) continue;
        const predicate =
          column.default === null
            ? `${ident(column.name)} is not null`
            : /nextval|now\(|gen_random_uuid|random\(|clock_timestamp|current_(timestamp|date)/i.test(
                  column.default,
                )
              ? `${ident(column.name)} is null`
              : `${ident(column.name)} is distinct from (${column.default})`;
        const off = await count(db, `select count(*) from ${qualifiedName(table)} where ${predicate}`);
        if (off > 0) problems.push(`${key}: ${off} old rows without the default ${String(column.default)}`);
      }
    }
    // Tables new in this release start empty, unless a migration fills them from the old data.
    for (const table of [...after.keys()].filter((t) => !before.has(t))) {
      const expected = BACKFILLED_TABLES[table] ? await count(db, BACKFILLED_TABLES[table]) : 0;
      const actual = await count(db, `select count(*) from ${qualifiedName(table)}`);
      if (actual !== expected) problems.push(`${table} (new): ${actual} rows, expected ${expected}`);
    }
    // Backfilled columns hold what their migration derived: the query counts the rows that do not.
    for (const [key, wrong] of Object.entries(BACKFILLED_COLUMNS)) {
      const off = await count(db, wrong);
      if (off > 0) problems.push(`${key}: ${off} rows not backfilled`);
    }
    expect(problems).toEqual([]);
    await query(db, `drop schema ${SNAPSHOT} cascade`);
    expect(oldRows).toBeGreaterThan(100);

    // The app works on the upgraded data: the fixture's accounts sign in and see its claims.
    const app = await buildTestApp(handle);
    try {
      const support = await demoSession(app, 'support');
      const claims = await app.inject({ url: '/api/v1/claims?limit=100', headers: { cookie: support } });
      expect(claims.statusCode).toBe(200);
      const body = claims.json<unknown[] | { items: unknown[] }>();
      expect(Array.isArray(body) ? body.length : body.items.length).toBe(fixture.tables['public.claims']);
      // Every version the old release had is published as it was (drafts live apart, in policy_drafts).
      const versions = await app.inject({ url: '/api/v1/policies' });
      expect(versions.json<unknown[]>().length).toBe(await count(db, 'select count(*) from policy_versions'));
      expect(await count(db, 'select count(*) from policy_drafts')).toBe(0);
      const customer = await demoSession(app, 'customer');
      const mine = await app.inject({ url: '/api/v1/claims', headers: { cookie: customer } });
      expect(mine.statusCode).toBe(200);
    } finally {
      await app.close();
    }
    console.log(
      `upgrade (${variant.name}): fixture of ${fixture.commit.slice(0, 12)} (${fixture.lastMigration}), ` +
        `${before.size} tables, ${oldRows} rows kept through ${journal.length - (fixture.tables['drizzle.__drizzle_migrations'] ?? 0)} ` +
        `migration(s) (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  }, 180_000);
});
