import { eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { purchases } from '../../db/schema.js';
import { allowsRemedy } from '../../domain/purchases/verification.js';
import { AppError } from '../errors.js';

/**
 * The one gate before money or goods move on a purchase — a refund, a replacement, a free repair: the
 * purchase must be verified (a dealer's record, or a registration a dealer or support confirmed). A
 * customer's word alone is `pending`, and answers 409 PURCHASE_NOT_VERIFIED.
 *
 * Read without a lock: verified is final (domain/purchases/verification.ts), so a purchase read as
 * verified stays so, and one read as pending is refused — a verification racing the remedy can only make
 * the refusal early, never let money through. (A lock here would also order against the remedies' own
 * `for update` of the purchase and could deadlock two counters.)
 */
export async function assertPurchaseVerified(db: Database | Transaction, purchaseId: string): Promise<void> {
  const [row] = await db
    .select({ verification: purchases.verification, rejectionCode: purchases.rejectionCode })
    .from(purchases)
    .where(eq(purchases.id, purchaseId))
    .limit(1);
  if (!row) throw new Error(`purchase ${purchaseId} of a claim is missing`);
  if (allowsRemedy(row.verification)) return;
  throw new AppError(
    'conflict',
    'PURCHASE_NOT_VERIFIED',
    row.verification === 'rejected'
      ? 'this purchase was rejected when its proof was checked; no refund, replacement or free repair is carried out on it'
      : 'this purchase is waiting for its proof to be checked by the dealer or support; no refund, replacement or free repair is carried out on it until then',
    { verification: row.verification, purchaseId },
  );
}
