import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import {
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

/** Support's queue (every dealer's), or a dealer's own requests; the scope is in the query. */
export async function listReimbursements(
  deps: ReimbursementsDeps,
  actor: Actor,
  query: { status?: ReimbursementStatus | undefined },
): Promise<ReimbursementView[]> {
  const filter = listFilter(actor, 'reimbursements.read');
  if (filter.kind === 'none') throw forbidden();
  const conditions: SQL[] = [];
  if (filter.kind === 'scope') {
    if (!filter.owners.dealerId) return [];
    conditions.push(eq(reimbursementClaims.dealerId, filter.owners.dealerId));
  }
  if (query.status) conditions.push(eq(reimbursementClaims.status, query.status));
  const rows = await deps.db
    .select(selection)
    .from(reimbursementClaims)
    .innerJoin(dealerRemedies, eq(dealerRemedies.id, reimbursementClaims.dealerRemedyId))
    .innerJoin(dealers, eq(dealers.id, reimbursementClaims.dealerId))
    .where(and(...conditions))
    .orderBy(desc(reimbursementClaims.createdAt), desc(reimbursementClaims.id))
    .limit(500);
  return rows.map(reimbursementView);
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
