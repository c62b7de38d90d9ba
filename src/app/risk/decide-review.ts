import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { riskReviews } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { mayDecideReview } from '../../domain/risk/review.js';
import { assertAllowed } from '../access.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { assertVersion, versionConflict } from '../optimistic-lock.js';
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
    await recordAudit(tx, actor, {
      action: `risk.review.${input.decision}`,
      entityType: 'risk_review',
      entityId: row.id,
      data: { subjectKind: row.subjectKind, subjectId: row.subjectId, ...(reason ? { reason } : {}) },
    });
    return riskReviewView(decided);
  });
}
