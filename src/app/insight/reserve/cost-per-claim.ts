import { sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';

/*
 * What one warranty claim costs the maker, per product: the one place the reserve reads money from.
 * Today that is the money rows that exist — dealers' reimbursements support approved, the maker's
 * cost entries of batch defects (remade units, air freight), and credits in money granted to OEM
 * clients for defects beyond their spares — divided by the warranty claims reported on the product.
 * The cost of warranty (parts and labour of free repairs, issue 19 item 2) will replace this body;
 * its callers need only `costPerClaim`.
 */

export type ClaimCost = {
  productId: string;
  /** Warranty claims reported up to the day (paid service and withdrawn claims left out). */
  claims: number;
  reimbursementsMinor: number;
  makerCostsMinor: number;
  oemCreditsMinor: number;
  totalMinor: number;
};

export type ClaimCosts = {
  currency: string;
  byProduct: Map<string, ClaimCost>;
  /** Over every product: the cost per claim of a product that has no claims of its own yet. */
  all: Omit<ClaimCost, 'productId'>;
  /** Money rows in another currency than `currency`: not converted, not counted. */
  otherCurrencyRows: number;
};

/** The condition of a warranty claim, on a claims row aliased `c` (its purchase `p`). */
export const warrantyClaimCondition = sql.raw(
  `c.status <> 'withdrawn' and coalesce((c.decision ->> 'paid')::boolean, false) = false and p.verification <> 'rejected'`,
);

/**
 * The money per product up to `asOf` (a store calendar day) in `currency`; when no currency is asked
 * for, the one most rows are in (CNY when there are none).
 */
export async function observedClaimCosts(
  db: Database | Transaction,
  input: { asOf: string; timeZone: string; currency?: string | undefined },
): Promise<ClaimCosts> {
  const asOf = input.asOf;
  const money = rowsOf(
    await db.execute(sql`
      select kind, product_id, currency, sum(amount)::float8 as amount, count(*)::int as n from (
        select 'reimbursement' as kind, p.product_id, rc.currency, rc.amount_minor as amount
          from reimbursement_claims rc
          join dealer_remedies r on r.id = rc.dealer_remedy_id
          join claims c on c.id = r.claim_id
          join purchases p on p.id = c.purchase_id
          where rc.status = 'approved' and rc.amount_minor is not null
            and (rc.decided_at at time zone ${input.timeZone})::date <= ${asOf}::date
        union all
        select 'maker_cost', e.product_id, e.currency, e.amount_minor
          from maker_cost_entries e where e.booked_on <= ${asOf}::date
        union all
        select 'oem_credit', x.product_id, x.credit_currency, x.credit_amount_minor
          from excess_resolutions x
          where x.remedy = 'next_order_credit' and x.credit_kind = 'money'
            and (x.created_at at time zone ${input.timeZone})::date <= ${asOf}::date
      ) m group by kind, product_id, currency`),
  ).map((r) => ({
    kind: String(r.kind),
    productId: String(r.product_id),
    currency: String(r.currency),
    amount: Number(r.amount),
    n: Number(r.n),
  }));
  const counted = rowsOf(
    await db.execute(sql`
      select p.product_id, count(*)::int as claims
      from claims c join purchases p on p.id = c.purchase_id
      where c.reported_on <= ${asOf}::date and ${warrantyClaimCondition}
      group by p.product_id`),
  );

  const rowsPerCurrency = new Map<string, number>();
  for (const m of money) rowsPerCurrency.set(m.currency, (rowsPerCurrency.get(m.currency) ?? 0) + m.n);
  const currency =
    input.currency ??
    [...rowsPerCurrency.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0] ??
    'CNY';

  const empty = (productId: string): ClaimCost => ({
    productId,
    claims: 0,
    reimbursementsMinor: 0,
    makerCostsMinor: 0,
    oemCreditsMinor: 0,
    totalMinor: 0,
  });
  const byProduct = new Map<string, ClaimCost>();
  const all = empty('');
  for (const r of counted) {
    const c = empty(String(r.product_id));
    c.claims = Number(r.claims);
    all.claims += c.claims;
    byProduct.set(c.productId, c);
  }
  let otherCurrencyRows = 0;
  for (const m of money) {
    if (m.currency !== currency) {
      otherCurrencyRows += m.n;
      continue;
    }
    const c = byProduct.get(m.productId) ?? empty(m.productId);
    byProduct.set(m.productId, c);
    const field =
      m.kind === 'reimbursement'
        ? 'reimbursementsMinor'
        : m.kind === 'maker_cost'
          ? 'makerCostsMinor'
          : 'oemCreditsMinor';
    c[field] += m.amount;
    c.totalMinor += m.amount;
    all[field] += m.amount;
    all.totalMinor += m.amount;
  }
  const { productId: _, ...pooled } = all;
  return { currency, byProduct, all: pooled, otherCurrencyRows };
}

/**
 * The cost of one claim of a product, in minor units: its own money over its own claims, or — when it
 * has no claims yet — every product's money over every product's claims. Zero when nothing was paid.
 */
export function costPerClaim(
  costs: ClaimCosts,
  productId: string,
): { minor: number; basis: 'product' | 'all_products' } {
  const own = costs.byProduct.get(productId);
  if (own && own.claims > 0) return { minor: own.totalMinor / own.claims, basis: 'product' };
  return { minor: costs.all.claims > 0 ? costs.all.totalMinor / costs.all.claims : 0, basis: 'all_products' };
}
