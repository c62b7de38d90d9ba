import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import {
  defectReportEvidence,
  oemClients,
  oemDefectReports,
  oemOrders,
  products,
  remakeOrders,
} from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { LedgerLine } from '../../domain/oem/defect-ledger.js';
import { unresolvedExcess } from '../../domain/oem/excess-resolution.js';
import { quoteClause } from '../../domain/policy/evaluate.js';
import type { ExcessRemedyCode, Language } from '../../domain/policy/schema.js';
import { assertAllowed, forbidden } from '../access.js';
import { AppError } from '../errors.js';
import {
  type ExcessResolutionView,
  ledgerOfOrder,
  type LoadedOrder,
  loadOrder,
  type OemDeps,
  type OemOrderSummary,
  type OemOrderView,
  orderNotFound,
  orderSummary,
  orderView,
  policyOfOrder,
  type ReportRow,
  resolutionViews,
} from './oem-records.js';

type Db = OemDeps['db'];

/** Loads an order the actor may read, or answers 404 (another client's order does not exist). */
export async function readableOrder(db: Db, actor: Actor, orderId: string): Promise<LoadedOrder> {
  const loaded = await loadOrder(db, orderId);
  if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
  assertAllowed(actor, 'oemOrders.read', { oemClientId: loaded.order.clientId }, orderNotFound);
  return loaded;
}

export async function listOemOrders(
  deps: OemDeps,
  actor: Actor,
  query: { clientId?: string | undefined; limit: number; offset: number },
): Promise<OemOrderSummary[]> {
  const filter = listFilter(actor, 'oemOrders.read');
  if (filter.kind === 'none') throw forbidden();
  const own = filter.kind === 'scope' ? filter.owners.oemClientId : undefined;
  if (filter.kind === 'scope' && !own) return [];
  const rows = await deps.db
    .select({
      order: oemOrders,
      clientName: oemClients.name,
      clientEmail: oemClients.email,
      product: { id: products.id, sku: products.sku, nameEn: products.nameEn, nameZh: products.nameZh },
    })
    .from(oemOrders)
    .innerJoin(oemClients, eq(oemClients.id, oemOrders.clientId))
    .innerJoin(products, eq(products.id, oemOrders.productId))
    .where(
      and(
        own ? eq(oemOrders.clientId, own) : undefined,
        query.clientId ? eq(oemOrders.clientId, query.clientId) : undefined,
      ),
    )
    .orderBy(desc(oemOrders.createdAt), desc(oemOrders.id))
    .limit(query.limit)
    .offset(query.offset);
  return rows.map(orderSummary);
}

export async function getOemOrder(deps: OemDeps, actor: Actor, orderId: string): Promise<OemOrderView> {
  await readableOrder(deps.db, actor, orderId);
  return orderView(deps.db, await deps.policies.versions(), orderId);
}

export type DefectReportView = {
  id: string;
  order: { id: string; orderNumber: string };
  lot: string;
  units: number;
  serials: string[];
  failureMode: string;
  reportedOn: string;
  source: 'api' | 'csv';
  evidenceUploadIds: string[];
  remakeOrder: { id: string; remakeNumber: string } | null;
  /** QA's review: what it accepted and rejected (with the reason the client reads), the return number. */
  review: {
    acceptedUnits: number;
    rejectedUnits: number;
    undecidedUnits: number;
    rejectionReason: string | null;
    basis: 'evidence' | 'returned_units' | null;
    rmaNumber: string | null;
    reviewedAt: string | null;
  };
  createdAt: string;
};

