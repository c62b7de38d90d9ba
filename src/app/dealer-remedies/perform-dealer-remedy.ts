import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import {
  type ClaimStatus,
  claims,
  dealerRemedies,
  dealers,
  endUsers,
  outbox,
  purchases,
  reimbursementClaims,
} from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn, type Temporal } from '../../domain/calendar.js';
import { dealerMayPerform } from '../../domain/claims/remedy-choice.js';
import type { Money } from '../../domain/money.js';
import { quoteClause } from '../../domain/policy/evaluate.js';
import type { Language, RemedyCode } from '../../domain/policy/schema.js';
import { assertAllowed } from '../access.js';
import { requestApproval } from '../approvals/request-approval.js';
import { auditActor, recordAudit } from '../audit.js';
import { requestRating } from '../insight/ratings.js';
import type { MessageKey } from '../outbox/sealed-links.js';
import { AppError } from '../errors.js';
import { recordClaimEvent } from '../claims/claim-events.js';
import { recordEvent } from '../events/record-event.js';
import { assertPurchaseVerified } from '../purchases/assert-purchase-verified.js';
import { assertClaimCleared } from '../risk/clearance.js';
import { holdingForReview } from '../risk/reviews.js';
import { reimbursementView, type ReimbursementView } from '../reimbursements/read-reimbursements.js';
import { bilingual, bilingualLines, dealerNameIn, phrase } from '../messages/index.js';
import { formatMoney, roleRecipient } from '../service-messages.js';
import {
  assertRemedyChainOpen,
  checkRemedyAmounts,
  lockSaleOfClaim,
  moveUnits,
  resolveReplacementUnit,
  resolveReturnedUnit,
} from './remedy-rules.js';

export type DealerRemedyInput =
  | {
      kind: 'refund';
      returnedSerial?: string | undefined;
      refund: Money;
      /** What the dealer asks back, when less than the refund (at most the refund and the catalogue price). */
      reimbursement?: Money | undefined;
    }
  | {
      kind: 'replacement';
      returnedSerial?: string | undefined;
      replacementSerial: string;
      /** What the dealer asks the maker to pay back for the new unit, if anything. */
      reimbursement?: Money | undefined;
    };

export type DealerRemedyView = {
  id: string;
  claimId: string;
  dealerId: string;
  kind: 'refund' | 'replacement';
  returnedSerial: string | null;
  replacementSerial: string | null;
  refund: Money | null;
  /**
   * `awaiting`: a refund above the four-eyes threshold, or of a sale recorded without its price, waits
   * for support's approval (`approvalId`) before it counts; the claim stays open meanwhile.
   */
  approval: 'none' | 'awaiting' | 'approved' | 'rejected';
  approvalId: string | null;
  /** The day the warranty counts from: the original sale's, for a replacement unit too. */
  warrantyFrom: string;
  performedOn: string;
  performedBy: string;
  claim: { status: ClaimStatus; chosenRemedy: RemedyCode | null; version: number };
  reimbursement: ReimbursementView;
};

export type DealerRemedyDeps = {
  db: Database;
  now: () => Temporal.Instant;
  /** The calendar the fraud signals count days in. */
  storeTimeZone: string;
  /** What the customer's rating link needs (app/insight/ratings.ts). */
  messageKey: MessageKey;
  publicUrl: URL;
};

const claimNotFound = { code: 'CLAIM_NOT_FOUND', message: 'no such claim among this dealer’s sales' };

/**
 * A dealer carries out at the counter the refund or same-type replacement the claim's decision offered
 * — the decision made when the problem was reported. The remedy resolves the claim, and the dealer's
 * request to be paid back goes to support: all in one transaction with its audit events and messages.
 */
