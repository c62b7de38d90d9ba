import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { claims, dealers, endUsers, outbox, purchases } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { chooseRemedy } from '../../domain/claims/remedy-choice.js';
import type { RemedyCode } from '../../domain/policy/schema.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { bilingual } from '../messages/index.js';
import { AppError } from '../errors.js';
import { recordClaimEvent } from './claim-events.js';
import { claimNotFound, type ClaimView } from './claim-view.js';

export type ChooseRemedyInput = { remedy: RemedyCode; expectedVersion: number };

/**
 * The customer (or support for them) picks one of the remedies the claim's stored decision offers.
 * A stale version is refused, so two people answering for one customer cannot both choose; the
 * customer is told in the same transaction what happens next.
 */
export async function chooseClaimRemedy(
  deps: { db: Database; now: () => Temporal.Instant },
  actor: Actor,
  claimId: string,
  input: ChooseRemedyInput,
): Promise<ClaimView> {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        claim: claims,
        dealerId: purchases.dealerId,
        dealerName: dealers.name,
        dealerPhone: dealers.phone,
        customerName: endUsers.name,
        email: endUsers.email,
        phone: endUsers.phone,
      })
      .from(claims)
      .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
      .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
      .leftJoin(dealers, eq(dealers.id, purchases.dealerId))
      .where(eq(claims.id, claimId))
      .for('update', { of: claims });
    if (!row) throw new AppError('not_found', claimNotFound.code, claimNotFound.message);
    const { claim } = row;
    assertAllowed(
      actor,
      'claims.chooseRemedy',
      { endUserId: claim.endUserId, dealerId: row.dealerId },
      claimNotFound,
    );
    if (claim.version !== input.expectedVersion) {
      throw new AppError(
        'conflict',
        'VERSION_CONFLICT',
        `this claim was changed meanwhile (it is now at version ${claim.version}); reload it and choose again`,
        { currentVersion: claim.version },
      );
    }
    if (claim.status !== 'open') {
      throw new AppError(
        'conflict',
        'CLAIM_NOT_OPEN',
        `a remedy is chosen on an open claim; this one is ${claim.status}`,
        { status: claim.status, chosenRemedy: claim.chosenRemedy },
      );
    }
    const choice = chooseRemedy(claim.decision, input.remedy);
    if (!choice.ok) {
      throw new AppError('conflict', choice.error.code, choice.error.message, {
        offered: choice.error.offered,
        clause: choice.error.clause,
      });
    }

    const [updated] = await tx
      .update(claims)
      .set({
        chosenRemedy: input.remedy,
        status: 'remedy_chosen',
        version: sql`${claims.version} + 1`,
        updatedAt: new Date(deps.now().epochMilliseconds),
      })
      .where(and(eq(claims.id, claim.id), eq(claims.version, input.expectedVersion)))
      .returning({ version: claims.version });
    if (!updated) throw new Error('the claim locked for update was not updated');

    await recordAudit(tx, actor, {
      action: 'claim.remedy_chosen',
      entityType: 'claim',
      entityId: claim.id,
      data: { remedy: input.remedy, version: updated.version },
    });

    const recipient = row.email ?? row.phone;
    if (recipient) {
      const dealer = row.dealerName === null ? null : { name: row.dealerName, phone: row.dealerPhone };
      await tx.insert(outbox).values({
        topic: 'claim.remedy_chosen',
        recipient,
        // What happens next, for the remedy the customer chose.
        ...bilingual((m) =>
          m.claims.remedyChosen({ customerName: row.customerName, remedy: input.remedy, dealer }),
        ),
        payload: { claimId: claim.id, remedy: input.remedy },
      });
    }
    return recordClaimEvent(tx, 'claim.remedy_chosen', claim.id, deps.now());
  });
}
