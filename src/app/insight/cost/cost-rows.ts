import { type SQL, sql } from 'drizzle-orm';
import type { RowCategory } from '../../../domain/warranty-cost/report.js';

/*
 * The rows behind the cost of warranty: one SELECT per source, each with the same columns, each
 * filtered on its own day so an index can find the range. The report sums them per product, month and
 * category; the drill-down lists them. Both read these same statements, so a figure and its rows
 * cannot disagree.
 *
 *   category · product_id · day (the store's calendar day the cost counts on) · amount_minor · currency
 *   source (the kind of row) · source_id · reference (what people call it: a number, an invoice)
 */

export type CostRowSource =
  | 'reimbursement_claim'
  | 'maintenance_order'
  | 'replacement_shipment'
  | 'excess_resolution'
  | 'maker_cost_entry'
  | 'quote';

export type RowFilter = {
  /** Store calendar days, both included. */
  from: string;
  to: string;
  productId?: string | undefined;
  storeTimeZone: string;
};

/** A timestamp column's range as the store's calendar days [from, to]. */
function instantIn(column: SQL, f: RowFilter): SQL {
  return sql`${column} >= (${f.from}::date)::timestamp at time zone ${f.storeTimeZone}
    and ${column} < (${f.to}::date + 1)::timestamp at time zone ${f.storeTimeZone}`;
}

function dayOf(column: SQL, f: RowFilter): SQL {
  return sql`(${column} at time zone ${f.storeTimeZone})::date`;
}

function product(column: SQL, f: RowFilter): SQL {
  return f.productId ? sql`and ${column} = ${f.productId}::uuid` : sql``;
}

/** Which sources hold a category: the drill-down of one cell reads only those. */
const sourcesOf: Record<RowCategory, readonly string[]> = {
  dealer_refund: ['reimbursements'],
  dealer_replacement: ['reimbursements'],
  repair_parts: ['repairParts'],
  repair_labour: ['repairLabour'],
  oem_replacement: ['oemReplacements'],
  oem_credit: ['oemCredits'],
  remake: ['makerCosts'],
  air_freight: ['makerCosts'],
  paid_service: ['paidService'],
};

