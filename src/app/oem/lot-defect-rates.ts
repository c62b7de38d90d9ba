import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { batchDefectInvestigations, oemLotTotals, oemOrders, products } from '../../db/schema.js';
import { type Action, type Actor, authorize } from '../../domain/access/access.js';
import { activeInvestigationStates, type InvestigationState } from '../../domain/oem/batch-investigation.js';
import { type LotRate, lotRateOfTotals } from '../../domain/oem/early-warning.js';
import { forbidden } from '../access.js';
import type { OemDeps } from './oem-records.js';
import { rowsOf } from '../../db/rows.js';

export type LotRateView = LotRate & {
  product: { id: string; sku: string; name: { en: string; zh: string } };
  lot: string;
  orders: number;
  clients: number;
  /** The investigation already looking at this lot, if any (proposed, open or confirmed). */
  investigation: { id: string; state: InvestigationState } | null;
};

export function assertMay(actor: Actor, action: Action): void {
  if (authorize(actor, action, {}) !== 'allowed') throw forbidden();
}

type LotFilter = { productId?: string | undefined; lot?: string | undefined; flagged?: boolean | undefined };

/**
 * Lots by their defect rate, flagged first, most certain first, then by SKU and lot code (compared by
 * code point), with how many there are; `limit` cuts the list. The sums, and the lower bound and flag
 * they rank by, come from `oem_lot_totals`, which triggers keep as orders and reports are written: at a
 * million purchases (7,500 lots) adding up every order and report took 200 ms, and rating and sorting
 * every lot in JavaScript 100 ms. The rates shown are the domain's, computed from the same sums.
 */
export async function lotRatesPage(
  db: Database | Transaction,
  filter: LotFilter,
  limit?: number,
): Promise<{ lots: LotRateView[]; total: number }> {
  const t = oemLotTotals;
  const where = and(
    gt(t.shipments, 0),
    filter.productId ? eq(t.productId, filter.productId) : undefined,
    filter.lot !== undefined ? eq(t.lot, filter.lot) : undefined,
    filter.flagged === undefined ? undefined : eq(t.flagged, filter.flagged),
  );
  const query = db
    .select({
      productId: t.productId,
      lot: t.lot,
      unitsShipped: t.unitsShipped,
      spareRateBps: sql<number>`coalesce(${t.spareRateBps}, 0)`,
      defects: t.defects,
      sku: products.sku,
      nameEn: products.nameEn,
      nameZh: products.nameZh,
    })
    .from(t)
    .innerJoin(products, eq(products.id, t.productId))
    .where(where)
    .orderBy(desc(t.flagged), desc(t.lower), sql`${products.sku} collate "C"`, sql`${t.lot} collate "C"`);
  const page = await (limit === undefined ? query : query.limit(limit));
  const total = limit === undefined || page.length < limit ? page.length : await db.$count(t, where);
  if (page.length === 0) return { lots: [], total };

  const pageLots = [...new Set(page.map((t) => t.lot))];
  const pageProducts = [...new Set(page.map((t) => t.productId))];
  const shippers = new Map(
    rowsOf(
      await db.execute(sql`
        select o.product_id, l.lot, count(distinct o.id)::int as orders, count(distinct o.client_id)::int as clients
        from ${oemOrders} as o cross join lateral unnest(o.lots) as l(lot)
        where o.lots && ${sql.param(pageLots)}::text[]
          and l.lot = any(${sql.param(pageLots)}::text[])
          and o.product_id = any(${sql.param(pageProducts)}::uuid[])
        group by o.product_id, l.lot`),
    ).map((r) => [
      `${String(r.product_id)} ${String(r.lot)}`,
      { orders: Number(r.orders), clients: Number(r.clients) },
    ]),
  );
  const investigations = await db
    .select({
      id: batchDefectInvestigations.id,
      productId: batchDefectInvestigations.productId,
      lots: batchDefectInvestigations.lots,
      state: batchDefectInvestigations.state,
    })
    .from(batchDefectInvestigations)
    .where(
      and(
        inArray(batchDefectInvestigations.productId, pageProducts),
        inArray(batchDefectInvestigations.state, [...activeInvestigationStates]),
      ),
    );
  const investigationOf = new Map<string, { id: string; state: InvestigationState }>();
  for (const i of investigations) {
    for (const lot of i.lots) {
      const key = `${i.productId} ${lot}`;
      if (!investigationOf.has(key)) investigationOf.set(key, { id: i.id, state: i.state });
    }
  }
  const lots = page.map((t): LotRateView => {
    const key = `${t.productId} ${t.lot}`;
    return {
      ...lotRateOfTotals(t),
      product: { id: t.productId, sku: t.sku, name: { en: t.nameEn, zh: t.nameZh } },
      lot: t.lot,
      orders: shippers.get(key)?.orders ?? 0,
      clients: shippers.get(key)?.clients ?? 0,
      investigation: investigationOf.get(key) ?? null,
    };
  });
  return { lots, total };
}

/**
 * Every lot's defect rate against its spare rate (early warning): the units its orders shipped, the
 * units reported defective, the rate with its 95 % Wilson interval, and whether the lower bound is
 * above the (lowest) spare rate of those orders — flagged lots first, most certain first.
 */
export async function computeLotRates(
  db: Database | Transaction,
  filter: { productId?: string | undefined; lot?: string | undefined } = {},
): Promise<LotRateView[]> {
  return (await lotRatesPage(db, filter)).lots;
}

export async function listLotDefectRates(
  deps: OemDeps,
  actor: Actor,
  query: { productId?: string | undefined; flagged?: boolean | undefined; limit: number },
): Promise<{ lots: LotRateView[]; total: number }> {
  assertMay(actor, 'lotDefectRates.read');
  // Thousands of lots are years of production: QA reads the worst, and a page of them answers fast.
  return lotRatesPage(deps.db, { productId: query.productId, flagged: query.flagged }, query.limit);
}
