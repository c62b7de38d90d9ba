import { and, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type ClaimStatus, claims, purchases } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { DecisionWindow } from '../../domain/policy/evaluate.js';
import type { RemedyCode } from '../../domain/policy/schema.js';
import { forbidden } from '../access.js';
import { type CsvColumn, csvExport, EXPORT_PAGE_SIZE } from '../lists/csv-export.js';
import { type CursorScope, type SortOrder } from '../lists/cursor.js';
import { keysetQuery, type Page, pageOf, type SortKey } from '../lists/keyset.js';
import { claimSorts } from '../lists/sorts.js';
import { ownerCondition } from '../ownership/owner-filter.js';
import { claimTextMatch } from '../search/predicates.js';
import {
  claimPageRows,
  claimScopeCondition,
  type ClaimView,
  claimViewFor,
  countClaims,
} from './claim-view.js';

export type ClaimSort = (typeof claimSorts)[number];

const sortKeys: Record<ClaimSort, SortKey> = {
  createdAt: { expr: claims.createdAt, type: 'timestamptz' },
  reportedOn: { expr: claims.reportedOn, type: 'date' },
  status: { expr: claims.status, type: 'text' },
};

export type ClaimFilters = {
  status?: ClaimStatus | undefined;
  /** The warranty window the claim was decided in (or `expired`). */
  window?: DecisionWindow | undefined;
  /** The remedy the customer chose. */
  remedy?: RemedyCode | undefined;
  productId?: string | undefined;
  dealerId?: string | undefined;
  /** Reported on or after / on or before, calendar days. */
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  /** me, none, or a user's id (app/ownership/owner-filter.ts). */
  owner?: string | undefined;
  sort: ClaimSort;
  order: SortOrder;
};

export type ClaimListQuery = ClaimFilters & { limit: number; cursor?: string | undefined };

/**
 * The actor's scope and the filters as one WHERE condition: a customer's own claims, those on a
 * dealer's sales, or every one for staff; `false` when the actor's scope holds none.
 */
function claimsWhere(actor: Actor, f: ClaimFilters): SQL | undefined | false {
  const filter = listFilter(actor, 'claims.read');
  if (filter.kind === 'none') throw forbidden();
  const scope = claimScopeCondition(filter);
  if (scope === false) return false;
  return and(
    scope,
    f.status ? eq(claims.status, f.status) : undefined,
    f.window ? sql`${claims.decision}->>'window' = ${f.window}` : undefined,
    f.remedy ? eq(claims.chosenRemedy, f.remedy) : undefined,
    f.productId ? eq(purchases.productId, f.productId) : undefined,
    f.dealerId ? eq(purchases.dealerId, f.dealerId) : undefined,
    f.from ? gte(claims.reportedOn, f.from) : undefined,
    f.to ? lte(claims.reportedOn, f.to) : undefined,
    f.q ? claimTextMatch(f.q) : undefined,
    ownerCondition(actor, f.owner, claims.ownerId),
  );
}

/** Claims the actor may see, one keyset page at a time, sorted as asked (newest first by default). */
export async function listClaims(
  deps: { db: Database },
  actor: Actor,
  query: ClaimListQuery,
): Promise<Page<ClaimView>> {
  const where = claimsWhere(actor, query);
  if (where === false) return { items: [], nextCursor: null };
  const scope: CursorScope = { list: 'claims', sort: query.sort, order: query.order };
  const k = keysetQuery({
    scope,
    key: sortKeys[query.sort],
    id: claims.id,
    limit: query.limit,
    cursor: query.cursor,
  });
  const rows = await claimPageRows(deps.db, and(where, k.after), { ...k, limit: query.limit });
  return pageOf(rows, query.limit, scope, (r) => r.view);
}

export async function getClaim(deps: { db: Database }, actor: Actor, claimId: string): Promise<ClaimView> {
  return claimViewFor(deps.db, actor, 'claims.read', claimId);
}

const claimColumns: CsvColumn<ClaimView>[] = [
  { header: 'claim_id', cell: (c) => c.id },
  { header: 'reported_on', cell: (c) => c.reportedOn },
  { header: 'status', cell: (c) => c.status },
  { header: 'window', cell: (c) => c.decision.window },
  { header: 'chosen_remedy', cell: (c) => c.chosenRemedy },
  { header: 'cause', cell: (c) => c.cause },
  { header: 'sku', cell: (c) => c.product.sku, text: true },
  { header: 'product_en', cell: (c) => c.product.name.en, text: true },
  { header: 'product_zh', cell: (c) => c.product.name.zh, text: true },
  { header: 'serial', cell: (c) => c.serial, text: true },
  { header: 'dealer', cell: (c) => c.dealer?.name ?? null, text: true },
  { header: 'description', cell: (c) => c.description, text: true },
  { header: 'created_at', cell: (c) => c.createdAt },
];

/** What the filter selects as CSV, in the list's sort, read page by page. */
export async function exportClaims(deps: { db: Database }, actor: Actor, filters: ClaimFilters) {
  const where = claimsWhere(actor, filters);
  return csvExport(
    async (upTo) => (where === false ? 0 : countClaims(deps.db, where, upTo)),
    claimColumns,
    (cursor) => listClaims(deps, actor, { ...filters, limit: EXPORT_PAGE_SIZE, cursor }),
  );
}
