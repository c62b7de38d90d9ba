/*
 * Scale data: fills a migrated database with what the app would hold after years of use, at a chosen
 * volume — `npm run bench:generate -- --purchases 1000000` makes 1 M purchases, 200 k maintenance
 * orders with their claims, timelines, tracking links and messages, and 5,000 OEM orders totalling
 * 10 M units with their lots and defect reports. Everything scales with the purchases:
 *
 *   end users 0.8 P · dealers P/500 (≥ 20) · service centers P/25,000 (≥ 4) · claims 0.35 P
 *   maintenance orders 0.2 P · OEM clients P/10,000 (≥ 5) · OEM orders P/200 (≥ 10), ~2,000 units each
 *
 * so a dealer's, a center's and a client's share stays what a real one handles while the tables grow.
 * The demo data (its accounts sign in for the scale run) is seeded first; the bulk is set-based SQL
 * (INSERT … SELECT FROM generate_series), one statement per table, so PostgreSQL makes 1 M purchases
 * in about a minute. States follow a life: old orders closed (a few cancelled), recent ones spread
 * along the state machine, some late — those reminded and escalated as the deadline job would have
 * done at `now`. Audit events are not generated: no query reads them.
 */
import { parseArgs } from 'node:util';
import { type SQL, sql } from 'drizzle-orm';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { ensureBuiltInPolicies } from '../src/db/policies.js';
import { scalarOf } from '../src/db/rows.js';
import { seedDemoData } from '../src/db/seed.js';
import { calendarDateIn, Temporal } from '../src/domain/calendar.js';
import { maintenanceNumberFor } from '../src/domain/maintenance/maintenance-number.js';
import { decideEntitlement } from '../src/app/entitlements/evaluate-entitlement.js';
import { builtInPolicyVersions } from '../src/domain/policy/halotek.js';

/** The instant the data is generated "at", and the clock of the scale run (a Wednesday in Shanghai). */
export const SCALE_NOW = Temporal.Instant.from('2026-11-25T04:00:00Z');
export const STORE_TIME_ZONE = 'Asia/Shanghai';

export type GenerateOptions = {
  purchases: number;
  now?: Temporal.Instant;
  log?: (line: string) => void;
};

export type Volume = {
  purchases: number;
  endUsers: number;
  dealers: number;
  serviceCenters: number;
  oemClients: number;
  oemOrders: number;
};

export type GenerateReport = {
  volume: Volume;
  counts: Record<string, number>;
  steps: { step: string; ms: number }[];
  totalMs: number;
};

export function volumeFor(purchases: number): Volume {
  if (!Number.isInteger(purchases) || purchases < 100) {
    throw new RangeError(`--purchases must be a whole number of at least 100, not ${purchases}`);
  }
  return {
    purchases,
    endUsers: Math.max(10, Math.round(purchases * 0.8)),
    dealers: Math.max(20, Math.round(purchases / 500)),
    serviceCenters: Math.max(4, Math.ceil(purchases / 25_000)),
    oemClients: Math.max(5, Math.round(purchases / 10_000)),
    oemOrders: Math.max(10, Math.round(purchases / 200)),
  };
}

/** The tables the generator fills, counted after it ran (the test and the scale report print them). */
export const countedTables = [
  'products',
  'dealers',
  'service_centers',
  'end_users',
  'units',
  'purchases',
  'claims',
  'maintenance_orders',
  'maintenance_order_events',
  'guest_access_tokens',
  'dealer_remedies',
  'reimbursement_claims',
  'quotes',
  'outbox',
  'oem_clients',
  'oem_orders',
  'lots',
  'lot_allocations',
  'oem_defect_reports',
  'batch_defect_investigations',
] as const;

/** A deterministic uuid per generated row: `prefix` names the table, `n` the row (a SQL expression). */
const uid = (prefix: string, n: string) =>
  `('${prefix}-0000-4000-8000-' || lpad(to_hex((${n})::bigint), 12, '0'))::uuid`;

const ID = {
  product: 'a1000000',
  dealer: 'a2000000',
  center: 'a3000000',
  endUser: 'a4000000',
  unit: 'a5000000',
  purchase: 'a6000000',
  claim: 'a7000000',
  order: 'a8000000',
  oemClient: 'a9000000',
  oemOrder: 'aa000000',
  defect: 'ab000000',
  remedy: 'ac000000',
  quote: 'ae000000',
};

/** A timestamp on a store calendar day, at an hour (Shanghai time). */
const at = (day: string, hour: string) =>
  `((${day}) + (${hour}) * interval '1 hour') at time zone 'Asia/Shanghai'`;

