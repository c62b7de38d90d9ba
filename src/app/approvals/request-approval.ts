import { and, eq } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import { approvals, outbox } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { type ApprovalKind, needsSecondApproval } from '../../domain/approvals/four-eyes.js';
import type { Money } from '../../domain/money.js';
import { auditActor, recordAudit } from '../audit.js';
import { secondApprovalText } from '../messages/index.js';
import { formatMoney, roleRecipient } from '../service-messages.js';
import { fourEyesThresholds } from './four-eyes-settings.js';

export type Approval = typeof approvals.$inferSelect;

/** Why a request waits for a second person; the approvals page shows each in the reader's language. */
export type ApprovalReason = 'above_threshold' | 'no_sale_price' | 'no_catalogue_price';

export type ApprovalRequest = {
  kind: ApprovalKind;
  /** What waits: `dealer_remedy`, `reimbursement_claim`, `excess_resolution`, … and its id. */
  subjectType: string;
  subjectId: string;
  amount: Money | null;
  /** What is asked, for the approver: the English line, a line break, the Chinese line. */
  summary: string;
  dealerId?: string | null | undefined;
  oemClientId?: string | null | undefined;
  /** Reasons found by the caller besides the threshold (e.g. no price to bound the amount). */
  reasons?: readonly ApprovalReason[] | undefined;
};

const notifiedRole = { dealer_refund: 'support', reimbursement: 'support', oem_credit: 'sales' } as const;

/**
 * Whether `request` must wait for a second person: above the instance's four-eyes threshold for its
 * currency, or with a reason the caller found (an amount nothing bounds). Read inside the caller's
 * transaction so the answer and the write that follows agree.
 */
export async function approvalReasons(
  tx: Transaction,
  amount: Money | null,
  found: readonly ApprovalReason[] = [],
): Promise<ApprovalReason[]> {
  const thresholds = await fourEyesThresholds(tx);
  const reasons: ApprovalReason[] = [...found];
  if (needsSecondApproval(amount, thresholds)) reasons.push('above_threshold');
  return [...new Set(reasons)];
}

/**
 * Puts a request in the approvals room, in the caller's transaction, with its audit event and a notice
 * to the role that approves it. The requester (`actor`) is the first pair of eyes and can never decide
 * it. One pending request per subject: a second one for the same subject is the unique index's 409.
 *
 * For OEM credits (the integrator wires it): in the transaction that grants a money credit above the
 * threshold, call `approvalReasons(tx, credit)`; when it is not empty, keep the credit pending and call
 * `requestApproval(tx, actor, { kind: 'oem_credit', subjectType: 'excess_resolution', subjectId,
 * amount: credit, summary, oemClientId, reasons })`, then register an `oem_credit` handler in
 * approvals/handlers.ts that releases (approved) or cancels (rejected) the credit.
 */
export async function requestApproval(
  tx: Transaction,
  actor: Actor,
  request: ApprovalRequest,
): Promise<Approval> {
  const reasons = request.reasons ? [...request.reasons] : await approvalReasons(tx, request.amount);
  const [row] = await tx
    .insert(approvals)
    .values({
      kind: request.kind,
      subjectType: request.subjectType,
      subjectId: request.subjectId,
      amountMinor: request.amount?.amountMinor ?? null,
      currency: request.amount?.currency ?? null,
      reasons,
      dealerId: request.dealerId ?? null,
      oemClientId: request.oemClientId ?? null,
      summary: request.summary,
      requestedByUserId: actor.userId,
      requestedBy: auditActor(actor),
    })
    .returning();
  if (!row) throw new Error('insert returned no approval');
  await recordAudit(tx, actor, {
    action: 'approval.requested',
    entityType: 'approval',
    entityId: row.id,
    data: {
      kind: row.kind,
      subjectType: row.subjectType,
      subjectId: row.subjectId,
      amount: request.amount,
      reasons,
    },
  });
  const amount = request.amount ? formatMoney(request.amount) : '—';
  await tx.insert(outbox).values({
    topic: 'approval.requested',
    recipient: roleRecipient(notifiedRole[request.kind]),
    ...secondApprovalText(request.summary, amount),
    payload: { approvalId: row.id, kind: row.kind, subjectId: row.subjectId },
  });
  return row;
}

/** The pending request for a subject, if any (e.g. to show a credit as waiting). */
export async function pendingApprovalOf(
  tx: Transaction,
  kind: ApprovalKind,
  subjectId: string,
): Promise<Approval | undefined> {
  const [row] = await tx
    .select()
    .from(approvals)
    .where(and(eq(approvals.kind, kind), eq(approvals.subjectId, subjectId), eq(approvals.state, 'pending')));
  return row;
}