export async function defectReportViews(
  db: Db,
  reports: readonly ReportRow[],
  orderNumber: (id: string) => string,
) {
  const ids = reports.map((r) => r.id);
  const evidence =
    ids.length === 0
      ? []
      : await db
          .select({ reportId: defectReportEvidence.reportId, uploadId: defectReportEvidence.uploadId })
          .from(defectReportEvidence)
          .where(inArray(defectReportEvidence.reportId, ids))
          .orderBy(asc(defectReportEvidence.createdAt), asc(defectReportEvidence.uploadId));
  const remakeIds = [...new Set(reports.flatMap((r) => (r.remakeOrderId ? [r.remakeOrderId] : [])))];
  const remakes =
    remakeIds.length === 0
      ? []
      : await db
          .select({ id: remakeOrders.id, remakeNumber: remakeOrders.remakeNumber })
          .from(remakeOrders)
          .where(inArray(remakeOrders.id, remakeIds));
  return reports.map((r): DefectReportView => ({
    id: r.id,
    order: { id: r.orderId, orderNumber: orderNumber(r.orderId) },
    lot: r.lot,
    units: r.units,
    serials: r.serials,
    failureMode: r.failureMode,
    reportedOn: r.reportedOn,
    source: r.source,
    evidenceUploadIds: evidence.filter((e) => e.reportId === r.id).map((e) => e.uploadId),
    remakeOrder: remakes.find((m) => m.id === r.remakeOrderId) ?? null,
    review: {
      acceptedUnits: r.acceptedUnits,
      rejectedUnits: r.rejectedUnits,
      undecidedUnits: r.units - r.acceptedUnits - r.rejectedUnits,
      rejectionReason: r.rejectionReason,
      basis: r.reviewBasis,
      rmaNumber: r.rmaNumber,
      reviewedAt: r.reviewedAt?.toISOString() ?? null,
    },
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listDefectReports(
  deps: OemDeps,
  actor: Actor,
  orderId: string,
): Promise<DefectReportView[]> {
  const loaded = await readableOrder(deps.db, actor, orderId);
  const rows = await deps.db
    .select()
    .from(oemDefectReports)
    .where(eq(oemDefectReports.orderId, orderId))
    .orderBy(asc(oemDefectReports.reportedOn), asc(oemDefectReports.id));
  return defectReportViews(deps.db, rows, () => loaded.order.orderNumber);
}

export type LedgerView = {
  orderId: string;
  orderNumber: string;
  /** The order's version: choosing a remedy sends it back, so a choice made on a stale ledger is refused. */
  version: number;
  deliveredOn: string;
  windowEndsOn: string;
  allowance: number;
  defectsReported: number;
  defectsInWindow: number;
  coveredBySpares: number;
  excess: number;
  awaitingQa: number;
  rejected: number;
  /** Units under a confirmed batch defect: the remake covers them, never the spares. */
  coveredByRemake: number;
  outOfWindow: number;
  sparesLeft: number;
  excessResolved: number;
  excessUnresolved: number;
  remediesOffered: { code: ExcessRemedyCode; name: { en: string; zh: string } }[];
  clauses: { excess: string; batchDefect: string };
  lines: (LedgerLine & {
    reportedOn: string;
    lot: string;
    failureMode: string;
    remakeOrderId: string | null;
    rejectionReason: string | null;
    rmaNumber: string | null;
  })[];
  resolutions: ExcessResolutionView[];
};

/** The order's ledger, computed from its reports: never stored, never edited. */
export async function getOrderLedger(
  deps: OemDeps,
  actor: Actor,
  orderId: string,
  lang: Language,
): Promise<LedgerView> {
  const loaded = await readableOrder(deps.db, actor, orderId);
  const policy = policyOfOrder(await deps.policies.versions(), loaded.order);
  const { ledger, reports, resolutions, resolvedUnits } = await ledgerOfOrder(
    deps.db,
    loaded.order,
    policy.oem,
  );
  const byId = new Map(reports.map((r) => [r.id, r]));
  return {
    orderId: loaded.order.id,
    orderNumber: loaded.order.orderNumber,
    version: loaded.order.version,
    deliveredOn: loaded.order.deliveryDate,
    windowEndsOn: ledger.windowEndsOn,
    allowance: ledger.allowance,
    defectsReported: reports.reduce((s, r) => s + r.units, 0),
    defectsInWindow: ledger.defectsInWindow,
    coveredBySpares: ledger.coveredBySpares,
    excess: ledger.excess,
    awaitingQa: ledger.awaitingQa,
    rejected: ledger.rejected,
    coveredByRemake: ledger.coveredByRemake,
    outOfWindow: ledger.outOfWindow,
    sparesLeft: ledger.sparesLeft,
    excessResolved: resolvedUnits,
    excessUnresolved: unresolvedExcess(ledger.excess, resolvedUnits),
    remediesOffered: policy.oem.excessRemedies.map((r) => ({ code: r.code, name: r.name })),
    clauses: {
      excess: quoteClause(policy.oem.excess, lang),
      batchDefect: quoteClause(policy.oem.batchDefect.clause, lang),
    },
    lines: ledger.lines.map((line) => {
      const r = byId.get(line.reportId);
      return {
        ...line,
        reportedOn: r?.reportedOn ?? '',
        lot: r?.lot ?? '',
        failureMode: r?.failureMode ?? '',
        remakeOrderId: r?.remakeOrderId ?? null,
        rejectionReason: r?.rejectionReason ?? null,
        rmaNumber: r?.rmaNumber ?? null,
      };
    }),
    resolutions: await resolutionViews(deps.db, resolutions),
  };
}
