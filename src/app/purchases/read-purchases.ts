import { and, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import { products, purchases } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { VerificationState } from '../../domain/purchases/verification.js';
import { forbidden } from '../access.js';
import { AppError } from '../errors.js';
import { type CsvColumn, csvExport, EXPORT_PAGE_SIZE } from '../lists/csv-export.js';
import type { CursorScope, SortOrder } from '../lists/cursor.js';
import { keysetQuery, type Page, pageOf, type SortKey } from '../lists/keyset.js';
import { purchaseSorts } from '../lists/sorts.js';
import { purchaseTextMatch } from '../search/predicates.js';
import {
  purchaseRows,
  type PurchasesDeps,
  purchaseScopeCondition,
  purchaseViewFor,
  type PurchaseView,
} from './purchase-view.js';

export type PurchaseSort = (typeof purchaseSorts)[number];

const sortKeys: Record<PurchaseSort, SortKey> = {
  purchaseDate: { expr: purchases.purchaseDate, type: 'date' },
  createdAt: { expr: purchases.createdAt, type: 'timestamptz' },
};

export type PurchaseFilters = {
  /** Where the sale stands: verified, a registration pending its check, or rejected. */
  verification?: VerificationState | undefined;
  productId?: string | undefined;
  /** The product by its SKU, as the catalogue names it. */
  sku?: string | undefined;
  dealerId?: string | undefined;
  /** Bought on or after / on or before, calendar days. */
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  sort: PurchaseSort;
  order: SortOrder;
};

export type PurchaseListQuery = PurchaseFilters & { limit: number; cursor?: string | undefined };

/** The id of the product with this SKU (none: matches nothing). */
export const productIdOfSku = (sku: string) =>
  sql`(select ${products.id} from ${products} where ${products.sku} = ${sku})`;

export const invalidDateRange = () =>
  new AppError('invalid', 'INVALID_DATE_RANGE', 'the first day comes after the last');

/**
 * The actor's scope and the filters as one WHERE condition: a dealer's own sales, a customer's own
 * purchases, or every one for support and admins; `false` when the actor's scope holds none. The scope
 * is a WHERE clause, never a filter after the fact.
 */
function purchasesWhere(actor: Actor, f: PurchaseFilters): SQL | undefined | false {
  const filter = listFilter(actor, 'purchases.read');
  if (filter.kind === 'none') throw forbidden();
  if (f.from && f.to && f.from > f.to) throw invalidDateRange();
  const scope = purchaseScopeCondition(filter);
  if (scope === false) return false;
  return and(
    scope,
    f.verification ? eq(purchases.verification, f.verification) : undefined,
    f.productId ? eq(purchases.productId, f.productId) : undefined,
    f.sku ? eq(purchases.productId, productIdOfSku(f.sku)) : undefined,
    f.dealerId ? eq(purchases.dealerId, f.dealerId) : undefined,
    f.from ? gte(purchases.purchaseDate, f.from) : undefined,
    f.to ? lte(purchases.purchaseDate, f.to) : undefined,
    f.q ? purchaseTextMatch(f.q) : undefined,
  );
}

/**
 * Purchases the actor may see, one keyset page at a time, with today's warranty status; newest
 * purchase first by default.
 */
export async function listPurchases(
  deps: PurchasesDeps,
  actor: Actor,
  query: PurchaseListQuery,
): Promise<Page<PurchaseView>> {
  const where = purchasesWhere(actor, query);
  if (where === false) return { items: [], nextCursor: null };
  const scope: CursorScope = { list: 'purchases', sort: query.sort, order: query.order };
  const k = keysetQuery({
    scope,
    key: sortKeys[query.sort],
    id: purchases.id,
    limit: query.limit,
    cursor: query.cursor,
  });
  const rows = await purchaseRows(deps, deps.db, and(where, k.after), {
    orderBy: k.orderBy,
    limit: query.limit + 1,
    keyText: k.keyText,
  });
  return pageOf(rows, query.limit, scope, (r) => r.view);
}

export async function getPurchase(
  deps: PurchasesDeps,
  actor: Actor,
  purchaseId: string,
): Promise<PurchaseView> {
  return purchaseViewFor(deps, deps.db, actor, purchaseId);
}

const purchaseColumns: CsvColumn<PurchaseView>[] = [
  { header: 'purchase_id', cell: (p) => p.id },
  { header: 'purchase_date', cell: (p) => p.purchaseDate },
  { header: 'verification', cell: (p) => p.verification.state },
  { header: 'sku', cell: (p) => p.product.sku, text: true },
  { header: 'product_en', cell: (p) => p.product.name.en, text: true },
  { header: 'product_zh', cell: (p) => p.product.name.zh, text: true },
  { header: 'serial', cell: (p) => p.serial, text: true },
  { header: 'dealer', cell: (p) => p.dealer?.name ?? null, text: true },
  { header: 'buyer', cell: (p) => p.buyer.name, text: true },
  { header: 'buyer_email', cell: (p) => p.buyer.email, text: true },
  { header: 'buyer_phone', cell: (p) => p.buyer.phone, text: true },
  { header: 'price_minor', cell: (p) => p.price?.amountMinor ?? null },
  { header: 'currency', cell: (p) => p.price?.currency ?? null },
  { header: 'warranty_window', cell: (p) => p.warranty?.window ?? null },
  { header: 'warranty_ends_on', cell: (p) => p.warranty?.warrantyEndsOn ?? null },
  { header: 'refunded_on', cell: (p) => p.refundedOn },
  { header: 'created_at', cell: (p) => p.createdAt },
];

/** What the filter selects as CSV, in the list's sort, read page by page. */
export async function exportPurchases(deps: PurchasesDeps, actor: Actor, filters: PurchaseFilters) {
  const where = purchasesWhere(actor, filters);
  return csvExport(
    async (upTo) => {
      if (where === false) return 0;
      const ids = await deps.db.select({ id: purchases.id }).from(purchases).where(where).limit(upTo);
      return ids.length;
    },
    purchaseColumns,
    (cursor) => listPurchases(deps, actor, { ...filters, limit: EXPORT_PAGE_SIZE, cursor }),
  );
}
