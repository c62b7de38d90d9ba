import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { approvals } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { mayDecide } from '../../domain/approvals/four-eyes.js';
import type { Temporal } from '../../domain/calendar.js';
import { assertAllowed } from '../access.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { assertVersion, versionConflict } from '../optimistic-lock.js';
import { approvalHandlers } from './handlers.js';
import { approvalNotFound, approvalView, type ApprovalView, approvalViewsWhere } from './read-approvals.js';

export type ApprovalDecision = {
  decision: 'approved' | 'rejected';
  /** Required to reject; kept with an approval too when given. */
  reason?: string | undefined;
  expectedVersion: number;
};

/**
 * The second pair of eyes approves or rejects a request in the approvals room. Never the requester,
 * only a role allowed for the kind (domain/approvals/four-eyes.ts), once: the row is locked and updated
 * only while pending at the version read, so two approvers at once get one decision and one 409. What
 * waited (a refund, a reimbursement) moves in the same transaction.
 */
export async function decideApproval(
  deps: { db: Database; now: () => Temporal.Instant },
  actor: Actor,
  id: string,
  input: ApprovalDecision,
): Promise<ApprovalView> {
  const reason = input.reason?.trim() || null;
  if (input.decision === 'rejected' && !reason) {
    throw new AppError('invalid', 'REASON_REQUIRED', 'say why the request is rejected', { field: 'reason' });
  }
  return deps.db.transaction(async (tx) => {
    const [current] = await tx.select().from(approvals).where(eq(approvals.id, id)).for('update');
    if (!current) throw new AppError('not_found', approvalNotFound.code, approvalNotFound.message);
    assertAllowed(
      actor,
      'approvals.decide',
      { dealerId: current.dealerId, oemClientId: current.oemClientId },
      approvalNotFound,
    );
    const allowed = mayDecide(
      { kind: current.kind, state: current.state, requestedByUserId: current.requestedByUserId },
      { userId: actor.userId, role: actor.role },
    );
    if (!allowed.ok) {
      const { code, message, ...details } = allowed.error;
      throw new AppError(
        code === 'APPROVER_ROLE_NOT_ALLOWED' ? 'forbidden' : 'conflict',
        code,
        message,
        details,
      );
    }
    assertVersion('approval', current, input.expectedVersion);

    const now = new Date(deps.now().epochMilliseconds);
    const [decided] = await tx
      .update(approvals)
      .set({
        state: input.decision,
        decidedByUserId: actor.userId,
        decidedBy: auditActor(actor),
        decidedAt: now,
        reason,
        version: current.version + 1,
        updatedAt: now,
      })
      .where(
        and(
          eq(approvals.id, id),
          eq(approvals.version, input.expectedVersion),
          eq(approvals.state, 'pending'),
        ),
      )
      .returning();
    if (!decided) throw versionConflict('approval', current.version + 1);

    await recordAudit(tx, actor, {
      action: `approval.${input.decision}`,
      entityType: 'approval',
      entityId: id,
      data: {
        kind: current.kind,
        subjectType: current.subjectType,
        subjectId: current.subjectId,
        requestedBy: current.requestedBy,
        reason,
        version: decided.version,
      },
    });
    const handler = approvalHandlers[current.kind];
    if (handler) {
      if (input.decision === 'approved') await handler.approved(tx, decided, actor, now);
      else await handler.rejected(tx, decided, actor, reason ?? '', now);
    }
    const [view] = await approvalViewsWhere(tx, eq(approvals.id, id));
    return view ?? approvalView(decided);
  });
}
