import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { batchDefectInvestigations, oemDefectReports, oemOrders, products } from '../../db/schema.js';
import { type Action, type Actor, authorize } from '../../domain/access/access.js';
import { activeInvestigationStates, type InvestigationState } from '../../domain/oem/batch-investigation.js';
import { type LotRate, lotRate, type LotShipment } from '../../domain/oem/early-warning.js';
import { forbidden } from '../access.js';
import { lotsOf, type OemDeps } from './oem-records.js';

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

/**
 * Every lot's defect rate against its spare rate (early warning): the units its orders shipped, the
 * units reported defective, the rate with its 95 % Wilson interval, and whether the lower bound is
 * above the (lowest) spare rate of those orders — flagged lots first, most certain first.
 */
export async function computeLotRates(
  db: Database | Transaction,
  filter: { productId?: string | undefined; lot?: string | undefined } = {},
): Promise<LotRateView[]> {
  const orders = await db
    .select({
      id: oemOrders.id,
      clientId: oemOrders.clientId,
      productId: oemOrders.productId,
      quantity: oemOrders.quantity,
      spareRateBps: oemOrders.spareRateBps,
      lots: oemOrders.lots,
      lotDetails: oemOrders.lotDetails,
    })
    .from(oemOrders)
    .where(filter.productId ? eq(oemOrders.productId, filter.productId) : undefined);
  type Entry = {
    productId: string;
    lot: string;
    shipments: LotShipment[];
    orders: Set<string>;
    clients: Set<string>;
  };
  const lots = new Map<string, Entry>();
  for (const o of orders) {
    for (const l of lotsOf(o)) {
      if (filter.lot && l.lot !== filter.lot) continue;
      const key = `${o.productId} ${l.lot}`;
      const entry = lots.get(key) ?? {
        productId: o.productId,
        lot: l.lot,
        shipments: [],
        orders: new Set(),
        clients: new Set(),
      };
      entry.shipments.push({ units: l.units, spareRateBps: o.spareRateBps });
      entry.orders.add(o.id);
      entry.clients.add(o.clientId);
      lots.set(key, entry);
    }
  }
  if (lots.size === 0) return [];
  const productIds = [...new Set([...lots.values()].map((e) => e.productId))];
  const defects = await db
    .select({
      productId: oemDefectReports.productId,
      lot: oemDefectReports.lot,
      units: sql<number>`sum(${oemDefectReports.units})::int`,
    })
    .from(oemDefectReports)
    .where(inArray(oemDefectReports.productId, productIds))
    .groupBy(oemDefectReports.productId, oemDefectReports.lot);
  const defectsOf = new Map(defects.map((d) => [`${d.productId} ${d.lot}`, d.units]));
  const productRows = await db
    .select({ id: products.id, sku: products.sku, nameEn: products.nameEn, nameZh: products.nameZh })
    .from(products)
    .where(inArray(products.id, productIds));
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
        inArray(batchDefectInvestigations.productId, productIds),
        inArray(batchDefectInvestigations.state, [...activeInvestigationStates]),
      ),
    );
  const views = [...lots.values()].map((e): LotRateView => {
    const product = productRows.find((p) => p.id === e.productId);
    const inv = investigations.find((i) => i.productId === e.productId && i.lots.includes(e.lot));
    return {
      ...lotRate(e.shipments, defectsOf.get(`${e.productId} ${e.lot}`) ?? 0),
      product: {
        id: e.productId,
        sku: product?.sku ?? '',
        name: { en: product?.nameEn ?? '', zh: product?.nameZh ?? '' },
      },
      lot: e.lot,
      orders: e.orders.size,
      clients: e.clients.size,
      investigation: inv ? { id: inv.id, state: inv.state } : null,
    };
  });
  return views.sort(
    (a, b) =>
      Number(b.flagged) - Number(a.flagged) ||
      b.lower - a.lower ||
      a.product.sku.localeCompare(b.product.sku) ||
      a.lot.localeCompare(b.lot),
  );
}

export async function listLotDefectRates(
  deps: OemDeps,
  actor: Actor,
  query: { productId?: string | undefined; flagged?: boolean | undefined; limit: number },
): Promise<{ lots: LotRateView[]; total: number }> {
  assertMay(actor, 'lotDefectRates.read');
  const rates = await computeLotRates(deps.db, { productId: query.productId });
  const chosen = query.flagged === undefined ? rates : rates.filter((r) => r.flagged === query.flagged);
  // Thousands of lots are years of production: QA reads the worst, and a page of them answers fast.
  return { lots: chosen.slice(0, query.limit), total: chosen.length };
}
