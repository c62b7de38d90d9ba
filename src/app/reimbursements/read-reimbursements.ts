import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import {
  claims,
  type DealerRemedy,
  dealerRemedies,
  dealers,
  type ReimbursementClaim,
  type ReimbursementStatus,
  reimbursementClaims,
} from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { Money } from '../../domain/money.js';
import { assertAllowed, forbidden } from '../access.js';
import { AppError } from '../errors.js';
import { type CsvColumn, csvExport, EXPORT_PAGE_SIZE } from '../lists/csv-export.js';
import type { CursorScope, SortOrder } from '../lists/cursor.js';
import { dayRangeCondition } from '../lists/day-range.js';
import { keysetQuery, type Page, pageOf, type SortKey } from '../lists/keyset.js';
import { reimbursementSorts } from '../lists/sorts.js';
import { claimTextMatch, containsPattern } from '../search/predicates.js';

export type ReimbursementView = {
  id: string;
  status: ReimbursementStatus;
  /** What the dealer asks back; none for a replacement the dealer asks nothing for. */
  amount: Money | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** `nameZh`: the dealer's name in Chinese, where the maker gave one. */
  dealer: { id: string; name: string; nameZh: string | null };
  remedy: {
    id: string;
    claimId: string;
    kind: 'refund' | 'replacement';
    returnedSerial: string | null;
    replacementSerial: string | null;
    refund: Money | null;
    approval: DealerRemedy['approval'];
    performedOn: string;
  };
};

export type ReimbursementsDeps = { db: Database };
export type ReimbursementListDeps = ReimbursementsDeps & { storeTimeZone: string };

export const reimbursementNotFound = {
  code: 'REIMBURSEMENT_NOT_FOUND',
  message: 'no such reimbursement claim',
};

const moneyOf = (amountMinor: number | null, currency: string | null): Money | null =>
  amountMinor === null || currency === null ? null : { amountMinor, currency };

export function reimbursementView(row: {
  reimbursement: ReimbursementClaim;
  remedy: DealerRemedy;
  dealerName: string;
  dealerNameZh: string | null;
}): ReimbursementView {
  const { reimbursement: r, remedy } = row;
  return {
    id: r.id,
    status: r.status,
    amount: moneyOf(r.amountMinor, r.currency),
    reason: r.reason,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    dealer: { id: r.dealerId, name: row.dealerName, nameZh: row.dealerNameZh },
    remedy: {
      id: remedy.id,
      claimId: remedy.claimId,
      kind: remedy.kind,
      returnedSerial: remedy.returnedSerial,
      replacementSerial: remedy.replacementSerial,
      refund: moneyOf(remedy.refundMinor, remedy.currency),
      approval: remedy.approval,
      performedOn: remedy.performedOn,
    },
  };
}

const selection = {
  reimbursement: reimbursementClaims,
  remedy: dealerRemedies,
  dealerName: dealers.name,
  dealerNameZh: dealers.nameZh,
};

export type ReimbursementSort = (typeof reimbursementSorts)[number];

const sortKeys: Record<ReimbursementSort, SortKey> = {
  createdAt: { expr: reimbursementClaims.createdAt, type: 'timestamptz' },
  // A request for nothing (a replacement the dealer asks nothing for) sorts as 0.
  amount: { expr: sql`coalesce(${reimbursementClaims.amountMinor}, 0)`, type: 'bigint' },
  status: { expr: reimbursementClaims.status, type: 'text' },
};

export type ReimbursementFilters = {
  status?: ReimbursementStatus | undefined;
  dealerId?: string | undefined;
  /** ISO 4217: what the dealer asks back is in it. */
  currency?: string | undefined;
  /** Asked on or after / on or before, the store's calendar days. */
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  sort: ReimbursementSort;
  order: SortOrder;
};

export type ReimbursementListQuery = ReimbursementFilters & { limit: number; cursor?: string | undefined };

/**
 * Free text: the dealer's name, a serial handed back or over, or what the remedy's claim matches
 * (maintenance number, serial, the customer's name, phone or e-mail).
 */
function reimbursementTextMatch(q: string): SQL {
  const pattern = containsPattern(q);
  return sql`(${dealers.name} ilike ${pattern}
    or ${dealerRemedies.returnedSerial} ilike ${pattern}
    or ${dealerRemedies.replacementSerial} ilike ${pattern}
    or ${dealerRemedies.claimId} = any(array(select ${claims.id} from ${claims} where ${claimTextMatch(q)})))`;
}

