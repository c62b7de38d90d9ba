import { eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
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
import { assertPurchaseVerified } from '../purchases/assert-purchase-verified.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { assertClaimCleared } from '../risk/clearance.js';
import { holdingForReview } from '../risk/reviews.js';
import { reimbursementView, type ReimbursementView } from '../reimbursements/read-reimbursements.js';
import { formatMoney, roleRecipient } from '../service-messages.js';

export type DealerRemedyInput =
  | { kind: 'refund'; returnedSerial?: string | undefined; refund: Money }
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
};

const claimNotFound = { code: 'CLAIM_NOT_FOUND', message: 'no such claim among this dealer’s sales' };

const kindNames = {
  refund: { en: 'refund', zh: '退款' },
  replacement: { en: 'replacement', zh: '换货' },
} as const;

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
          .where(eq(dealerRemedies.claimId, claim.id));
        if (earlier) throw remedyAlreadyPerformed(earlier.kind);
        await assertSaleNotRefunded(tx, claim.purchaseId, input.kind);
        if (claim.status === 'resolved' || claim.status === 'withdrawn') {
          throw new AppError('conflict', 'CLAIM_CLOSED', `this claim is ${claim.status}`, {
            status: claim.status,
          });
        }

        const allowed = dealerMayPerform(claim.decision, input.kind);
        if (!allowed.ok) {
          const clause = allowed.error.clause ? quoteClause(allowed.error.clause, lang) : undefined;
          const day = claim.decision.daysSincePurchase;
          const message =
            lang === 'zh'
              ? `此报修不可由经销商${kindNames[input.kind].zh}（报修时为购买后第 ${day} 天）。${clause ?? ''}`
              : `A dealer ${kindNames[input.kind].en} is not offered for this claim (reported on day ${day} after purchase). ${clause ?? ''}`;
          throw new AppError('conflict', 'REMEDY_NOT_OFFERED', message.trim(), {
            offered: allowed.error.offered,
            window: claim.decision.window,
            daysSincePurchase: day,
            clause,
            clauseId: allowed.error.clause?.id,
          });
        }

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
        const asked = input.kind === 'refund' ? input.refund : input.reimbursement;

        const [remedy] = await tx
          .insert(dealerRemedies)
          .values({
            claimId: claim.id,
            dealerId,
            kind: input.kind,
            returnedSerial: input.returnedSerial ?? null,
            replacementSerial: input.kind === 'replacement' ? input.replacementSerial : null,
            refundMinor: refund?.amountMinor ?? null,
            currency: refund?.currency ?? null,
            performedOn,
            performedBy: auditActor(actor),
          })
          .returning();
        if (!remedy) throw new Error('insert returned no dealer remedy');

        const [resolved] = await tx
          .update(claims)
          .set({
            status: 'resolved',
            chosenRemedy: input.kind,
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
          },
        });
        await recordAudit(tx, actor, {
          action: 'reimbursement.requested',
          entityType: 'reimbursement_claim',
          entityId: reimbursement.id,
          data: { dealerRemedyId: remedy.id, dealerId, amount: asked ?? null },
        });

        const recipient = row.customerEmail ?? row.customerPhone;
        if (recipient) {
          const kind = kindNames[input.kind];
          const detail =
            input.kind === 'refund'
              ? { en: `a refund of ${formatMoney(input.refund)}`, zh: `退款 ${formatMoney(input.refund)}` }
              : {
                  en: `a new unit of the same type (serial ${input.replacementSerial})`,
                  zh: `同型号新产品（序列号 ${input.replacementSerial}）`,
                };
          await tx.insert(outbox).values({
            topic: 'dealer_remedy.performed',
            recipient,
            subject: `Your ${kind.en} is done — 您的${kind.zh}已完成`,
            body:
              `Dear ${row.customerName}, ${dealer.name} gave you ${detail.en} on ${performedOn}. Your claim is resolved.\n\n` +
              `${row.customerName}，您好：${dealer.name} 已于 ${performedOn} 为您办理${detail.zh}，您的报修已处理完毕。`,
            payload: { claimId: claim.id, dealerRemedyId: remedy.id, kind: input.kind },
          });
        }
        const amount = asked ? formatMoney(asked) : 'no amount / 未填金额';
        await tx.insert(outbox).values({
          topic: 'reimbursement.requested',
          recipient: roleRecipient('support'),
          subject: `Reimbursement to decide: ${dealer.name} — 待审核的经销商补偿申请`,
          body:
            `${dealer.name} performed a ${kindNames[input.kind].en} on claim ${claim.id} on ${performedOn} and asks to be reimbursed: ${amount}.\n\n` +
            `${dealer.name} 已于 ${performedOn} 为报修 ${claim.id} 办理${kindNames[input.kind].zh}，申请补偿：${amount}。`,
          payload: { reimbursementId: reimbursement.id, claimId: claim.id, dealerId },
        });

        return {
          id: remedy.id,
          claimId: claim.id,
          dealerId,
          kind: remedy.kind,
          returnedSerial: remedy.returnedSerial,
          replacementSerial: remedy.replacementSerial,
          refund: refund ?? null,
          performedOn,
          performedBy: remedy.performedBy,
          claim: resolved,
          reimbursement: reimbursementView({
            reimbursement,
            remedy,
            dealerName: dealer.name,
          }),
        };
      }),
    );
  } catch (err) {
    // Two counters raced on one claim: the unique claim_id let one remedy through.
    if (isUniqueViolation(err)) throw remedyAlreadyPerformed();
    throw err;
  }
}

/**
 * One sale, one unit: a customer who reported it twice has two claims, but the money goes back once.
 * A refunded sale takes no other remedy, and a sale that already got a new unit is not refunded on top
 * of it. The sale's row is locked (after the claim's, as every remedy locks them) so that two counters
 * working on two claims of it at once are taken one after the other.
 */
async function assertSaleNotRefunded(
  tx: Transaction,
  purchaseId: string,
  kind: DealerRemedyInput['kind'],
): Promise<void> {
  await tx.select({ id: purchases.id }).from(purchases).where(eq(purchases.id, purchaseId)).for('update');
  const done = await tx
    .select({ claimId: dealerRemedies.claimId, kind: dealerRemedies.kind })
    .from(dealerRemedies)
    .innerJoin(claims, eq(claims.id, dealerRemedies.claimId))
    .where(eq(claims.purchaseId, purchaseId));
  const blocking = done.find((d) => d.kind === 'refund') ?? (kind === 'refund' ? done[0] : undefined);
  if (!blocking) return;
  throw new AppError(
    'conflict',
    'PURCHASE_ALREADY_REMEDIED',
    blocking.kind === 'refund'
      ? `this sale was already refunded (claim ${blocking.claimId}); a refunded sale takes no other remedy`
      : `this sale already got a new unit (claim ${blocking.claimId}); it is not refunded on top of that`,
    { claimId: blocking.claimId, kind: blocking.kind },
  );
}

function remedyAlreadyPerformed(kind?: string): AppError {
  return new AppError(
    'conflict',
    'DEALER_REMEDY_EXISTS',
    `a dealer remedy${kind ? ` (${kind})` : ''} was already carried out on this claim; a claim gets one`,
  );
}
