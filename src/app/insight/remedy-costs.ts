import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { claims, dealerRemedies, makerCostEntries, purchases, reimbursementClaims } from '../../db/schema.js';
import type { RemedyCost, RemedyCostLookup } from '../../domain/policy/what-if.js';
import type { RemedyCode } from '../../domain/policy/schema.js';

/*
 * What a remedy has cost the maker, per product, observed from the money already decided. The one place
 * the "what if" prices remedies: a cost module (warranty cost, issue 19 item 2) can take its place by
 * answering the same lookup.
 *
 * - refund, replacement: the average amount support approved on dealers' reimbursement claims for that
 *   remedy of that product (an approved claim is money decided by two parties: the dealer asked, support
 *   approved);
 * - replacement with no approved reimbursement: the maker's own cost of a remade unit of the product
 *   (maker cost entries of kind remake_units, amount ÷ units);
 * - the service center, a maintenance order, mail-in repair: nothing is recorded about their cost yet
 *   (parts and labour arrive with issue 19 item 2), so they are left unpriced and the moves into or out of
 *   them are counted apart as unpriced rather than guessed;
 * - paid service costs the maker nothing (the customer pays), which the summary knows without a lookup.
 *
 * Where a product's observations are in several currencies, the currency with the most observations is
 * used. Averages are rounded to whole minor units.
 */
export async function remedyCostLookup(db: Database): Promise<RemedyCostLookup> {
  const reimbursed = await db
    .select({
      productId: purchases.productId,
      kind: dealerRemedies.kind,
      currency: reimbursementClaims.currency,
      total: sql<string>`sum(${reimbursementClaims.amountMinor})`,
      count: sql<number>`count(*)::int`,
    })
    .from(reimbursementClaims)
    .innerJoin(dealerRemedies, eq(dealerRemedies.id, reimbursementClaims.dealerRemedyId))
    .innerJoin(claims, eq(claims.id, dealerRemedies.claimId))
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .where(
      and(
        eq(reimbursementClaims.status, 'approved'),
        isNotNull(reimbursementClaims.amountMinor),
        isNotNull(reimbursementClaims.currency),
      ),
    )
    .groupBy(purchases.productId, dealerRemedies.kind, reimbursementClaims.currency);
  const remade = await db
    .select({
      productId: makerCostEntries.productId,
      currency: makerCostEntries.currency,
      total: sql<string>`sum(${makerCostEntries.amountMinor})`,
      units: sql<string>`sum(${makerCostEntries.units})`,
      count: sql<number>`count(*)::int`,
    })
    .from(makerCostEntries)
    .where(and(eq(makerCostEntries.kind, 'remake_units'), isNotNull(makerCostEntries.units)))
    .groupBy(makerCostEntries.productId, makerCostEntries.currency);

  const best = new Map<string, RemedyCost>();
  const offer = (key: string, cost: RemedyCost) => {
    const held = best.get(key);
    if (!held || cost.observations > held.observations) best.set(key, cost);
  };
  for (const row of reimbursed) {
    if (row.currency === null || row.count === 0) continue;
    offer(`${row.productId}|${row.kind}`, {
      averageMinor: Math.round(Number(row.total) / row.count),
      currency: row.currency,
      observations: row.count,
    });
  }
  const fallback = new Map<string, RemedyCost>();
  for (const row of remade) {
    const units = Number(row.units);
    if (!(units > 0)) continue;
    const cost = {
      averageMinor: Math.round(Number(row.total) / units),
      currency: row.currency,
      observations: row.count,
    };
    const held = fallback.get(row.productId);
    if (!held || cost.observations > held.observations) fallback.set(row.productId, cost);
  }
  return (productId: string, remedy: RemedyCode) => {
    const observed = best.get(`${productId}|${remedy}`);
    if (observed) return observed;
    if (remedy === 'replacement') return fallback.get(productId);
    return undefined;
  };
}