/** The actor's scope and the filters as one condition; `false` when the actor's scope holds none. */
function reimbursementsWhere(
  deps: ReimbursementListDeps,
  actor: Actor,
  f: ReimbursementFilters,
): SQL | undefined | false {
  const filter = listFilter(actor, 'reimbursements.read');
  if (filter.kind === 'none') throw forbidden();
  let scope: SQL | undefined;
  if (filter.kind === 'scope') {
    if (!filter.owners.dealerId) return false;
    scope = eq(reimbursementClaims.dealerId, filter.owners.dealerId);
  }
  return and(
    scope,
    f.status ? eq(reimbursementClaims.status, f.status) : undefined,
    f.dealerId ? eq(reimbursementClaims.dealerId, f.dealerId) : undefined,
    f.currency ? eq(reimbursementClaims.currency, f.currency) : undefined,
    dayRangeCondition(reimbursementClaims.createdAt, f, deps.storeTimeZone),
    f.q ? reimbursementTextMatch(f.q) : undefined,
  );
}

/** Support's queue (every dealer's), or a dealer's own requests, one keyset page at a time. */
export async function listReimbursements(
  deps: ReimbursementListDeps,
  actor: Actor,
  query: ReimbursementListQuery,
): Promise<Page<ReimbursementView>> {
  const where = reimbursementsWhere(deps, actor, query);
  if (where === false) return { items: [], nextCursor: null };
  const scope: CursorScope = { list: 'reimbursements', sort: query.sort, order: query.order };
  const k = keysetQuery({
    scope,
    key: sortKeys[query.sort],
    id: reimbursementClaims.id,
    limit: query.limit,
    cursor: query.cursor,
  });
  const rows = await deps.db
    .select({ ...selection, keyText: k.keyText })
    .from(reimbursementClaims)
    .innerJoin(dealerRemedies, eq(dealerRemedies.id, reimbursementClaims.dealerRemedyId))
    .innerJoin(dealers, eq(dealers.id, reimbursementClaims.dealerId))
    .where(and(where, k.after))
    .orderBy(...k.orderBy)
    .limit(query.limit + 1);
  return pageOf(
    rows.map((r) => ({ ...r, id: r.reimbursement.id })),
    query.limit,
    scope,
    reimbursementView,
  );
}

const reimbursementColumns: CsvColumn<ReimbursementView>[] = [
  { header: 'reimbursement_id', cell: (r) => r.id },
  { header: 'status', cell: (r) => r.status },
  { header: 'dealer', cell: (r) => r.dealer.name, text: true },
  { header: 'amount_minor', cell: (r) => r.amount?.amountMinor ?? null },
  { header: 'currency', cell: (r) => r.amount?.currency ?? null },
  { header: 'remedy', cell: (r) => r.remedy.kind },
  { header: 'claim_id', cell: (r) => r.remedy.claimId },
  { header: 'performed_on', cell: (r) => r.remedy.performedOn },
  { header: 'returned_serial', cell: (r) => r.remedy.returnedSerial, text: true },
  { header: 'replacement_serial', cell: (r) => r.remedy.replacementSerial, text: true },
  { header: 'decided_by', cell: (r) => r.decidedBy, text: true },
  { header: 'decided_at', cell: (r) => r.decidedAt },
  { header: 'reason', cell: (r) => r.reason, text: true },
  { header: 'created_at', cell: (r) => r.createdAt },
];

/** What the filter selects as CSV, in the list's sort, read page by page. */
export async function exportReimbursements(
  deps: ReimbursementListDeps,
  actor: Actor,
  filters: ReimbursementFilters,
) {
  const where = reimbursementsWhere(deps, actor, filters);
  return csvExport(
    async (upTo) => {
      if (where === false) return 0;
      const ids = await deps.db
        .select({ id: reimbursementClaims.id })
        .from(reimbursementClaims)
        .innerJoin(dealerRemedies, eq(dealerRemedies.id, reimbursementClaims.dealerRemedyId))
        .innerJoin(dealers, eq(dealers.id, reimbursementClaims.dealerId))
        .where(where)
        .limit(upTo);
      return ids.length;
    },
    reimbursementColumns,
    (cursor) => listReimbursements(deps, actor, { ...filters, limit: EXPORT_PAGE_SIZE, cursor }),
  );
}

export async function getReimbursement(
  deps: ReimbursementsDeps,
  actor: Actor,
  id: string,
): Promise<ReimbursementView> {
  const [row] = await deps.db
    .select(selection)
    .from(reimbursementClaims)
    .innerJoin(dealerRemedies, eq(dealerRemedies.id, reimbursementClaims.dealerRemedyId))
    .innerJoin(dealers, eq(dealers.id, reimbursementClaims.dealerId))
    .where(eq(reimbursementClaims.id, id));
  if (!row) throw new AppError('not_found', reimbursementNotFound.code, reimbursementNotFound.message);
  assertAllowed(
    actor,
    'reimbursements.read',
    { dealerId: row.reimbursement.dealerId },
    reimbursementNotFound,
  );
  return reimbursementView(row);
}
