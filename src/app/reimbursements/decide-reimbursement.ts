import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import {
  claims,
  dealerRemedies,
  dealers,
  outbox,
  products,
  purchases,
  reimbursementClaims,
} from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { assertAllowed } from '../access.js';
import { approvalReasons, type ApprovalReason, requestApproval } from '../approvals/request-approval.js';
import { auditActor, recordAudit } from '../audit.js';
import { recordEvent } from '../events/record-event.js';
import { AppError } from '../errors.js';
import { assertReimbursementCleared } from '../risk/clearance.js';
import { holdingForReview } from '../risk/reviews.js';
import { assertVersion, versionConflict } from '../optimistic-lock.js';
import { bilingualLines, dealerNameIn } from '../messages/index.js';
import { reimbursementDecidedMessage } from './messages.js';
import { reimbursementNotFound, reimbursementView, type ReimbursementView } from './read-reimbursements.js';

export type ReimbursementDecision = {
  decision: 'approved' | 'rejected';
  /** Required to reject: the dealer must be told why. */
  reason?: string | undefined;
  expectedVersion: number;
};

/**
 * Support approves or rejects what a dealer asks back for a remedy it carried out. Decided once: a
 * decided claim is final, and two agents deciding at once get one decision and one 409. Four eyes: an
 * approval of an amount above the threshold (or of a product without a catalogue price to bound it)
 * is only the first pair: the claim waits (`awaiting_approval`) in the approvals room for a second
 * person before it counts as approved and payable (reimbursement-approval.ts). A rejection moves no
 * money and is final at once.
 */
