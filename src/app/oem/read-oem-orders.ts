import { and, asc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
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
import type { OemOrderState } from '../../domain/oem/order-state.js';
import { assertAllowed, forbidden } from '../access.js';
import { type CsvColumn, csvExport, EXPORT_PAGE_SIZE } from '../lists/csv-export.js';
import type { CursorScope, SortOrder } from '../lists/cursor.js';
import { keysetQuery, likeContains, type Page, pageOf, type SortKey } from '../lists/keyset.js';
import { oemOrderSorts } from '../lists/sorts.js';
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

export type OemOrderSort = (typeof oemOrderSorts)[number];

const orderSortKeys: Record<OemOrderSort, SortKey> = {
  createdAt: { expr: oemOrders.createdAt, type: 'timestamptz' },
  orderedOn: { expr: oemOrders.orderedOn, type: 'date' },
  deliveryDate: { expr: oemOrders.deliveryDate, type: 'date' },
  orderNumber: { expr: oemOrders.orderNumber, type: 'text' },
};

export type OemOrderFilters = {
  state?: OemOrderState | undefined;
  clientId?: string | undefined;
  productId?: string | undefined;
  sku?: string | undefined;
  /** Ordered on or after / on or before (the order's day), calendar days. */
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  sort: OemOrderSort;
  order: SortOrder;
};

export type OemOrderListQuery = OemOrderFilters & { limit: number; cursor?: string | undefined };

/** The actor's scope and the filters as one condition: an OEM client's own orders, or every client's. */
function oemOrdersWhere(actor: Actor, f: OemOrderFilters): SQL | undefined | false {
  const filter = listFilter(actor, 'oemOrders.read');
  if (filter.kind === 'none') throw forbidden();
  if (f.from && f.to && f.from > f.to) {
    throw new AppError('invalid', 'INVALID_DATE_RANGE', 'the first day comes after the last');
  }
  const own = filter.kind === 'scope' ? filter.owners.oemClientId : undefined;
  if (filter.kind === 'scope' && !own) return false;
  const pattern = f.q ? likeContains(f.q) : undefined;
  return and(
    own ? eq(oemOrders.clientId, own) : undefined,
    f.clientId ? eq(oemOrders.clientId, f.clientId) : undefined,
    f.state ? eq(oemOrders.state, f.state) : undefined,
    f.productId ? eq(oemOrders.productId, f.productId) : undefined,
    f.sku ? eq(products.sku, f.sku) : undefined,
    f.from ? gte(oemOrders.orderedOn, f.from) : undefined,
    f.to ? lte(oemOrders.orderedOn, f.to) : undefined,
    pattern
      ? sql`(${oemOrders.orderNumber} ilike ${pattern} or ${oemClients.name} ilike ${pattern} or ${products.sku} ilike ${pattern} or exists (select 1 from unnest(${oemOrders.lots}) as lot where lot ilike ${pattern}))`
      : undefined,
  );
}

/** OEM orders the actor may see, one keyset page at a time; newest first by default. */
export async function listOemOrders(
  deps: OemDeps,
  actor: Actor,
  query: OemOrderListQuery,
): Promise<Page<OemOrderSummary>> {
  const where = oemOrdersWhere(actor, query);
  if (where === false) return { items: [], nextCursor: null };
  const scope: CursorScope = { list: 'oem-orders', sort: query.sort, order: query.order };
  const k = keysetQuery({
    scope,
    key: orderSortKeys[query.sort],
    id: oemOrders.id,
    limit: query.limit,
    cursor: query.cursor,
  });
  const rows = await deps.db
    .select({
      order: oemOrders,
      clientName: oemClients.name,
      clientEmail: oemClients.email,
      product: { id: products.id, sku: products.sku, nameEn: products.nameEn, nameZh: products.nameZh },
      keyText: k.keyText,
    })
    .from(oemOrders)
    .innerJoin(oemClients, eq(oemClients.id, oemOrders.clientId))
    .innerJoin(products, eq(products.id, oemOrders.productId))
    .where(and(where, k.after))
    .orderBy(...k.orderBy)
    .limit(query.limit + 1);
  return pageOf(
    rows.map(({ keyText, ...row }) => ({ keyText, id: row.order.id, row })),
    query.limit,
    scope,
    (r) => orderSummary(r.row),
  );
}

const oemOrderColumns: CsvColumn<OemOrderSummary>[] = [
  { header: 'order_id', cell: (o) => o.id },
  { header: 'order_number', cell: (o) => o.orderNumber, text: true },
  { header: 'state', cell: (o) => o.state },
  { header: 'ordered_on', cell: (o) => o.orderedOn },
  { header: 'client', cell: (o) => o.client.name, text: true },
  { header: 'sku', cell: (o) => o.product.sku, text: true },
  { header: 'product_en', cell: (o) => o.product.name.en, text: true },
  { header: 'product_zh', cell: (o) => o.product.name.zh, text: true },
  { header: 'quantity', cell: (o) => o.quantity },
  { header: 'spare_rate_bps', cell: (o) => o.spareRateBps },
  { header: 'spare_units', cell: (o) => o.spareUnits },
  { header: 'delivery_date', cell: (o) => o.deliveryDate },
  { header: 'lots', cell: (o) => o.lots.map((l) => l.lot).join(' '), text: true },
  { header: 'unit_price_minor', cell: (o) => o.unitPrice?.amountMinor ?? null },
  { header: 'currency', cell: (o) => o.unitPrice?.currency ?? null },
  { header: 'decline_reason', cell: (o) => o.declineReason, text: true },
  { header: 'created_at', cell: (o) => o.createdAt },
];

/** What the filter selects as CSV, in the list's sort, read page by page. */
export async function exportOemOrders(deps: OemDeps, actor: Actor, filters: OemOrderFilters) {
  const where = oemOrdersWhere(actor, filters);
  return csvExport(
    async (upTo) => {
      if (where === false) return 0;
      const ids = await deps.db
        .select({ id: oemOrders.id })
        .from(oemOrders)
        .innerJoin(oemClients, eq(oemClients.id, oemOrders.clientId))
        .innerJoin(products, eq(products.id, oemOrders.productId))
        .where(where)
        .limit(upTo);
      return ids.length;
    },
    oemOrderColumns,
    (cursor) => listOemOrders(deps, actor, { ...filters, limit: EXPORT_PAGE_SIZE, cursor }),
  );
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
