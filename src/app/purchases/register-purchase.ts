import { and, eq, ne } from 'drizzle-orm';
import { isUniqueViolation } from '../../db/errors.js';
import { dealers, endUsers, purchases, units, uploads } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn } from '../../domain/calendar.js';
import { checkSaleItem } from '../../domain/purchases/sale.js';
import { auditActor } from '../audit.js';
import { forbidden } from '../access.js';
import { AppError } from '../errors.js';
import { ticketIdOf } from '../uploads/upload-tickets.js';
import { type PurchasesDeps, purchaseViews, type PurchaseView } from './purchase-view.js';
import { lookupErrorKind } from './record-purchase.js';
import { resolveSales, saleRaceConflict, writeSales } from './sales.js';
import { recordPurchaseEvents } from './purchase-events.js';

export type RegisterPurchaseInput = {
  serial?: string | undefined;
  sku?: string | undefined;
  purchaseDate: string;
  /** The dealer who sold it, when the customer knows. */
  dealerId?: string | undefined;
  /** From POST /api/v1/uploads?kind=proof_of_purchase. */
  proofUploadId: string;
  /** The ticket the receipt was sent with before signing in. */
  uploadTicket?: string | undefined;
};

const proofNotFound = { code: 'UPLOAD_NOT_FOUND', message: 'no such proof of purchase' };
const proofTaken = {
  code: 'PROOF_ALREADY_ATTACHED',
  message: 'this proof of purchase is already attached to a purchase',
};
/** The same bytes, sent again as another upload, are the same receipt: it proves one purchase. */
const proofReused = {
  code: 'PROOF_ALREADY_USED',
  message:
    'this receipt (the same file) already proves another purchase; one receipt proves one purchase — send the receipt of this one',
};
const serialTaken = {
  code: 'SERIAL_ALREADY_RECORDED',
  message: 'this unit is already on record as sold, or registered by someone else',
};

/**
 * A signed-in customer registers a product they bought, with the receipt they uploaded: the purchase
 * is theirs, its buyer is them as on record, and the receipt — its bytes, whichever upload they came in
 * — proves this purchase only. It is their word alone, so it is `pending` until a dealer's record of the
 * unit matches it or the dealer it names (or support) checks the proof (verify-purchase.ts); no money
 * moves on it before. A unit the dealer already recorded as sold to this customer is that purchase:
 * registering it answers with it (one purchase, not two). A unit dated before it left the maker is a 422.
 */