/** The decision a claim was given, as the engine gives it: one template per window, dates made the row's. */
function decisionTemplates(today: Temporal.PlainDate) {
  const decide = (daysAgo: number, reportAfter: number, cause: 'quality' | 'human_damage') => {
    const purchaseDate = today.subtract({ days: daysAgo });
    return decideEntitlement(
      builtInPolicyVersions,
      {
        purchaseDate: purchaseDate.toString(),
        reportDate: purchaseDate.add({ days: reportAfter }).toString(),
        cause,
      },
      { storeTimeZone: STORE_TIME_ZONE },
    );
  };
  return {
    sevenDays: decide(800, 3, 'quality'),
    sixtyDays: decide(800, 30, 'quality'),
    oneYear: decide(800, 200, 'quality'),
    expired: decide(800, 500, 'quality'),
  };
}

export async function generateScaleData(
  handle: DatabaseHandle,
  options: GenerateOptions,
): Promise<GenerateReport> {
  const log = options.log ?? (() => {});
  const volume = volumeFor(options.purchases);
  const now = options.now ?? SCALE_NOW;
  const today = calendarDateIn(now, STORE_TIME_ZONE);
  const { db } = handle;
  const steps: { step: string; ms: number }[] = [];
  const started = performance.now();

  const existing = Number(scalarOf(await db.execute(sql`select count(*)::int as n from purchases`), 'n'));
  if (existing > 10) {
    throw new Error(`the database already holds ${existing} purchases: generate into a fresh one`);
  }
  await seedDemoData(db, { today });

  // One statement per call: PGlite's query (like a prepared statement) takes no more than one.
  const step = async (name: string, ...statements: (string | SQL)[]) => {
    const t0 = performance.now();
    for (const statement of statements) {
      await db.execute(typeof statement === 'string' ? sql.raw(statement) : statement);
    }
    const ms = Math.round(performance.now() - t0);
    steps.push({ step: name, ms });
    log(`  ${name}: ${ms} ms`);
  };

  const P = volume.purchases;
  const T = `date '${today.toString()}'`;
  const decisions = decisionTemplates(today);
  const policyVersionId = decisions.oneYear.policyVersion;
  const orderCount = Math.floor(P / 20) * 4 + Math.min(4, P % 20);

  await step(
    'reference data',
    `insert into products (id, sku, name_en, name_zh, category)
      select ${uid(ID.product, 'n')}, 'GEN-' || lpad(n::text, 3, '0'),
             (array['DC Power Panel','Headset','Bluetooth Headset','Charger Module','Inverter','Battery Monitor'])[n % 6 + 1] || ' model ' || n,
             (array['直流屏','耳机','蓝牙耳机','充电模块','逆变器','蓄电池巡检仪'])[n % 6 + 1] || ' 型号 ' || n,
             (array['dc_power_panel','headset','bluetooth_headset','charger_module','inverter','battery_monitor'])[n % 6 + 1]
      from generate_series(1, 24) n`,
    `insert into dealers (id, name, city, email, phone, time_zone)
      select ${uid(ID.dealer, 'n')}, 'Dealer ' || n || ' Electric Co., Ltd.',
             (array['Shenzhen','Guangzhou','Shanghai','Hangzhou','Beijing','Wuhan','Chengdu','Xi''an','Nanjing','Tianjin'])[n % 10 + 1],
             'dealer' || n || '@dealers.example.com', '+86 20 ' || lpad((n * 7919 % 100000000)::text, 8, '0'), 'Asia/Shanghai'
      from generate_series(1, ${volume.dealers - 3}) n`,
    `insert into service_centers (id, kind, name_en, name_zh, city, address, latitude, longitude, time_zone,
                                 committed_service_days, business_days, email, phone)
      select ${uid(ID.center, 'n')}, case when n % 3 = 0 then 'office' else 'center' end,
             'Halotek Service Point ' || n, 'Halotek 服务网点 ' || n, 'City ' || n, n || ' Service Road',
             20 + (n * 37 % 2500) / 100.0, 100 + (n * 53 % 2200) / 100.0, 'Asia/Shanghai',
             case when n % 3 = 0 then 7 else 5 end,
             case when n % 3 = 0 then '{1,2,3,4,5}'::int[] else '{1,2,3,4,5,6}'::int[] end,
             'service' || n || '@halotek.example.com', '+86 400 ' || lpad(n::text, 6, '0')
      from generate_series(1, ${volume.serviceCenters - 4}) n`,
    `create temp table g_products as select id, sku, (row_number() over (order by sku) - 1)::int as n from products`,
    `create temp table g_dealers as select id, (row_number() over (order by id) - 1)::int as n from dealers`,
    `create temp table g_centers as
      select id, committed_service_days as days, (row_number() over (order by id) - 1)::int as n from service_centers;
  `,
  );

  await step(
    'end users',
    `
    insert into end_users (id, name, email, phone, created_at)
      select ${uid(ID.endUser, 'n')},
             (array['Li','Wang','Zhang','Liu','Chen','Yang','Zhao','Huang','Zhou','Wu'])[n % 10 + 1] || ' ' ||
               (array['Wei','Fang','Min','Jie','Jing','Lei','Yan','Hao','Ling','Qiang'])[n / 10 % 10 + 1] || ' ' || n,
             case when n % 7 <> 0 then 'customer' || n || '@example.com' end,
             case when n % 7 = 0 or n % 3 = 0 then '+86 13' || lpad((n % 1000000000)::text, 9, '0') end,
             ${T} - 1100 + n % 1100
      from generate_series(0, ${volume.endUsers - 1}) n;
  `,
  );

  // Each purchase has a class (i % 20) deciding the claim it will get: 0–3 a repair in the one-year
  // window, 4 a 7-day refund or replacement, 5 a 60-day replacement, 6 paid service after the
  // warranty, the rest none. Its day is drawn so that the claim fits the window.
  await step(
    'purchases',
    `
    create temp table g_purchases as
      select i, i % 20 as c, r1, r2, r3,
             (${T} - case
                when i % 20 < 4 then 61 + floor(r1 * 1000)
                when i % 20 = 4 then 7 + floor(r1 * 1088)
                when i % 20 = 5 then 60 + floor(r1 * 1035)
                when i % 20 = 6 then 400 + floor(r1 * 695)
                else floor(r1 * 1095) end::int) as purchase_date
      from (select i, random() r1, random() r2, random() r3 from generate_series(0, ${P - 1}) i) s`,
    `insert into units (id, serial, product_id, lot, state, created_at)
      select ${uid(ID.unit, 'g.i')}, 'SN' || lpad(g.i::text, 9, '0'), p.id,
             p.sku || '-L' || to_char(g.purchase_date - 40, 'YYMM'), 'sold', ${at('g.purchase_date - 40', '9')}
      from g_purchases g join g_products p on p.n = floor(g.r3 * g.r3 * 30)::int
      where g.i % 2 = 0`,
    `insert into purchases (id, product_id, unit_id, dealer_id, end_user_id, purchase_date, recorded_by,
                           buyer_name, buyer_email, buyer_phone, created_at)
      select ${uid(ID.purchase, 'g.i')}, p.id, case when g.i % 2 = 0 then ${uid(ID.unit, 'g.i')} end,
             d.id, ${uid(ID.endUser, `g.i % ${volume.endUsers}`)}, g.purchase_date,
             case when d.id is null then 'customer' else 'user:dealer' end,
             'Buyer ' || g.i, case when g.i % 7 <> 0 then 'customer' || (g.i % ${volume.endUsers}) || '@example.com' end,
             case when g.i % 7 = 0 then '+86 13' || lpad((g.i % ${volume.endUsers})::text, 9, '0') end,
             ${at('g.purchase_date', '10 + g.r2 * 8')}
      from g_purchases g
      join g_products p on p.n = floor(g.r3 * g.r3 * 30)::int
      left join g_dealers d on d.n = floor(g.r2 * ${volume.dealers})::int and g.i % 10 <> 9;
  `,
  );

  const decisionJson = (d: object) => `'${JSON.stringify(d).replaceAll("'", "''")}'::jsonb`;
  await step(
    'claims',
    `create temp table g_claims as
      select g.i, g.c, g.r1, g.r2, g.purchase_date,
             (g.purchase_date + case
                when g.c < 4 then 61 + floor(g.r2 * least(304, ${T} - g.purchase_date - 61))
                when g.c = 4 then floor(g.r2 * least(8, ${T} - g.purchase_date + 1))
                when g.c = 5 then 8 + floor(g.r2 * least(52, ${T} - g.purchase_date - 7))
                else 367 + floor(g.r2 * (${T} - g.purchase_date - 366)) end::int) as reported_on
      from g_purchases g where g.c < 7`,
    `insert into claims (id, purchase_id, end_user_id, reported_on, cause, description, decision, policy_version_id,
                        chosen_remedy, status, created_at, updated_at)
      select ${uid(ID.claim, 'g.i')}, ${uid(ID.purchase, 'g.i')}, ${uid(ID.endUser, `g.i % ${volume.endUsers}`)},
             g.reported_on, 'quality',
             (array['Does not power on','No sound in the left earpiece','Output voltage drops under load',
                    'Display shows no reading','Fan noise and overheating'])[g.i % 5 + 1],
             (case g.c when 4 then ${decisionJson(decisions.sevenDays)} when 5 then ${decisionJson(decisions.sixtyDays)}
                       when 6 then ${decisionJson(decisions.expired)} else ${decisionJson(decisions.oneYear)} end)
               || jsonb_build_object('daysSincePurchase', g.reported_on - g.purchase_date,
                                     'warrantyEndsOn', to_char(g.purchase_date + interval '1 year', 'YYYY-MM-DD')),
             '${policyVersionId}',
             case when g.c < 4 then (case when g.i % 3 = 0 then 'mail_in_repair' else 'maintenance_order' end)
                  when g.c in (4, 5) and ${T} - g.reported_on > 3 then (case when g.c = 4 and g.i % 5 < 2 then 'refund' else 'replacement' end)
                  when g.c = 6 and ${T} - g.reported_on > 14 and g.i % 2 = 0 then 'paid_service' end,
             case when g.c < 4 then 'remedy_chosen'
                  when g.c in (4, 5) and ${T} - g.reported_on > 3 then 'resolved'
                  when g.c = 6 and ${T} - g.reported_on > 14 then (case when g.i % 2 = 0 then 'resolved' else 'withdrawn' end)
                  else 'open' end,
             ${at('g.reported_on', '9 + g.r1 * 10')}, ${at('g.reported_on', '9 + g.r1 * 10')} + interval '2 days'
      from g_claims g`,
  );

  // A repair's life: k steps along its mode's path, one to three days a step, some slower than their
  // promise; one in 33 cancelled before the product came in, one in 113 found misused (paid service).
  // Numbered after those the demo seed already gave out (its repairs), as the app would go on.
  const numbered = Number(
    scalarOf(
      await db.execute(
        sql`select (case when is_called then last_value else last_value - 1 end)::int as n from maintenance_number_seq`,
      ),
      'n',
    ),
  );
  const numbers = Array.from({ length: orderCount }, (_, n) =>
    maintenanceNumberFor(BigInt(numbered + n + 1)),
  );
  await step(
    'maintenance orders',
    sql`create temp table g_numbers as
          select ordinality::int as seq, num from unnest(string_to_array(${numbers.join(',')}, ',')) with ordinality as t(num)`,
    `create temp table g_orders as
      select o.*, (row_number() over (order by o.i))::int as seq,
             case when o.k >= o.received_step and not o.cancelled then o.reported_on + o.received_step end as received_on,
             case
               when o.cancelled then 'cancelled'
               when o.human_damage and o.k > o.received_step and o.reported_on > ${T} - 30 then 'paidService'
               when o.mode = 'mail_in'
                 then (array['issued','awaitingParts','received','diagnosing','repairing','repaired','returned','closed'])[o.k + 1]
               else (array['issued','received','diagnosing','repairing','repaired','returned','closed'])[o.k + 1] end as state,
             (o.i / 20 + o.i % 20) % ${volume.serviceCenters} as center_n
      from (
        select g.i, g.reported_on, g.r1, g.r2,
               case when g.i % 3 = 0 then 'mail_in' else 'walk_in' end as mode,
               case when g.i % 3 = 0 then 2 else 1 end as received_step,
               least(case when g.i % 3 = 0 then 7 else 6 end,
                     floor((${T} - g.reported_on) * (0.35 + g.r1 * 0.6))::int) as k,
               g.i % 33 = 0 as cancelled,
               g.i % 113 = 5 as human_damage
        from g_claims g where g.c < 4
      ) o`,
    `insert into maintenance_orders (id, claim_id, maintenance_number, service_center_id, mode, state, received_on,
                                    due_on, customer_city, diagnosis, human_damage_found, contacted_on, returned_on,
                                    due_reminder_sent_at, escalated_at, version, created_at, updated_at)
      select ${uid(ID.order, 'o.i')}, ${uid(ID.claim, 'o.i')}, n.num, c.id,
             o.mode, o.state, o.received_on, f.due_on, 'shenzhen',
             case when o.received_on is not null and o.k > o.received_step then 'Worn connector on the main board' end,
             o.state = 'paidService', f.contacted_on, f.returned_on,
             case when f.late then ${at('f.due_on - 1', '9')} end,
             case when f.late and f.contacted_on is null then ${at('f.due_on + 1', '9')} end,
             o.k + 1, ${at('o.reported_on', '11')}, ${at(`least(${T}, o.reported_on + o.k)`, '15')}
      from g_orders o
      join g_numbers n on n.seq = o.seq
      join g_centers c on c.n = o.center_n
      cross join lateral (
        select d.due_on, r.returned_on,
               -- Late: returned after the due day, or still held past it (reminded, then escalated).
               (r.returned_on is not null and r.returned_on > d.due_on)
                 or (r.returned_on is null and o.state in ('received','diagnosing','repairing') and d.due_on < ${T}) as late,
               case when o.i % 41 = 0 and o.received_on is not null then o.received_on + 1 end as contacted_on
        from (select o.received_on + ceil(c.days * 1.4)::int as due_on) d
        cross join lateral (
          select case when o.state in ('returned', 'closed')
                      then least(${T}, o.received_on + greatest(1, floor(c.days * (0.5 + o.r2 * 1.4))::int)) end as returned_on
        ) r
      ) f`,
    `select setval('maintenance_number_seq', ${numbered + orderCount})`,
  );

  await step(
    'maintenance order events',
    `
    insert into maintenance_order_events (order_id, from_state, to_state, "on", at, actor, note)
      select ${uid(ID.order, 'o.i')}, case when s.n > 0 then path[s.n] end, path[s.n + 1],
             least(${T}, o.reported_on + s.n), ${at(`least(${T}, o.reported_on + s.n)`, '11 + s.n')},
             case when s.n = 0 then 'user:support' else 'user:technician' end,
             case when path[s.n + 1] = 'diagnosing' then 'We are checking the unit.' end
      from (
        select o.*, case
                 when o.state = 'cancelled' then array['issued','cancelled']
                 when o.state = 'paidService' and o.mode = 'mail_in' then array['issued','awaitingParts','received','paidService']
                 when o.state = 'paidService' then array['issued','received','paidService']
                 when o.mode = 'mail_in' then array['issued','awaitingParts','received','diagnosing','repairing','repaired','returned','closed']
                 else array['issued','received','diagnosing','repairing','repaired','returned','closed'] end as path,
               case when o.state = 'cancelled' then 1
                    when o.state = 'paidService' then o.received_step + 1
                    else o.k end as last
        from g_orders o
      ) o
      cross join lateral generate_series(0, o.last) s(n);
  `,
  );

  await step(
    'tracking links',
    `
    insert into guest_access_tokens (token_hash, purpose, claim_id, expires_at, created_at)
      select encode(sha256(convert_to('bench-tracking-link-' || o.i, 'UTF8')), 'hex'), 'claim.track', ${uid(ID.claim, 'o.i')},
             ${at('o.reported_on + 400', '11')}, ${at('o.reported_on', '11')}
      from g_orders o;
  `,
  );

  await step(
    'dealer remedies and reimbursements',
    `
    insert into dealer_remedies (id, claim_id, dealer_id, kind, returned_serial, replacement_serial, refund_minor,
                                 currency, performed_on, performed_by, created_at)
      select ${uid(ID.remedy, 'g.i')}, ${uid(ID.claim, 'g.i')}, p.dealer_id, c.chosen_remedy,
             u.serial, case when c.chosen_remedy = 'replacement' then 'SNR' || lpad(g.i::text, 9, '0') end,
             case when c.chosen_remedy = 'refund' then 59900 end, case when c.chosen_remedy = 'refund' then 'CNY' end,
             g.reported_on + 1, 'user:dealer', ${at('g.reported_on + 1', '14')}
      from g_claims g
      join claims c on c.id = ${uid(ID.claim, 'g.i')}
      join purchases p on p.id = c.purchase_id
      left join units u on u.id = p.unit_id
      where c.chosen_remedy in ('refund', 'replacement') and p.dealer_id is not null`,
    `insert into reimbursement_claims (dealer_remedy_id, dealer_id, status, amount_minor, currency, decided_by,
                                      decided_at, version, created_at, updated_at)
      select r.id, r.dealer_id, s.status, 59900, 'CNY', case when s.status <> 'pending' then 'user:support' end,
             case when s.status <> 'pending' then r.created_at + interval '5 days' end,
             case when s.status <> 'pending' then 2 else 1 end, r.created_at, r.created_at
      from dealer_remedies r
      cross join lateral (select case when ${T} - r.performed_on < 20 then 'pending'
                                      when hashtext(r.id::text) % 20 = 0 then 'rejected' else 'approved' end as status) s`,
    // A unit a dealer took back is returned (domain/units/unit-state.ts).
    `update units u set state = 'returned' from dealer_remedies r where r.returned_serial = u.serial`,
    `update claims c set status = 'open', chosen_remedy = null
      where c.chosen_remedy in ('refund', 'replacement') and not exists (select 1 from dealer_remedies r where r.claim_id = c.id);
  `,
  );

  await step(
    'quotes',
    `
    insert into quotes (id, claim_id, state, lines, total_minor, currency, quoted_by, sent_at, accepted_at,
                        repaired_at, invoice_number, invoiced_at, invoice_tax_rate_bps, invoice_prices_include_tax,
                        version, created_at, updated_at)
      select ${uid(ID.quote, 'q.i')}, ${uid(ID.claim, 'q.i')}, 'invoiced',
             '[{"kind":"part","description":"Main board","quantity":1,"unitPrice":{"amountMinor":32000,"currency":"CNY"}},{"kind":"labour","description":"Labour","quantity":1,"unitPrice":{"amountMinor":8000,"currency":"CNY"}}]'::jsonb,
             40000, 'CNY', 'user:sales', q.t + interval '1 day', q.t + interval '2 days', q.t + interval '6 days',
             'INV-' || to_char(q.t + interval '7 days', 'YYYY') || '-' || lpad(q.n::text, 6, '0'), q.t + interval '7 days',
             1300, true, 5, q.t, q.t + interval '7 days'
      from (select g.i, ${at('g.reported_on', '10')} as t, row_number() over (order by g.i) as n
            from g_claims g join claims c on c.id = ${uid(ID.claim, 'g.i')}
            where g.c = 6 and c.chosen_remedy = 'paid_service') q`,
    `select setval('invoice_number_seq', greatest(1, (select count(*) from quotes)));
  `,
  );

  // Parts and labour on the repairs past diagnosis (issue 19): twenty parts, one or two of one of them
  // on each, and half an hour to two hours at CN¥120.00, on the day the product came in.
  await step(
    'parts and labour',
    `insert into parts (id, part_number, name_en, name_zh, unit_cost_minor, currency)
      select ('af000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'BENCH-P' || n, 'Part ' || n,
             '配件 ' || n, 1000 + n * 2500, 'CNY'
      from generate_series(1, 20) n`,
    `insert into maintenance_order_work (order_id, labour_hundredths, labour_rate_minor, currency, product_id,
                                        first_recorded_on, recorded_by, created_at, updated_at)
      select ${uid(ID.order, 'o.i')}, 50 + (o.i % 7) * 25, 12000, 'CNY', p.product_id, o.received_on,
             'user:technician', ${at('o.received_on', '16')}, ${at('o.received_on', '16')}
      from g_orders o
      join purchases p on p.id = ${uid(ID.purchase, 'o.i')}
      where o.received_on is not null and o.k > o.received_step`,
    `insert into maintenance_order_parts (order_id, part_id, quantity, unit_cost_minor, currency, created_at)
      select w.order_id, pt.id, 1 + (w.labour_hundredths / 25) % 2, pt.unit_cost_minor, 'CNY', w.created_at
      from maintenance_order_work w
      join parts pt on pt.part_number = 'BENCH-P' || (1 + (get_byte(decode(md5(w.order_id::text), 'hex'), 0) % 20))`,
  );

  // What the service wrote to people: the acknowledgement of each claim, a repair's issue and return,
  // reminders and escalations of late repairs. Phone-only customers are called (marked sent) after a
  // few days; about one e-mail in 100 of the last month failed for good.
  await step(
    'outbox',
    `
    insert into outbox (created_at, topic, recipient, subject, body, payload, sent_at, attempts, last_error, next_attempt_at)
      select m.created_at, m.topic, m.recipient, m.subject, m.body, m.payload,
             case when failed or m.recipient like 'role:%' then null
                  when m.recipient like '%@%' then m.created_at + interval '1 minute'
                  when ${T} - m.day > 3 then m.created_at + interval '1 day' end,
             case when failed then 10 when m.recipient like '%@%' then 1 else 0 end,
             case when failed then '550 5.1.1 mailbox unavailable' end,
             null
      from (
        select x.*, x.recipient like '%@%' and ${T} - x.day < 30 and x.n % 97 = 7 as failed
        from (
          select g.reported_on as day, ${at('g.reported_on', '9 + g.r1 * 10')} + interval '1 second' as created_at,
                 'claim.received' as topic, coalesce(u.email, u.phone) as recipient,
                 'We received your report' as subject,
                 'Dear ' || u.name || ', we received your report of ' || g.reported_on || '.' as body,
                 jsonb_build_object('claimId', ${uid(ID.claim, 'g.i')}) as payload, g.i as n
          from g_claims g join end_users u on u.id = ${uid(ID.endUser, `g.i % ${volume.endUsers}`)}
          union all
          select o.reported_on, ${at('o.reported_on', '11')} + interval '1 second', 'maintenance_order.issued',
                 coalesce(u.email, u.phone), 'Your maintenance number',
                 'Dear ' || u.name || ', bring the product to the service center; track it with your maintenance number.',
                 jsonb_build_object('maintenanceOrderId', ${uid(ID.order, 'o.i')}, 'claimId', ${uid(ID.claim, 'o.i')}), o.i + 1
          from g_orders o join end_users u on u.id = ${uid(ID.endUser, `o.i % ${volume.endUsers}`)}
          union all
          select m.returned_on, ${at('m.returned_on', '16')}, 'maintenance_order.returned', coalesce(u.email, u.phone),
                 'Your product is on its way back', 'Dear ' || u.name || ', your product was repaired and is on its way back.',
                 jsonb_build_object('maintenanceOrderId', m.id, 'claimId', m.claim_id, 'state', 'returned'), o.i + 2
          from g_orders o join maintenance_orders m on m.id = ${uid(ID.order, 'o.i')}
          join end_users u on u.id = ${uid(ID.endUser, `o.i % ${volume.endUsers}`)}
          where m.returned_on is not null
          union all
          select (m.due_reminder_sent_at at time zone 'Asia/Shanghai')::date, m.due_reminder_sent_at,
                 'maintenance_order.commitment_reminder', coalesce(u.email, u.phone), 'Your repair is due',
                 'Dear ' || u.name || ', your repair is due on ' || m.due_on || '.',
                 jsonb_build_object('maintenanceOrderId', m.id, 'claimId', m.claim_id, 'status', 'due_soon', 'dueOn', m.due_on), o.i + 3
          from g_orders o join maintenance_orders m on m.id = ${uid(ID.order, 'o.i')}
          join end_users u on u.id = ${uid(ID.endUser, `o.i % ${volume.endUsers}`)}
          where m.due_reminder_sent_at is not null
          union all
          select (m.escalated_at at time zone 'Asia/Shanghai')::date, m.escalated_at, 'maintenance_order.commitment_missed',
                 'role:support', 'Missed service commitment: ' || m.maintenance_number,
                 'The repair ' || m.maintenance_number || ' was due on ' || m.due_on || ' and the customer was not contacted.',
                 jsonb_build_object('maintenanceOrderId', m.id, 'serviceCenterId', m.service_center_id, 'dueOn', m.due_on), o.i + 4
          from g_orders o join maintenance_orders m on m.id = ${uid(ID.order, 'o.i')}
          where m.escalated_at is not null
        ) x
      ) m
      where m.recipient is not null;
  `,
  );

  // OEM: orders in pairs sharing a lot (a lot may ship in several orders), two lots each, ~2,000 units
  // an order; ~3 defect reports an order at 0.1–0.4 %, one lot in 50 failing at ~1.5 % (flagged).
  const O = volume.oemOrders;
  await step(
    'oem orders and defects',
    `
    insert into oem_clients (id, name, country, contact_name, email, phone)
      select ${uid(ID.oemClient, 'n')}, 'OEM Client ' || n || ' Ltd.', (array['GB','DE','US','JP','FR'])[n % 5 + 1],
             'Buyer ' || n, 'procurement' || n || '@oem' || n || '.example.com', '+44 20 7946 ' || lpad(n::text, 4, '0')
      from generate_series(1, ${volume.oemClients}) n`,
    `create temp table g_oem as
      select s.n, s.q, s.bps, p.id as product_id, p.sku, ${uid(ID.oemClient, `1 + s.n * 13 % ${volume.oemClients}`)} as client_id,
             ${T} - 30 - (s.n * 7919 % 700) as delivered,
             p.sku || '-S' || (s.n / 2) as shared_lot, p.sku || '-O' || s.n as own_lot,
             (s.q * 0.6)::int as shared_units, (s.n / 2) % 50 = 3 as bad
      from (select n, 500 + (n * 104729 % 3001) as q, 30 + (n * 31 % 21) as bps from generate_series(0, ${O - 1}) n) s
      join g_products p on p.n = (s.n / 2) % 30`,
    `insert into oem_orders (id, order_number, client_id, product_id, quantity, spare_rate_bps, spare_units,
                            delivery_date, lots, lot_details, unit_price_minor, currency, policy_version_id, created_by,
                            ordered_on, created_at, updated_at)
      select ${uid(ID.oemOrder, 'n')}, 'OEM-GEN-' || lpad(n::text, 6, '0'), client_id, product_id, q, bps,
             ceil(q * bps / 10000.0)::int, delivered, array[shared_lot, own_lot],
             jsonb_build_array(jsonb_build_object('lot', shared_lot, 'units', shared_units, 'serials', null),
                               jsonb_build_object('lot', own_lot, 'units', q - shared_units, 'serials', null)),
             5000 + n % 20000, 'CNY', '${policyVersionId}', 'user:sales', delivered - 30,
             ${at('delivered - 30', '10')}, ${at('delivered - 30', '10')}
      from g_oem`,
    // The maker's lots those orders shipped from, and each order's share of them (as migration 0021 makes them).
    `insert into lots (product_id, code, quantity, made_on, shipped_on, created_by)
      select o.product_id, l.lot, sum(l.units)::int, min(o.delivery_date) - 14, min(o.delivery_date) - 7, 'user:qa'
      from oem_orders o cross join lateral oem_order_lots(o.lot_details, o.lots, o.quantity) l
      where o.order_number like 'OEM-GEN-%'
      group by o.product_id, l.lot`,
    `insert into lot_allocations (lot_id, order_id, client_id, units, created_by)
      select lt.id, o.id, o.client_id, l.units::int, 'user:qa'
      from oem_orders o cross join lateral oem_order_lots(o.lot_details, o.lots, o.quantity) l
      join lots lt on lt.product_id = o.product_id and lt.code = l.lot
      where o.order_number like 'OEM-GEN-%'`,
    `insert into oem_defect_reports (id, order_id, client_id, product_id, lot, units, failure_mode, reported_on,
                                    reported_by, source, accepted_units, created_at)
      select ${uid(ID.defect, 'o.n * 4 + r.k')}, ${uid(ID.oemOrder, 'o.n')}, o.client_id, o.product_id,
             case when r.k < 2 then o.shared_lot else o.own_lot end,
             greatest(1, floor(o.q * (case when o.bad and r.k < 2 then 0.008 else 0.0004 + (o.n * 17 + r.k) % 13 / 10000.0 end))::int),
             (array['No sound in the left earpiece','Does not pair','Output ripple too high'])[r.k % 3 + 1],
             least(${T}, o.delivered + 10 + r.k * 40), 'user:oem', 'api',
             -- Years of reports QA has long since reviewed: accepted whole.
             greatest(1, floor(o.q * (case when o.bad and r.k < 2 then 0.008 else 0.0004 + (o.n * 17 + r.k) % 13 / 10000.0 end))::int),
             ${at(`least(${T}, o.delivered + 10 + r.k * 40)`, '15')}
      from g_oem o cross join generate_series(0, 2) r(k)`,
    `insert into batch_defect_investigations (product_id, lots, state, origin, opened_by, created_at, updated_at)
      select distinct on (o.shared_lot) o.product_id, array[o.shared_lot], 'proposed', 'early_warning', 'system',
             ${at('o.delivered + 60', '9')}, ${at('o.delivered + 60', '9')}
      from g_oem o where o.bad and o.n % 2 = 0;
  `,
  );

  await step('analyze', 'analyze');

  const counts: Record<string, number> = {};
  for (const table of countedTables) {
    counts[table] = Number(
      scalarOf(await db.execute(sql.raw(`select count(*)::int as n from ${table}`)), 'n'),
    );
  }
  counts['oem_units'] = Number(
    scalarOf(await db.execute(sql`select coalesce(sum(quantity), 0)::bigint as n from oem_orders`), 'n'),
  );
  await db.execute(
    sql.raw(
      'drop table if exists g_numbers, g_products, g_dealers, g_centers, g_purchases, g_claims, g_orders, g_oem',
    ),
  );
  return { volume, counts, steps, totalMs: Math.round(performance.now() - started) };
}

/** Migrates, adds the built-in policies, seeds the demo data and generates: a database ready to measure. */
export async function prepareScaleDatabase(
  handle: DatabaseHandle,
  options: GenerateOptions,
): Promise<GenerateReport> {
  await migrateDatabase(handle);
  await ensureBuiltInPolicies(handle.db);
  return generateScaleData(handle, options);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      purchases: { type: 'string', default: '10000' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const purchases = Number(values.purchases);
  const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;
  const dataDir = values['data-dir'];
  if (!databaseUrl && !dataDir) {
    throw new Error(
      'name the database: --database-url postgres://… (or DATABASE_URL), or --data-dir for PGlite',
    );
  }
  const handle = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir });
  try {
    console.log(
      `generating ${purchases.toLocaleString('en')} purchases into ${databaseUrl ? 'PostgreSQL' : dataDir}`,
    );
    const report = await prepareScaleDatabase(handle, {
      purchases,
      log: (line) => {
        console.log(line);
      },
    });
    console.log(`done in ${(report.totalMs / 1000).toFixed(1)} s`);
    console.table(report.counts);
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
