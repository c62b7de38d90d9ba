import { desc, eq, inArray } from 'drizzle-orm';
import { endUsers, purchases, units } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { contactMatches } from '../../domain/contact.js';
import type { Cause } from '../../domain/policy/evaluate.js';
import { auditActor } from '../audit.js';
import { AppError } from '../errors.js';
import { type ClaimView, claimViewFor } from './claim-view.js';
import { submitClaim, type SubmitClaimDeps } from './submit-claim.js';

export type ReportedClaim = {
  claim: ClaimView;
  /** Only on the first answer: the link is stored as a hash, and is also in the acknowledgement. */
  trackingUrl: string | null;
  replayed: boolean;
};

/**
 * A signed-in customer reports a problem with one of their purchases (support or an admin, with
 * anyone's): the engine decides, and the claim comes back with its choices.
 */
export async function reportClaim(
  deps: SubmitClaimDeps,
  actor: Actor,
  input: {
    purchaseId: string;
    cause: Cause;
    description: string;
    reportedOn?: string | undefined;
    idempotencyKey?: string | undefined;
  },
): Promise<ReportedClaim> {
  const submitted = await submitClaim(deps, { ...input, signedIn: actor, actor: auditActor(actor) });
  return {
    claim: submitted.view ?? (await claimViewFor(deps.db, actor, 'claims.submit', submitted.id)),
    trackingUrl: submitted.trackingUrl,
    replayed: submitted.replayed,
  };
}

const noMatch = {
  code: 'PURCHASE_NOT_FOUND',
  message: 'no purchase of a unit with this serial number and contact',
};

/**
 * Someone without an account reports a problem with the unit's serial number and the e-mail address
 * or phone number the purchase was recorded with (the customer's or the buyer's). An unknown serial
 * and a contact that does not match get the same 404, so the form cannot tell which serials exist.
 */
export async function reportGuestClaim(
  deps: SubmitClaimDeps,
  input: {
    serial: string;
    contact: string;
    cause: Cause;
    description: string;
    idempotencyKey?: string | undefined;
  },
): Promise<ReportedClaim> {
  const serial = input.serial.trim();
  const candidates = await deps.db
    .select({
      id: purchases.id,
      endUserId: purchases.endUserId,
      email: endUsers.email,
      phone: endUsers.phone,
      buyerEmail: purchases.buyerEmail,
      buyerPhone: purchases.buyerPhone,
    })
    .from(purchases)
    .innerJoin(units, eq(units.id, purchases.unitId))
    .innerJoin(endUsers, eq(endUsers.id, purchases.endUserId))
    // Serials are printed in capitals and often typed in lower case.
    .where(inArray(units.serial, [...new Set([serial, serial.toUpperCase()])]))
    .orderBy(desc(purchases.purchaseDate), desc(purchases.createdAt));
  const purchase = candidates.find((p) =>
    contactMatches(input.contact, [p.email, p.phone, p.buyerEmail, p.buyerPhone]),
  );
  if (!purchase) throw new AppError('not_found', noMatch.code, noMatch.message);
  const submitted = await submitClaim(deps, {
    purchaseId: purchase.id,
    endUserId: purchase.endUserId,
    cause: input.cause,
    description: input.description,
    idempotencyKey: input.idempotencyKey,
    actor: 'guest',
  });
  return {
    claim: submitted.view ?? (await claimViewFor(deps.db, null, 'claims.read', submitted.id)),
    trackingUrl: submitted.trackingUrl,
    replayed: submitted.replayed,
  };
}
