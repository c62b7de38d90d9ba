import { and, eq, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import {
  claims,
  dealers,
  endUsers,
  outbox,
  reimbursementClaims,
  type RiskReview,
  riskReviews,
} from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { mayDecideReview } from '../../domain/risk/review.js';
import { assertAllowed } from '../access.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { assertVersion, versionConflict } from '../optimistic-lock.js';
import { claimReviewedMessage, reimbursementReviewDeclinedMessage } from './messages.js';
import { riskReviewNotFound, riskReviewView, type RiskReviewView, reviewerRoles } from './reviews.js';

export type RiskReviewDecision = {
  decision: 'approved' | 'rejected';
  /** Required to reject: the customer, dealer or client is told it. */
  reason?: string | undefined;
  expectedVersion: number;
};

/**
 * Support (claims, reimbursements) or QA (OEM credits) approves a flagged object, which may then pay
 * out, or rejects it with a reason, and it never does. Decided once, by someone other than the person
 * whose request it stopped.
 */
export async function decideRiskReview(
  deps: { db: Database; now: () => Temporal.Instant },
  actor: Actor,
  id: string,
  input: RiskReviewDecision,
): Promise<RiskReviewView> {
  const reason = input.reason?.trim() || null;
  if (input.decision === 'rejected' && !reason) {
    throw new AppError('invalid', 'REASON_REQUIRED', 'say why it is declined: the party is told', {
      field: 'reason',
    });
  }
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(riskReviews).where(eq(riskReviews.id, id)).for('update');
    if (!row || !reviewerRoles[row.subjectKind].includes(actor.role)) {
      throw new AppError('not_found', riskReviewNotFound.code, riskReviewNotFound.message);
    }
    assertAllowed(actor, 'riskReviews.decide', {}, riskReviewNotFound);
    assertVersion('review', row, input.expectedVersion);
    const verdict = mayDecideReview({ status: row.status, raisedBy: row.raisedBy }, auditActor(actor));
    if (verdict !== 'ok') {
      throw verdict === 'already_decided'
        ? new AppError(
            'conflict',
            'RISK_REVIEW_ALREADY_DECIDED',
            `this review was already ${row.status}; a decision is final`,
          )
        : new AppError(
            'forbidden',
            'OWN_REQUEST',
            'the request this review stopped was yours: a colleague decides it',
          );
    }
    const now = new Date(deps.now().epochMilliseconds);
    const [decided] = await tx
      .update(riskReviews)
      .set({
        status: input.decision,
        reason,
        decidedBy: auditActor(actor),
        decidedAt: now,
        version: row.version + 1,
        updatedAt: now,
      })
      .where(and(eq(riskReviews.id, row.id), eq(riskReviews.version, row.version)))
      .returning();
    if (!decided) throw versionConflict('review', row.version + 1);
    await tellParty(tx, actor, decided);
    await recordAudit(tx, actor, {
      action: `risk.review.${input.decision}`,
      entityType: 'risk_review',
      entityId: row.id,
      data: { subjectKind: row.subjectKind, subjectId: row.subjectId, ...(reason ? { reason } : {}) },
    });
    return riskReviewView(decided);
  });
}

/**
 * The party whose object was held hears the outcome: the customer of a claim either way (they were
 * told it waits); the dealer of a reimbursement when it is declined — the reimbursement is then
 * declined too, with the same reason, so it leaves support's list of requests to decide.
 */
async function tellParty(tx: Transaction, actor: Actor, review: RiskReview): Promise<void> {
  if (review.subjectKind === 'claim') {
    const [customer] = await tx
      .select({ name: endUsers.name, email: endUsers.email, phone: endUsers.phone })
      .from(claims)
      .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
      .where(eq(claims.id, review.subjectId));
    const recipient = customer?.email ?? customer?.phone;
    if (!customer || !recipient) return;
    await tx.insert(outbox).values({
      topic: `risk_review.${review.status}`,
      recipient,
      ...claimReviewedMessage({
        customerName: customer.name,
        claimId: review.subjectId,
        decision: review.status === 'rejected' ? 'rejected' : 'approved',
        reason: review.reason,
      }),
      payload: { riskReviewId: review.id, claimId: review.subjectId },
    });
    return;
  }
  if (review.subjectKind === 'reimbursement' && review.status === 'rejected') {
    const reason = review.reason ?? '';
    const [declined] = await tx
      .update(reimbursementClaims)
      .set({
        status: 'rejected',
        reason,
        decidedBy: auditActor(actor),
        decidedAt: review.decidedAt,
        version: sql`${reimbursementClaims.version} + 1`,
        updatedAt: review.decidedAt ?? new Date(),
      })
      .where(and(eq(reimbursementClaims.id, review.subjectId), eq(reimbursementClaims.status, 'pending')))
      .returning({ id: reimbursementClaims.id, dealerId: reimbursementClaims.dealerId });
    if (!declined) return;
    await recordAudit(tx, actor, {
      action: 'reimbursement.rejected',
      entityType: 'reimbursement_claim',
      entityId: declined.id,
      data: { reason, riskReviewId: review.id },
    });
    const [dealer] = await tx
      .select({ name: dealers.name, nameZh: dealers.nameZh, email: dealers.email, phone: dealers.phone })
      .from(dealers)
      .where(eq(dealers.id, declined.dealerId));
    const recipient = dealer?.email ?? dealer?.phone;
    if (!dealer || !recipient) return;
    await tx.insert(outbox).values({
      topic: 'reimbursement.rejected',
      recipient,
      ...reimbursementReviewDeclinedMessage({
        dealer,
        reimbursementId: declined.id,
        reason,
      }),
      payload: { reimbursementId: declined.id, riskReviewId: review.id, decision: 'rejected' },
    });
  }
}
