import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import type { Transaction } from '../../db/client.js';
import { approvals, users } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import { type ApprovalKind, type ApprovalState, approverRoles } from '../../domain/approvals/four-eyes.js';
import type { Money } from '../../domain/money.js';
import { assertAllowed, forbidden } from '../access.js';
import { AppError } from '../errors.js';
import type { Approval, ApprovalReason } from './request-approval.js';

export type ApprovalView = {
  id: string;
  kind: ApprovalKind;
  subjectType: string;
  subjectId: string;
  amount: Money | null;
  reasons: ApprovalReason[];
  summary: string;
  dealerId: string | null;
  oemClientId: string | null;
  state: ApprovalState;
  requestedBy: string;
  /** The requester's name, for the approver to see who asked. */
  requestedByName: string | null;
  requestedByUserId: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  /** Roles that may decide it (never the requester). */
  approverRoles: string[];
  version: number;
  createdAt: string;
};

export const approvalNotFound = { code: 'APPROVAL_NOT_FOUND', message: 'no such approval request' };

export function approvalView(a: Approval, requestedByName: string | null = null): ApprovalView {
  return {
    id: a.id,
    kind: a.kind,
    subjectType: a.subjectType,
    subjectId: a.subjectId,
    amount:
      a.amountMinor === null || a.currency === null
        ? null
        : { amountMinor: a.amountMinor, currency: a.currency },
    reasons: a.reasons as ApprovalReason[],
    summary: a.summary,
    dealerId: a.dealerId,
    oemClientId: a.oemClientId,
    state: a.state,
    requestedBy: a.requestedBy,
    requestedByName,
    requestedByUserId: a.requestedByUserId,
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt?.toISOString() ?? null,
    reason: a.reason,
    approverRoles: [...approverRoles[a.kind]],
    version: a.version,
    createdAt: a.createdAt.toISOString(),
  };
}

/** What waits (or was decided), newest first; a dealer sees its own requests only. */
export async function listApprovals(
  db: Database,
  actor: Actor,
  query: { state?: ApprovalState | undefined; kind?: ApprovalKind | undefined },
): Promise<ApprovalView[]> {
  const filter = listFilter(actor, 'approvals.read');
  if (filter.kind === 'none') throw forbidden();
  const where: SQL[] = [];
  if (filter.kind === 'scope') {
    if (filter.owners.dealerId) where.push(eq(approvals.dealerId, filter.owners.dealerId));
    else if (filter.owners.oemClientId) where.push(eq(approvals.oemClientId, filter.owners.oemClientId));
    else return [];
  }
  if (query.state) where.push(eq(approvals.state, query.state));
  if (query.kind) where.push(eq(approvals.kind, query.kind));
  return approvalViewsWhere(db, and(...where));
}

/** Approvals with their requester's name, newest first. */
export async function approvalViewsWhere(
  db: Database | Transaction,
  where: SQL | undefined,
): Promise<ApprovalView[]> {
  const rows = await db
    .select({ approval: approvals, name: users.name })
    .from(approvals)
    .leftJoin(users, eq(users.id, approvals.requestedByUserId))
    .where(where)
    .orderBy(desc(approvals.createdAt), desc(approvals.id))
    .limit(500);
  return rows.map((r) => approvalView(r.approval, r.name));
}

export async function getApproval(db: Database, actor: Actor, id: string): Promise<ApprovalView> {
  const [row] = await approvalViewsWhere(db, eq(approvals.id, id));
  if (!row) throw new AppError('not_found', approvalNotFound.code, approvalNotFound.message);
  assertAllowed(
    actor,
    'approvals.read',
    { dealerId: row.dealerId, oemClientId: row.oemClientId },
    approvalNotFound,
  );
  return row;
}
