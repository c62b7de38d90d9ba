import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { claims, dealers, endUsers, outbox, purchases } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { chooseRemedy } from '../../domain/claims/remedy-choice.js';
import type { RemedyCode } from '../../domain/policy/schema.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { claimNotFound, type ClaimView, claimViewFor } from './claim-view.js';

export type ChooseRemedyInput = { remedy: RemedyCode; expectedVersion: number };

type Dealer = { name: string; phone: string | null } | null;

/** What happens next, in both languages, for the remedy the customer chose. */
function nextStep(remedy: RemedyCode, dealer: Dealer): { en: string; zh: string } {
  const where = dealer
    ? {
        en: `${dealer.name}${dealer.phone ? ` (phone ${dealer.phone})` : ''}`,
        zh: `${dealer.name}${dealer.phone ? `（电话 ${dealer.phone}）` : ''}`,
      }
    : { en: 'the dealer who sold it to you', zh: '向您出售该产品的经销商' };
  switch (remedy) {
    case 'refund':
      return {
        en: `You chose a full refund. Take the product and your receipt to ${where.en}.`,
        zh: `您选择了全额退款。请携带产品和购买凭证前往${where.zh}办理。`,
      };
    case 'replacement':
      return {
        en: `You chose a new product of the same type. Take the product and your receipt to ${where.en}.`,
        zh: `您选择了更换同型号新品。请携带产品和购买凭证前往${where.zh}办理。`,
      };
    case 'maintenance_order':
      return {
        en: 'You chose a maintenance order. Next step: we issue it at the service center nearest to you and give you its maintenance number.',
        zh: '您选择了维修单。下一步：我们将在离您最近的售后服务中心为您开具维修单，并告知维修单号。',
      };
    case 'mail_in_repair':
      return {
        en: 'You chose mail-in repair. Next step: a maintenance order tells you which maintenance office to send the faulty parts to; the service commitment counts from the day they receive them.',
        zh: '您选择了寄修。下一步：维修单会告诉您将故障部件寄往哪个维修点；服务承诺期限自维修点签收之日起计算。',
      };
    case 'service_center':
      return {
        en: 'You chose to be helped by our service center, which will contact you.',
        zh: '您选择了由 Halotek 售后服务中心协助处理，服务中心将与您联系。',
      };
    case 'paid_service':
      return {
        en: 'You chose paid service. Our sales team will contact you with a quote before any work is done.',
        zh: '您选择了有偿服务。我们的销售人员将在维修前与您联系并提供报价。',
      };
  }
}

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
      const next = nextStep(input.remedy, dealer);
      await tx.insert(outbox).values({
        topic: 'claim.remedy_chosen',
        recipient,
        subject: 'Your choice for your report — 您的处理方式',
        body: `Dear ${row.customerName}, ${next.en}\n\n` + `${row.customerName}，您好：${next.zh}`,
        payload: { claimId: claim.id, remedy: input.remedy },
      });
    }
    return claimViewFor(tx, null, 'claims.read', claim.id);
  });
}
