import { and, eq, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import { dealerRemedies, dealers, outbox, reimbursementClaims } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { ApprovalHandler } from '../approvals/handlers.js';
import type { Approval } from '../approvals/request-approval.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { recordEvent } from '../events/record-event.js';
import { reimbursementView } from './read-reimbursements.js';
import { reimbursementDecidedMessage } from './messages.js';

/*
 * The second pair of eyes on a reimbursement one support agent approved above the threshold: approved,
 * it counts as approved and payable; rejected, it is rejected with the reason. Either way final.
 */

async function decide(
  tx: Transaction,
  approval: Approval,
  decider: Actor,
  decision: 'approved' | 'rejected',
  reason: string | null,
  now: Date,
): Promise<void> {
  const [decided] = await tx
    .update(reimbursementClaims)
    .set({
      status: decision,
      reason,
      decidedBy: approval.decidedBy,
      decidedAt: now,
      version: sql`${reimbursementClaims.version} + 1`,
      updatedAt: now,
    })
    .where(
      and(
        eq(reimbursementClaims.id, approval.subjectId),
        eq(reimbursementClaims.status, 'awaiting_approval'),
      ),
    )
    .returning();
  if (!decided) {
    throw new AppError(
      'conflict',
      'REIMBURSEMENT_NOT_AWAITING_APPROVAL',
      'this reimbursement no longer waits for approval',
    );
  }
  await recordAudit(tx, decider, {
    action: `reimbursement.${decision}`,
    entityType: 'reimbursement_claim',
    entityId: decided.id,
    data: { reason, version: decided.version, approvalId: approval.id, firstApprover: approval.requestedBy },
  });
  const [row] = await tx
    .select({
      remedy: dealerRemedies,
      email: dealers.email,
      phone: dealers.phone,
      dealerName: dealers.name,
      dealerNameZh: dealers.nameZh,
    })
    .from(dealerRemedies)
    .innerJoin(dealers, eq(dealers.id, dealerRemedies.dealerId))
    .where(eq(dealerRemedies.id, decided.dealerRemedyId));
  if (!row) throw new Error(`the remedy of reimbursement ${decided.id} is missing`);
  await recordEvent(tx, {
    type: 'reimbursement.decided',
    subjectId: decided.id,
    scope: { dealerId: decided.dealerId },
    data: reimbursementView({
      reimbursement: decided,
      remedy: row.remedy,
      dealerName: row.dealerName,
      dealerNameZh: row.dealerNameZh,
    }),
    occurredAt: now,
  });
  const recipient = row.email ?? row.phone;
  if (!recipient) return;
  const amount =
    decided.amountMinor !== null && decided.currency !== null
      ? { amountMinor: decided.amountMinor, currency: decided.currency }
      : null;
  await tx.insert(outbox).values({
    recipient,
    ...reimbursementDecidedMessage({
      reimbursementId: decided.id,
      decision,
      remedy: row.remedy,
      amount,
      reason,
    }),
  });
}

export const reimbursementApproval: ApprovalHandler = {
  approved: (tx, approval, decider, now) => decide(tx, approval, decider, 'approved', approval.reason, now),
  rejected: (tx, approval, decider, reason, now) => decide(tx, approval, decider, 'rejected', reason, now),
};
