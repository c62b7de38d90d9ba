import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { claims, endUsers, maintenanceOrders, quotes } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { QuoteState } from '../../domain/paid-service/quote.js';
import { assertAllowed, forbidden } from '../access.js';
import { type CsvColumn, csvExport, EXPORT_PAGE_SIZE } from '../lists/csv-export.js';
import type { CursorScope, SortOrder } from '../lists/cursor.js';
import { dayRangeCondition } from '../lists/day-range.js';
import { keysetQuery, type Page, pageOf, type SortKey } from '../lists/keyset.js';
import { quoteSorts } from '../lists/sorts.js';
import { quoteTextMatch } from '../search/predicates.js';
import { loadQuote, quoteNotFound, quoteView, type QuoteView } from './quotes.js';

export type QuotesDeps = { db: Database };
export type QuoteListDeps = QuotesDeps & { storeTimeZone: string };

export type QuoteSort = (typeof quoteSorts)[number];

/** Written out as in the index `quotes_sent_key_idx`: never-sent quotes after every sent one. */
const sentKey = sql`coalesce(${quotes.sentAt}, 'infinity'::timestamptz)`;

const sortKeys: Record<QuoteSort, SortKey> = {
  createdAt: { expr: quotes.createdAt, type: 'timestamptz' },
  sentAt: { expr: sentKey, type: 'timestamptz' },
  total: { expr: quotes.totalMinor, type: 'bigint' },
  state: { expr: quotes.state, type: 'text' },
};

export type QuoteFilters = {
  state?: QuoteState | undefined;
  /** Sent and not answered yet: the customers sales call. */
  toCall?: boolean | undefined;
  claimId?: string | undefined;
  /** The center of the maintenance order the quote prices (quotes of no order have none). */
  serviceCenterId?: string | undefined;
  /** Created on or after / on or before, the store's calendar days. */
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  sort: QuoteSort;
  order: SortOrder;
};

export type QuoteListQuery = QuoteFilters & { limit: number; cursor?: string | undefined };

/**
 * The actor's scope and the filters as one condition: every quote for staff, a customer's own, or those
 * a center's engineers priced for its maintenance orders; `false` when the scope holds none. The scope
 * is a condition of the query, never a filter after it.
 */
function quotesWhere(deps: QuoteListDeps, actor: Actor, f: QuoteFilters): SQL | undefined | false {
  const filter = listFilter(actor, 'quotes.read');
  if (filter.kind === 'none') throw forbidden();
  let scope: SQL | undefined;
  if (filter.kind === 'scope') {
    const { endUserId, serviceCenterId } = filter.owners;
    if (endUserId) scope = eq(claims.endUserId, endUserId);
    else if (serviceCenterId) scope = eq(maintenanceOrders.serviceCenterId, serviceCenterId);
    else return false;
  }
  return and(
    scope,
    f.state ? eq(quotes.state, f.state) : undefined,
    f.toCall ? eq(quotes.state, 'sent') : undefined,
    f.claimId ? eq(quotes.claimId, f.claimId) : undefined,
    f.serviceCenterId ? eq(maintenanceOrders.serviceCenterId, f.serviceCenterId) : undefined,
    dayRangeCondition(quotes.createdAt, f, deps.storeTimeZone),
    f.q ? quoteTextMatch(f.q) : undefined,
  );
}

/** Quotes the actor may see, one keyset page at a time, sorted as asked (newest first by default). */
export async function listQuotes(
  deps: QuoteListDeps,
  actor: Actor,
  query: QuoteListQuery,
): Promise<Page<QuoteView>> {
  const where = quotesWhere(deps, actor, query);
  if (where === false) return { items: [], nextCursor: null };
  const scope: CursorScope = { list: 'quotes', sort: query.sort, order: query.order };
  const k = keysetQuery({
    scope,
    key: sortKeys[query.sort],
    id: quotes.id,
    limit: query.limit,
    cursor: query.cursor,
  });
  const rows = await deps.db
    .select({
      quote: quotes,
      maintenanceNumber: maintenanceOrders.maintenanceNumber,
      customer: { name: endUsers.name, email: endUsers.email, phone: endUsers.phone },
      keyText: k.keyText,
    })
    .from(quotes)
    .innerJoin(claims, eq(claims.id, quotes.claimId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .leftJoin(maintenanceOrders, eq(maintenanceOrders.id, quotes.maintenanceOrderId))
    .where(and(where, k.after))
    .orderBy(...k.orderBy)
    .limit(query.limit + 1);
  return pageOf(
    rows.map((r) => ({ ...r, id: r.quote.id })),
    query.limit,
    scope,
    (r) => quoteView(r.quote, r.maintenanceNumber, r.customer),
  );
}

const quoteColumns: CsvColumn<QuoteView>[] = [
  { header: 'quote_id', cell: (q) => q.id },
  { header: 'claim_id', cell: (q) => q.claimId },
  { header: 'maintenance_number', cell: (q) => q.maintenanceNumber, text: true },
  { header: 'state', cell: (q) => q.state },
  { header: 'total_minor', cell: (q) => q.total.amountMinor },
  { header: 'currency', cell: (q) => q.total.currency },
  { header: 'customer', cell: (q) => q.customer.name, text: true },
  { header: 'customer_phone', cell: (q) => q.customer.phone, text: true },
  { header: 'customer_email', cell: (q) => q.customer.email, text: true },
  { header: 'quoted_by', cell: (q) => q.quotedBy, text: true },
  { header: 'sent_at', cell: (q) => q.sentAt },
  { header: 'answered_by', cell: (q) => q.response?.channel ?? null },
  { header: 'answer_note', cell: (q) => q.response?.note ?? null, text: true },
  { header: 'invoice_number', cell: (q) => q.invoiceNumber, text: true },
  { header: 'invoiced_at', cell: (q) => q.invoicedAt },
  { header: 'created_at', cell: (q) => q.createdAt },
];

/** What the filter selects as CSV, in the list's sort, read page by page. */
export async function exportQuotes(deps: QuoteListDeps, actor: Actor, filters: QuoteFilters) {
  const where = quotesWhere(deps, actor, filters);
  return csvExport(
    async (upTo) => {
      if (where === false) return 0;
      const ids = await deps.db
        .select({ id: quotes.id })
        .from(quotes)
        .innerJoin(claims, eq(claims.id, quotes.claimId))
        .leftJoin(maintenanceOrders, eq(maintenanceOrders.id, quotes.maintenanceOrderId))
        .where(where)
        .limit(upTo);
      return ids.length;
    },
    quoteColumns,
    (cursor) => listQuotes(deps, actor, { ...filters, limit: EXPORT_PAGE_SIZE, cursor }),
  );
}

export async function getQuote(deps: QuotesDeps, actor: Actor, quoteId: string): Promise<QuoteView> {
  const loaded = await loadQuote(deps.db, quoteId);
  assertAllowed(actor, 'quotes.read', loaded.owners, quoteNotFound);
  return quoteView(loaded.quote, loaded.maintenanceNumber, loaded.customer);
}
