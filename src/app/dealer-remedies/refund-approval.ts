import { and, eq, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import { claims, dealerRemedies, dealers, endUsers, outbox, reimbursementClaims } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { ApprovalHandler } from '../approvals/handlers.js';
import type { Approval } from '../approvals/request-approval.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { recordClaimEvent } from '../claims/claim-events.js';
import { bilingual, dealerNameIn } from '../messages/index.js';
import { formatMoney } from '../service-messages.js';
import { lockSaleOfClaim, moveUnits, resolveReturnedUnit } from './remedy-rules.js';

/*
 * A dealer refund that waited for support (above the four-eyes threshold, or of a sale recorded without
 * its price). Approved: it counts — the unit comes back in the registry, the claim is resolved, the
 * customer is told. Rejected: it never happened — the claim stays open, the reimbursement it carried is
 * rejected with the same reason, and the dealer is told.
 */

async function loadRemedy(tx: Transaction, approval: Approval) {
  const [row] = await tx
    .select({
      remedy: dealerRemedies,
      claim: claims,
      dealerName: dealers.name,
      dealerNameZh: dealers.nameZh,
      dealerEmail: dealers.email,
      dealerPhone: dealers.phone,
      customerName: endUsers.name,
      customerEmail: endUsers.email,
      customerPhone: endUsers.phone,
    })
    .from(dealerRemedies)
    .innerJoin(claims, eq(claims.id, dealerRemedies.claimId))
    .innerJoin(dealers, eq(dealers.id, dealerRemedies.dealerId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .where(eq(dealerRemedies.id, approval.subjectId))
    .for('update', { of: [claims, dealerRemedies] });
  if (!row) throw new Error(`dealer remedy ${approval.subjectId} of an approval is missing`);
  if (row.remedy.approval !== 'awaiting') {
    throw new AppError('conflict', 'REMEDY_NOT_AWAITING_APPROVAL', `this refund is ${row.remedy.approval}`);
  }
  return row;
}

async function approved(tx: Transaction, approval: Approval, decider: Actor, now: Date): Promise<void> {
  const row = await loadRemedy(tx, approval);
  const sale = await lockSaleOfClaim(tx, row.claim.purchaseId);
  const returned = await resolveReturnedUnit(tx, sale, row.remedy.returnedSerial ?? undefined);
  const moved = await moveUnits(tx, decider, { sale, remedyId: row.remedy.id, returned });
  await tx
    .update(dealerRemedies)
    .set({ approval: 'approved', returnedUnitId: moved.returnedUnitId })
    .where(eq(dealerRemedies.id, row.remedy.id));
  await tx
    .update(claims)
    .set({ status: 'resolved', chosenRemedy: 'refund', version: row.claim.version + 1, updatedAt: now })
    .where(eq(claims.id, row.claim.id));
  await recordAudit(tx, decider, {
    action: 'dealer_remedy.approved',
    entityType: 'claim',
    entityId: row.claim.id,
    data: { dealerRemedyId: row.remedy.id, approvalId: approval.id },
  });
  // The refund support held back is carried out now: the claim is resolved.
  await recordClaimEvent(tx, 'claim.resolved', row.claim.id, now);
  const refund =
    row.remedy.refundMinor !== null && row.remedy.currency !== null
      ? formatMoney({ amountMinor: row.remedy.refundMinor, currency: row.remedy.currency })
      : '';
  const recipient = row.customerEmail ?? row.customerPhone;
  if (recipient) {
    await tx.insert(outbox).values({
      topic: 'dealer_remedy.performed',
      recipient,
      ...bilingual((m, lang) =>
        m.dealerRemedies.refundDone({
          customerName: row.customerName,
          dealerName: dealerNameIn({ name: row.dealerName, nameZh: row.dealerNameZh }, lang),
          refund,
        }),
      ),
      payload: { claimId: row.claim.id, dealerRemedyId: row.remedy.id, kind: 'refund' },
    });
  }
  await tellDealer(tx, row, 'approved', refund, null);
}

async function rejected(
  tx: Transaction,
  approval: Approval,
  decider: Actor,
  reason: string,
  now: Date,
): Promise<void> {
  const row = await loadRemedy(tx, approval);
  await tx.update(dealerRemedies).set({ approval: 'rejected' }).where(eq(dealerRemedies.id, row.remedy.id));
  const [reimbursement] = await tx
    .update(reimbursementClaims)
    .set({
      status: 'rejected',
      reason: `refund not approved: ${reason}`,
      decidedBy: approval.decidedBy,
      decidedAt: now,
      version: sql`${reimbursementClaims.version} + 1`,
      updatedAt: now,
    })
    .where(
      and(eq(reimbursementClaims.dealerRemedyId, row.remedy.id), eq(reimbursementClaims.status, 'pending')),
    )
    .returning({ id: reimbursementClaims.id });
  await recordAudit(tx, decider, {
    action: 'dealer_remedy.rejected',
    entityType: 'claim',
    entityId: row.claim.id,
    data: { dealerRemedyId: row.remedy.id, approvalId: approval.id, reason },
  });
  if (reimbursement) {
    await recordAudit(tx, decider, {
      action: 'reimbursement.rejected',
      entityType: 'reimbursement_claim',
      entityId: reimbursement.id,
      data: { reason: `refund not approved: ${reason}` },
    });
  }
  const refund =
    row.remedy.refundMinor !== null && row.remedy.currency !== null
      ? formatMoney({ amountMinor: row.remedy.refundMinor, currency: row.remedy.currency })
      : '';
  await tellDealer(tx, row, 'rejected', refund, reason);
}

async function tellDealer(
  tx: Transaction,
  row: Awaited<ReturnType<typeof loadRemedy>>,
  decision: 'approved' | 'rejected',
  refund: string,
  reason: string | null,
): Promise<void> {
  const recipient = row.dealerEmail ?? row.dealerPhone;
  if (!recipient) return;
  await tx.insert(outbox).values({
    topic: `dealer_remedy.${decision}`,
    recipient,
    ...bilingual((m) => m.dealerRemedies.refundDecided({ decision, refund, claimId: row.claim.id, reason })),
    payload: { claimId: row.claim.id, dealerRemedyId: row.remedy.id, decision },
  });
}

export const dealerRefundApproval: ApprovalHandler = { approved, rejected };