export async function decideReimbursement(
  deps: { db: Database; now: () => Temporal.Instant },
  actor: Actor,
  id: string,
  input: ReimbursementDecision,
): Promise<ReimbursementView> {
  const reason = input.reason?.trim() || null;
  if (input.decision === 'rejected' && !reason) {
    throw new AppError('invalid', 'REASON_REQUIRED', 'say why the reimbursement is rejected', {
      field: 'reason',
    });
  }
  return holdingForReview(deps.db, () =>
    deps.db.transaction(async (tx) => {
      const [row] = await tx
        .select({
          reimbursement: reimbursementClaims,
          remedy: dealerRemedies,
          dealerName: dealers.name,
          dealerNameZh: dealers.nameZh,
          dealerEmail: dealers.email,
          dealerPhone: dealers.phone,
          sku: products.sku,
          cataloguePriceMinor: products.priceMinor,
        })
        .from(reimbursementClaims)
        .innerJoin(dealerRemedies, eq(dealerRemedies.id, reimbursementClaims.dealerRemedyId))
        .innerJoin(dealers, eq(dealers.id, reimbursementClaims.dealerId))
        .innerJoin(claims, eq(claims.id, dealerRemedies.claimId))
        .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
        .innerJoin(products, eq(products.id, purchases.productId))
        .where(eq(reimbursementClaims.id, id));
      if (!row) throw new AppError('not_found', reimbursementNotFound.code, reimbursementNotFound.message);
      const current = row.reimbursement;
      assertAllowed(actor, 'reimbursements.decide', { dealerId: current.dealerId }, reimbursementNotFound);
      assertVersion('reimbursement claim', current, input.expectedVersion);
      if (current.status === 'awaiting_approval') {
        throw new AppError(
          'conflict',
          'REIMBURSEMENT_AWAITING_APPROVAL',
          'this reimbursement was approved once and waits for a second person in the approvals room',
          { status: current.status, allowed: [] },
        );
      }
      if (current.status !== 'pending') {
        throw new AppError(
          'conflict',
          'REIMBURSEMENT_ALREADY_DECIDED',
          `this reimbursement claim was already ${current.status}; a decision is final`,
          { status: current.status, allowed: [] },
        );
      }

      if (row.remedy.approval === 'awaiting') {
        throw new AppError(
          'conflict',
          'REMEDY_AWAITING_APPROVAL',
          'the refund this reimbursement is for still waits for support’s approval; decide that first',
          { dealerRemedyId: row.remedy.id },
        );
      }

      if (input.decision === 'approved') {
        // The maker's money: held while the dealer's remedies of the product stand out against its peers'.
        await assertReimbursementCleared(
          tx,
          { id: current.id, dealerId: current.dealerId, claimId: row.remedy.claimId },
          actor,
        );
      }

      const now = new Date(deps.now().epochMilliseconds);
      const amount =
        current.amountMinor !== null && current.currency !== null
          ? { amountMinor: current.amountMinor, currency: current.currency }
          : null;
      const found: ApprovalReason[] =
        amount && row.cataloguePriceMinor === null ? ['no_catalogue_price'] : [];
      const waits = input.decision === 'approved' ? await approvalReasons(tx, amount, found) : [];
      if (waits.length > 0) {
        const [first] = await tx
          .update(reimbursementClaims)
          .set({ status: 'awaiting_approval', reason, version: input.expectedVersion + 1, updatedAt: now })
          .where(
            and(
              eq(reimbursementClaims.id, current.id),
              eq(reimbursementClaims.version, input.expectedVersion),
              eq(reimbursementClaims.status, 'pending'),
            ),
          )
          .returning();
        if (!first) throw versionConflict('reimbursement claim', current.version + 1);
        const approval = await requestApproval(tx, actor, {
          kind: 'reimbursement',
          subjectType: 'reimbursement_claim',
          subjectId: current.id,
          amount,
          dealerId: current.dealerId,
          reasons: waits,
          summary: bilingualLines((m, lang) =>
            m.reimbursements.firstApprovalSummary({
              dealerName: dealerNameIn({ name: row.dealerName, nameZh: row.dealerNameZh }, lang),
              kind: row.remedy.kind,
              sku: row.sku,
              claimRef: row.remedy.claimId.slice(0, 8),
            }),
          ),
        });
        await recordAudit(tx, actor, {
          action: 'reimbursement.first_approval',
          entityType: 'reimbursement_claim',
          entityId: current.id,
          data: { approvalId: approval.id, reasons: waits, version: first.version },
        });
        return reimbursementView({
          reimbursement: first,
          remedy: row.remedy,
          dealerName: row.dealerName,
          dealerNameZh: row.dealerNameZh,
        });
      }
      const [decided] = await tx
        .update(reimbursementClaims)
        .set({
          status: input.decision,
          reason,
          decidedBy: auditActor(actor),
          decidedAt: now,
          version: input.expectedVersion + 1,
          updatedAt: now,
        })
        .where(
          and(
            eq(reimbursementClaims.id, current.id),
            eq(reimbursementClaims.version, input.expectedVersion),
            eq(reimbursementClaims.status, 'pending'),
          ),
        )
        .returning();
      if (!decided) {
        // Another agent's decision committed between our read and our write.
        const [latest] = await tx
          .select({ version: reimbursementClaims.version })
          .from(reimbursementClaims)
          .where(eq(reimbursementClaims.id, current.id));
        throw versionConflict('reimbursement claim', latest?.version ?? current.version);
      }

      await recordAudit(tx, actor, {
        action: `reimbursement.${input.decision}`,
        entityType: 'reimbursement_claim',
        entityId: current.id,
        data: { reason, version: decided.version },
      });

      const recipient = row.dealerEmail ?? row.dealerPhone;
      if (recipient) {
        await tx.insert(outbox).values({
          recipient,
          ...reimbursementDecidedMessage({
            reimbursementId: current.id,
            decision: input.decision,
            remedy: row.remedy,
            amount,
            reason,
          }),
        });
      }
      const view = reimbursementView({
        reimbursement: decided,
        remedy: row.remedy,
        dealerName: row.dealerName,
        dealerNameZh: row.dealerNameZh,
      });
      await recordEvent(tx, {
        type: 'reimbursement.decided',
        subjectId: view.id,
        scope: { dealerId: decided.dealerId },
        data: view,
        occurredAt: now,
      });
      return view;
    }),
  );
}