export async function performDealerRemedy(
  deps: DealerRemedyDeps,
  actor: Actor,
  claimId: string,
  input: DealerRemedyInput,
  lang: Language,
): Promise<DealerRemedyView> {
  try {
    return await holdingForReview(deps.db, () =>
      deps.db.transaction(async (tx) => {
        const [row] = await tx
          .select({
            claim: claims,
            dealerId: purchases.dealerId,
            customerName: endUsers.name,
            customerEmail: endUsers.email,
            customerPhone: endUsers.phone,
          })
          .from(claims)
          .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
          .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
          .where(eq(claims.id, claimId))
          .for('update', { of: claims });
        if (!row) throw new AppError('not_found', claimNotFound.code, claimNotFound.message);
        const { claim } = row;
        assertAllowed(
          actor,
          'dealerRemedies.perform',
          { endUserId: claim.endUserId, dealerId: row.dealerId },
          claimNotFound,
        );
        // The sale's own dealer does the remedy; a product registered without a dealer has none.
        if (!row.dealerId) throw new AppError('not_found', claimNotFound.code, claimNotFound.message);
        const dealerId = row.dealerId;
        await assertPurchaseVerified(tx, claim.purchaseId);

        const [earlier] = await tx
          .select({ id: dealerRemedies.id, kind: dealerRemedies.kind })
          .from(dealerRemedies)
          // A refund support refused never happened: the claim may take another remedy.
          .where(and(eq(dealerRemedies.claimId, claim.id), ne(dealerRemedies.approval, 'rejected')));
        if (earlier) throw remedyAlreadyPerformed(earlier.kind);
        // One sale, one free remedy chain: the sale is locked and its earlier remedies counted.
        const sale = await lockSaleOfClaim(tx, claim.purchaseId);
        await assertRemedyChainOpen(tx, sale.purchaseId);
        if (claim.status === 'resolved' || claim.status === 'withdrawn') {
          throw new AppError('conflict', 'CLAIM_CLOSED', `this claim is ${claim.status}`, {
            status: claim.status,
          });
        }

        const allowed = dealerMayPerform(claim.decision, input.kind);
        if (!allowed.ok) {
          const clause = allowed.error.clause ? quoteClause(allowed.error.clause, lang) : undefined;
          const day = claim.decision.daysSincePurchase;
          const message = phrase(lang, (m) => m.dealerRemedies.notOffered({ kind: input.kind, day, clause }));
          throw new AppError('conflict', 'REMEDY_NOT_OFFERED', message.trim(), {
            offered: allowed.error.offered,
            window: claim.decision.window,
            daysSincePurchase: day,
            clause,
            clauseId: allowed.error.clause?.id,
          });
        }

        // The unit registry is the truth for what comes back and what is handed over; the amounts are
        // bounded by the sale's price and the catalogue price, and a refund may wait for support.
        const returned = await resolveReturnedUnit(tx, sale, input.returnedSerial);
        const replacementUnit =
          input.kind === 'replacement'
            ? await resolveReplacementUnit(tx, sale, input.replacementSerial)
            : undefined;
        const { asked, refundWaits } = await checkRemedyAmounts(tx, sale, input);
        const waits = refundWaits.length > 0;
        const returnedSerial =
          returned === undefined ? null : returned.kind === 'new' ? returned.serial : returned.unit.serial;

        await assertClaimCleared(
          tx,
          { id: claim.id, endUserId: claim.endUserId, dealerId },
          actor,
          deps.storeTimeZone,
        );

        const [dealer] = await tx.select().from(dealers).where(eq(dealers.id, dealerId));
        if (!dealer) throw new Error(`dealer ${dealerId} of a purchase is missing`);
        const now = deps.now();
        const performedOn = calendarDateIn(now, dealer.timeZone).toString();
        const refund = input.kind === 'refund' ? input.refund : undefined;

        const [remedy] = await tx
          .insert(dealerRemedies)
          .values({
            claimId: claim.id,
            dealerId,
            kind: input.kind,
            approval: waits ? 'awaiting' : 'none',
            returnedSerial,
            replacementSerial: input.kind === 'replacement' ? input.replacementSerial : null,
            replacementUnitId: replacementUnit?.id ?? null,
            refundMinor: refund?.amountMinor ?? null,
            currency: refund?.currency ?? null,
            performedOn,
            performedBy: auditActor(actor),
          })
          .returning();
        if (!remedy) throw new Error('insert returned no dealer remedy');

        let approvalId: string | null = null;
        if (waits) {
          const approval = await requestApproval(tx, actor, {
            kind: 'dealer_refund',
            subjectType: 'dealer_remedy',
            subjectId: remedy.id,
            amount: refund ?? null,
            dealerId,
            reasons: refundWaits,
            summary: bilingualLines((m, lang) =>
              m.dealerRemedies.refundSummary({
                dealerName: dealerNameIn(dealer, lang),
                sku: sale.sku,
                claimRef: claim.id.slice(0, 8),
              }),
            ),
          });
          approvalId = approval.id;
        } else {
          const moved = await moveUnits(tx, actor, {
            sale,
            remedyId: remedy.id,
            returned,
            replacement: replacementUnit,
          });
          await tx
            .update(dealerRemedies)
            .set({ returnedUnitId: moved.returnedUnitId })
            .where(eq(dealerRemedies.id, remedy.id));
        }

        const [resolved] = await tx
          .update(claims)
          .set({
            // A refund waiting for support leaves the claim as it was until it is approved.
            status: waits ? claim.status : 'resolved',
            chosenRemedy: waits ? claim.chosenRemedy : input.kind,
            version: claim.version + 1,
            updatedAt: new Date(now.epochMilliseconds),
          })
          .where(eq(claims.id, claim.id))
          .returning({ status: claims.status, chosenRemedy: claims.chosenRemedy, version: claims.version });
        if (!resolved) throw new Error('update returned no claim');

        const [reimbursement] = await tx
          .insert(reimbursementClaims)
          .values({
            dealerRemedyId: remedy.id,
            dealerId,
            amountMinor: asked?.amountMinor ?? null,
            currency: asked?.currency ?? null,
          })
          .returning();
        if (!reimbursement) throw new Error('insert returned no reimbursement claim');

        await recordAudit(tx, actor, {
          action: 'dealer_remedy.performed',
          entityType: 'claim',
          entityId: claim.id,
          data: {
            dealerRemedyId: remedy.id,
            dealerId,
            kind: input.kind,
            returnedSerial: remedy.returnedSerial,
            replacementSerial: remedy.replacementSerial,
            refund: refund ?? null,
            performedOn,
            awaitingApproval: approvalId,
          },
        });
        await recordAudit(tx, actor, {
          action: 'reimbursement.requested',
          entityType: 'reimbursement_claim',
          entityId: reimbursement.id,
          data: { dealerRemedyId: remedy.id, dealerId, amount: asked ?? null },
        });

        const recipient = row.customerEmail ?? row.customerPhone;
        // A refund waiting for support is told to the customer when it is approved (refund-approval.ts).
        if (recipient && !waits) {
          const facts = (lang: Language) => ({
            customerName: row.customerName,
            dealerName: dealerNameIn(dealer, lang),
            performedOn,
          });
          await tx.insert(outbox).values({
            topic: 'dealer_remedy.performed',
            recipient,
            ...bilingual((m, lang) =>
              input.kind === 'refund'
                ? m.dealerRemedies.refundDone({ ...facts(lang), refund: formatMoney(input.refund) })
                : m.dealerRemedies.replacementDone({
                    ...facts(lang),
                    serial: input.replacementSerial,
                    purchaseDate: sale.purchaseDate,
                  }),
            ),
            payload: { claimId: claim.id, dealerRemedyId: remedy.id, kind: input.kind },
          });
        }
        if (!waits) {
          // The remedy is done: the customer is asked how the dealer did, in this transaction.
          await requestRating(
            tx,
            { messageKey: deps.messageKey, publicUrl: deps.publicUrl, now },
            {
              subject: 'dealer_remedy',
              claimId: claim.id,
              dealerRemedyId: remedy.id,
              dealerId,
              recipient,
              customerName: row.customerName,
              about: { kind: input.kind },
              storeTimeZone: deps.storeTimeZone,
            },
          );
        }
        await tx.insert(outbox).values({
          topic: 'reimbursement.requested',
          recipient: roleRecipient('support'),
          ...bilingual((m, lang) =>
            m.reimbursements.requested({
              dealerName: dealerNameIn(dealer, lang),
              kind: input.kind,
              claimId: claim.id,
              performedOn,
              amount: asked ? formatMoney(asked) : null,
            }),
          ),
          payload: { reimbursementId: reimbursement.id, claimId: claim.id, dealerId },
        });

        const view: DealerRemedyView = {
          id: remedy.id,
          claimId: claim.id,
          dealerId,
          kind: remedy.kind,
          returnedSerial: remedy.returnedSerial,
          replacementSerial: remedy.replacementSerial,
          refund: refund ?? null,
          approval: remedy.approval,
          approvalId,
          warrantyFrom: sale.purchaseDate,
          performedOn,
          performedBy: remedy.performedBy,
          claim: resolved,
          reimbursement: reimbursementView({
            reimbursement,
            remedy,
            dealerName: dealer.name,
            dealerNameZh: dealer.nameZh,
          }),
        };
        await recordEvent(tx, {
          type: 'dealer_remedy.performed',
          subjectId: remedy.id,
          scope: { dealerId },
          data: view,
          occurredAt: now,
        });
        if (!waits) await recordClaimEvent(tx, 'claim.resolved', claim.id, now);
        return view;
      }),
    );
  } catch (err) {
    // Two counters handed over one new unit, or took back one unknown serial, at once: one went through.
    if (isUniqueViolation(err, 'dealer_remedies_replacement_unit_id_idx')) {
      throw new AppError(
        'conflict',
        'REPLACEMENT_UNIT_TAKEN',
        'this unit was just handed over at another counter',
        {
          field: 'replacementSerial',
        },
      );
    }
    if (isUniqueViolation(err, 'units_serial_unique')) {
      throw new AppError(
        'conflict',
        'UNIT_ALREADY_RETURNED',
        'this unit was just returned at another counter',
        {
          field: 'returnedSerial',
        },
      );
    }
    // Two counters raced on one claim: the unique claim_id let one remedy through.
    if (isUniqueViolation(err)) throw remedyAlreadyPerformed();
    throw err;
  }
}

function remedyAlreadyPerformed(kind?: string): AppError {
  return new AppError(
    'conflict',
    'DEALER_REMEDY_EXISTS',
    `a dealer remedy${kind ? ` (${kind})` : ''} was already carried out on this claim; a claim gets one`,
  );
}