export async function registerPurchase(
  deps: PurchasesDeps,
  actor: Actor,
  input: RegisterPurchaseInput,
): Promise<PurchaseView> {
  if (actor.role !== 'customer') throw forbidden();
  const endUserId = actor.scope.endUserId;
  const checked = checkSaleItem(input, {
    today: calendarDateIn(deps.now(), deps.storeTimeZone),
    timeZone: deps.storeTimeZone,
  });
  if (!checked.ok) {
    const [first] = checked.problems;
    throw new AppError('invalid', first?.code ?? 'INVALID_PURCHASE', first?.message ?? 'invalid purchase', {
      field: first?.field,
      problems: checked.problems,
    });
  }

  try {
    // Read before the transaction: on PGlite (one connection) the policy source must not wait on it.
    const versions = await deps.policies.versions();
    const id = await deps.db.transaction(async (tx) => {
      const [customer] = await tx.select().from(endUsers).where(eq(endUsers.id, endUserId)).limit(1);
      if (!customer) throw new Error(`the customer record ${endUserId} of a signed-in customer is missing`);

      const [proof] = await tx
        .select({
          id: uploads.id,
          kind: uploads.kind,
          uploadedBy: uploads.uploadedBy,
          ticketId: uploads.ticketId,
          sha256: uploads.sha256,
        })
        .from(uploads)
        .where(eq(uploads.id, input.proofUploadId))
        .limit(1)
        // Held until the purchase is written: the unclaimed-upload job skips a row locked so, and one
        // it is deleting right now is waited for and then not found (404, not a foreign-key 500).
        .for('key share');
      // Someone else's upload is as unknown as one that does not exist. One sent before signing in is
      // this customer's only if they still hold the ticket it was sent with.
      const sentWithTicket =
        proof?.ticketId != null &&
        input.uploadTicket !== undefined &&
        (await ticketIdOf(tx, input.uploadTicket, 'purchase.register')) === proof.ticketId;
      if (!proof || (proof.uploadedBy !== auditActor(actor) && !sentWithTicket)) {
        throw new AppError('not_found', proofNotFound.code, proofNotFound.message);
      }
      if (proof.kind !== 'proof_of_purchase') {
        throw new AppError(
          'invalid',
          'NOT_A_PROOF_OF_PURCHASE',
          'this upload is a photo; upload the receipt with kind=proof_of_purchase',
          { field: 'proofUploadId' },
        );
      }
      const [attached] = await tx
        .select({ id: purchases.id })
        .from(purchases)
        .where(eq(purchases.proofUploadId, proof.id))
        .limit(1);
      if (attached) throw new AppError('conflict', proofTaken.code, proofTaken.message);
      const [sameBytes] = await tx
        .select({ id: purchases.id })
        .from(purchases)
        .where(and(eq(purchases.proofSha256, proof.sha256), ne(purchases.verification, 'rejected')))
        .limit(1);
      if (sameBytes) throw new AppError('conflict', proofReused.code, proofReused.message);

      if (input.dealerId !== undefined) {
        const [dealer] = await tx
          .select({ id: dealers.id })
          .from(dealers)
          .where(eq(dealers.id, input.dealerId))
          .limit(1);
        if (!dealer) throw new AppError('not_found', 'DEALER_NOT_FOUND', 'no such dealer');
      }

      const resolved = await resolveSales(
        tx,
        [
          {
            ...checked.item,
            buyerName: customer.name,
            buyerEmail: customer.email ?? undefined,
            buyerPhone: customer.phone ?? undefined,
          },
        ],
        { by: 'customer' },
      );
      if (!resolved.ok) {
        const [first] = resolved.problems;
        if (!first) throw new Error('a refused purchase names its problem');
        if (first.code === 'SERIAL_ALREADY_RECORDED' && checked.item.serial !== undefined) {
          // The dealer's record of this unit, sold to this very customer: that is the purchase.
          const [own] = await tx
            .select({ id: purchases.id })
            .from(purchases)
            .innerJoin(units, eq(units.id, purchases.unitId))
            .where(
              and(
                eq(units.serial, checked.item.serial),
                eq(purchases.endUserId, endUserId),
                ne(purchases.verification, 'rejected'),
              ),
            )
            .limit(1);
          if (own) return own.id;
          throw new AppError('conflict', serialTaken.code, serialTaken.message, { field: 'serial' });
        }
        throw new AppError(lookupErrorKind(first.code), first.code, first.message, { field: first.field });
      }
      const [purchaseId] = await writeSales(tx, resolved.resolved, {
        actor,
        dealerId: input.dealerId ?? null,
        action: 'purchase.registered',
        endUserId,
        proofUploadId: proof.id,
        proofSha256: proof.sha256,
        at: new Date(deps.now().epochMilliseconds),
      });
      if (purchaseId) {
        await recordPurchaseEvents(tx, { ...deps, versions }, 'purchase.recorded', [purchaseId], deps.now());
      }
      return purchaseId;
    });
    // After the commit, like recordPurchase: the warranty status reads the policy versions.
    const [view] = await purchaseViews(deps, deps.db, eq(purchases.id, id ?? ''));
    if (!view) throw new Error('the registered purchase is not there');
    return view;
  } catch (err) {
    // Two registrations with one receipt raced past the check above: the unique index decides.
    if (isUniqueViolation(err, 'purchases_proof_upload_id_idx')) {
      throw new AppError('conflict', proofTaken.code, proofTaken.message);
    }
    if (isUniqueViolation(err, 'purchases_live_proof_sha256_idx')) {
      throw new AppError('conflict', proofReused.code, proofReused.message);
    }
    // Two registrations of one unit raced past the look-up: the live-unit index lets one through.
    if (isUniqueViolation(err, 'purchases_live_unit_idx')) {
      throw new AppError('conflict', serialTaken.code, serialTaken.message, { field: 'serial' });
    }
    throw saleRaceConflict(err) ?? err;
  }
}
