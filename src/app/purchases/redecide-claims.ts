import { and, eq, inArray } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import { claims, products, purchases } from '../../db/schema.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';
import { type AuditActor, recordAudit } from '../audit.js';
import { decideEntitlement } from '../entitlements/evaluate-entitlement.js';
import { AppError } from '../errors.js';

/**
 * A purchase's date was corrected (by its checker, or by the dealer's own record of the sale): the open
 * claims on it were decided from the date the customer gave, so each is decided again from the corrected
 * one, under the policy in force on the day it was reported. A remedy the customer chose that the new
 * decision no longer offers is cleared (the claim is open again), so no refund goes out on a day-3
 * decision for a product bought months ago. A claim reported before the corrected date refuses the
 * correction: the date cannot be right. Runs in the caller's transaction; `versions` are read before it.
 */
export async function redecideClaims(
  tx: Transaction,
  context: { versions: readonly PolicyVersion[]; storeTimeZone: string; actor: AuditActor; at: Date },
  purchaseId: string,
  purchaseDate: string,
): Promise<void> {
  const rows = await tx
    .select({ claim: claims, warrantyOverride: products.warrantyOverride })
    .from(claims)
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .innerJoin(products, eq(products.id, purchases.productId))
    .where(and(eq(claims.purchaseId, purchaseId), inArray(claims.status, ['open', 'remedy_chosen'])))
    .for('update', { of: claims });
  for (const { claim } of rows) {
    if (claim.reportedOn < purchaseDate) {
      throw new AppError(
        'unprocessable',
        'PURCHASE_DATE_AFTER_CLAIM',
        `a problem with this product was reported on ${claim.reportedOn}, before ${purchaseDate}`,
        { field: 'purchaseDate', claimId: claim.id, reportedOn: claim.reportedOn },
      );
    }
  }
  for (const { claim, warrantyOverride } of rows) {
    const decision = decideEntitlement(
      context.versions,
      { purchaseDate, reportDate: claim.reportedOn, cause: claim.cause },
      { storeTimeZone: context.storeTimeZone, warrantyOverride },
    );
    const stillOffered =
      claim.chosenRemedy === null || decision.remedies.some((r) => r.code === claim.chosenRemedy);
    await tx
      .update(claims)
      .set({
        decision,
        policyVersionId: decision.policyVersion,
        chosenRemedy: stillOffered ? claim.chosenRemedy : null,
        status: stillOffered ? claim.status : 'open',
        version: claim.version + 1,
        updatedAt: context.at,
      })
      .where(eq(claims.id, claim.id));
    await recordAudit(tx, context.actor, {
      action: 'claim.redecided',
      entityType: 'claim',
      entityId: claim.id,
      data: {
        purchaseId,
        purchaseDate,
        window: { from: claim.decision.window, to: decision.window },
        remedies: decision.remedies.map((r) => r.code),
        chosenRemedyCleared: stillOffered ? null : claim.chosenRemedy,
      },
    });
  }
}