const sources: Record<string, (f: RowFilter) => SQL> = {
  // Refunds and replacements a dealer carried out, as the maker approved paying them back.
  reimbursements: (f) => sql`
    select case when dr.kind = 'refund' then 'dealer_refund' else 'dealer_replacement' end as category,
           p.product_id, ${dayOf(sql`rc.decided_at`, f)} as day, rc.amount_minor, rc.currency,
           'reimbursement_claim' as source, rc.id as source_id, dr.claim_id::text as reference
      from reimbursement_claims rc
      join dealer_remedies dr on dr.id = rc.dealer_remedy_id
      join claims c on c.id = dr.claim_id
      join purchases p on p.id = c.purchase_id
     where rc.status = 'approved' and rc.amount_minor is not null
       and ${instantIn(sql`rc.decided_at`, f)} ${product(sql`p.product_id`, f)}`,
  // Free repairs: orders not found misused, not cancelled, on the day their work was first recorded.
  repairParts: (f) => sql`
    select 'repair_parts' as category, w.product_id, w.first_recorded_on as day,
           sum(mp.quantity::bigint * mp.unit_cost_minor)::bigint as amount_minor, w.currency,
           'maintenance_order' as source, w.order_id as source_id, mo.maintenance_number as reference
      from maintenance_order_work w
      join maintenance_orders mo on mo.id = w.order_id
      join maintenance_order_parts mp on mp.order_id = w.order_id
     where not mo.human_damage_found and mo.state <> 'cancelled'
       and w.first_recorded_on between ${f.from}::date and ${f.to}::date ${product(sql`w.product_id`, f)}
     group by w.order_id, w.product_id, w.first_recorded_on, w.currency, mo.maintenance_number`,
  repairLabour: (f) => sql`
    select 'repair_labour' as category, w.product_id, w.first_recorded_on as day,
           ((w.labour_hundredths::bigint * w.labour_rate_minor + 50) / 100)::bigint as amount_minor, w.currency,
           'maintenance_order' as source, w.order_id as source_id, mo.maintenance_number as reference
      from maintenance_order_work w
      join maintenance_orders mo on mo.id = w.order_id
     where not mo.human_damage_found and mo.state <> 'cancelled' and w.labour_hundredths > 0
       and w.first_recorded_on between ${f.from}::date and ${f.to}::date ${product(sql`w.product_id`, f)}`,
  // New units shipped for an OEM order's excess defects, valued at the order's contract price.
  oemReplacements: (f) => sql`
    select 'oem_replacement' as category, rs.product_id, ${dayOf(sql`rs.created_at`, f)} as day,
           (rs.units::bigint * o.unit_price_minor)::bigint as amount_minor, o.currency,
           'replacement_shipment' as source, rs.id as source_id, rs.shipment_number as reference
      from replacement_shipments rs
      join oem_orders o on o.id = rs.order_id
     where rs.state <> 'cancelled' and o.unit_price_minor is not null
       and ${instantIn(sql`rs.created_at`, f)} ${product(sql`rs.product_id`, f)}`,
  // Credits on a next order: money as granted, units at the order's contract price; a credit a second
  // person refused is no cost.
  oemCredits: (f) => sql`
    select 'oem_credit' as category, er.product_id, ${dayOf(sql`er.created_at`, f)} as day,
           (case when er.credit_kind = 'money' then er.credit_amount_minor
                 else er.units::bigint * o.unit_price_minor end)::bigint as amount_minor,
           coalesce(er.credit_currency, o.currency) as currency,
           'excess_resolution' as source, er.id as source_id, o.order_number as reference
      from excess_resolutions er
      join oem_orders o on o.id = er.order_id
     where er.remedy = 'next_order_credit'
       and (er.credit_kind = 'money' or o.unit_price_minor is not null)
       and not exists (select 1 from approvals a
                        where a.subject_id = er.id and a.kind = 'oem_credit' and a.state = 'rejected')
       and ${instantIn(sql`er.created_at`, f)} ${product(sql`er.product_id`, f)}`,
  // A batch defect's remade units, their air freight and other costs: the maker's cost ledger.
  makerCosts: (f) => sql`
    select case when m.kind = 'air_freight' then 'air_freight' else 'remake' end as category,
           m.product_id, m.booked_on as day, m.amount_minor, m.currency,
           'maker_cost_entry' as source, m.id as source_id, r.remake_number as reference
      from maker_cost_entries m
      join remake_orders r on r.id = m.remake_order_id
     where m.booked_on between ${f.from}::date and ${f.to}::date ${product(sql`m.product_id`, f)}`,
  // Income: paid service invoiced.
  paidService: (f) => sql`
    select 'paid_service' as category, p.product_id, ${dayOf(sql`q.invoiced_at`, f)} as day,
           q.total_minor as amount_minor, q.currency,
           'quote' as source, q.id as source_id, q.invoice_number as reference
      from quotes q
      join claims c on c.id = q.claim_id
      join purchases p on p.id = c.purchase_id
     where q.invoiced_at is not null
       and ${instantIn(sql`q.invoiced_at`, f)} ${product(sql`p.product_id`, f)}`,
};

/** Every row behind the report in the range, as one relation. */
export function allCostRows(f: RowFilter): SQL {
  return sql.join(
    Object.values(sources).map((s) => s(f)),
    sql` union all `,
  );
}

/** The rows of one category only (the drill-down of a cell). */
export function costRowsOf(category: RowCategory, f: RowFilter): SQL {
  return sql.join(
    sourcesOf[category].map((name) => {
      const source = sources[name];
      if (!source) throw new Error(`no source ${name}`);
      return sql`select * from (${source(f)}) s where s.category = ${category}`;
    }),
    sql` union all `,
  );
}
