import { asc, eq, inArray, sql } from 'drizzle-orm';
import { oemClients, oemDefectReports, oemOrders, products } from '../../../db/schema.js';
import type { Actor } from '../../../domain/access/access.js';
import { AppError } from '../../errors.js';
import { assertMay } from '../lot-defect-rates.js';
import { ledgerOfOrder, type OemDeps, policyOfOrder } from '../oem-records.js';
import { defectReportViews, type DefectReportView } from '../read-oem-orders.js';

export type ReviewQueueItem = DefectReportView & {
  client: { id: string; name: string };
  product: { id: string; sku: string; name: { en: string; zh: string } };
  /** The order's version: send it back as expectedVersion with a decision. */
  orderVersion: number;
  /** Units beyond the order's spares that wait for QA (the ledger's line). */
  awaitingQa: number;
  coveredBySpares: number;
};

/**
 * QA's queue: reports with units beyond their order's spares that nobody decided on yet, oldest first,
 * each with how many (nothing is owed for them until QA accepts them).
 */
export async function listReviewQueue(
  deps: OemDeps,
  actor: Actor,
  query: { limit: number },
): Promise<ReviewQueueItem[]> {
  assertMay(actor, 'oemDefects.review');
  const rows = await deps.db
    .select()
    .from(oemDefectReports)
    .where(
      sql`${oemDefectReports.acceptedUnits} + ${oemDefectReports.rejectedUnits} < ${oemDefectReports.units}`,
    )
    .orderBy(asc(oemDefectReports.reportedOn), asc(oemDefectReports.id))
    .limit(query.limit);
  if (rows.length === 0) return [];
  const orderIds = [...new Set(rows.map((r) => r.orderId))];
  const orders = await deps.db
    .select({
      order: oemOrders,
      clientName: oemClients.name,
      product: { id: products.id, sku: products.sku, nameEn: products.nameEn, nameZh: products.nameZh },
    })
    .from(oemOrders)
    .innerJoin(oemClients, eq(oemClients.id, oemOrders.clientId))
    .innerJoin(products, eq(products.id, oemOrders.productId))
    .where(inArray(oemOrders.id, orderIds));
  const versions = await deps.policies.versions();
  const lines = new Map<string, { awaitingQa: number; coveredBySpares: number }>();
  for (const o of orders) {
    const { ledger } = await ledgerOfOrder(deps.db, o.order, policyOfOrder(versions, o.order).oem);
    for (const l of ledger.lines)
      lines.set(l.reportId, { awaitingQa: l.awaitingQa, coveredBySpares: l.coveredBySpares });
  }
  const byId = new Map(orders.map((o) => [o.order.id, o]));
  const views = await defectReportViews(deps.db, rows, (id) => byId.get(id)?.order.orderNumber ?? '');
  // Units the spares took need no review: only reports with units beyond them wait for QA.
  return views.flatMap((v) => {
    const o = byId.get(v.order.id);
    if (!o) throw new AppError('not_found', 'OEM_ORDER_NOT_FOUND', 'no such OEM order');
    const awaitingQa = lines.get(v.id)?.awaitingQa ?? 0;
    if (awaitingQa === 0) return [];
    return {
      ...v,
      client: { id: o.order.clientId, name: o.clientName },
      product: { id: o.product.id, sku: o.product.sku, name: { en: o.product.nameEn, zh: o.product.nameZh } },
      orderVersion: o.order.version,
      awaitingQa,
      coveredBySpares: lines.get(v.id)?.coveredBySpares ?? 0,
    };
  });
}
