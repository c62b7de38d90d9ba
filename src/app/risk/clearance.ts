import type { Transaction } from '../../db/client.js';
import { eq } from 'drizzle-orm';
import { claims, purchases } from '../../db/schema.js';
import type { AuditActor } from '../audit.js';
import { claimSignals, dealerRemedySignal } from './claim-signals.js';
import { assertCleared } from './reviews.js';
import { readRiskSettings } from './risk-settings.js';

/*
 * The gates the pay-out points call, one line each, inside their transaction after their own checks:
 * a remedy carried out or a free repair issued on a claim, a reimbursement approved.
 */

/** Before a refund, a replacement or a free repair is carried out on a claim. */
export async function assertClaimCleared(
  tx: Transaction,
  claim: { id: string; endUserId: string; dealerId: string | null },
  raisedBy: AuditActor,
  storeTimeZone: string,
): Promise<void> {
  await assertCleared(
    tx,
    { kind: 'claim', id: claim.id, owners: { endUserId: claim.endUserId, dealerId: claim.dealerId } },
    raisedBy,
    async () => (await claimSignals(tx, claim.id, await readRiskSettings(tx), storeTimeZone))?.signals ?? [],
  );
}

/**
 * Before the maker agrees to pay a dealer back: held when the dealer's refunds and replacements of the
 * product stand out against the other dealers'.
 */
export async function assertReimbursementCleared(
  tx: Transaction,
  reimbursement: { id: string; dealerId: string; claimId: string },
  raisedBy: AuditActor,
): Promise<void> {
  await assertCleared(
    tx,
    { kind: 'reimbursement', id: reimbursement.id, owners: { dealerId: reimbursement.dealerId } },
    raisedBy,
    async () => {
      const [purchase] = await tx
        .select({ productId: purchases.productId })
        .from(claims)
        .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
        .where(eq(claims.id, reimbursement.claimId))
        .limit(1);
      if (!purchase) return [];
      const signal = await dealerRemedySignal(
        tx,
        reimbursement.dealerId,
        purchase.productId,
        await readRiskSettings(tx),
      );
      return signal ? [signal] : [];
    },
  );
}
