import type { Transaction } from '../../../db/client.js';
import { auditActor } from '../../audit.js';
import {
  type ExcessResolution,
  excessResolutions,
  type OemOrder,
  replacementShipments,
  type ReplacementShipment,
} from '../../../db/schema.js';
import type { Actor } from '../../../domain/access/access.js';
import type { ExcessResolutionDecision } from '../../../domain/oem/excess-resolution.js';
import { defaultShippingMode } from '../../../domain/oem/shipment.js';
import { approvalReasons, requestApproval } from '../../approvals/request-approval.js';
import { formatMoney } from '../../service-messages.js';
import { bilingualLines } from '../../messages/index.js';
import { nextNumber } from '../oem-records.js';

/**
 * THE single place where the maker grants something for excess defects: a next-order credit (units, or
 * money priced from the order's confirmed contract price) or a replacement shipment. Its caller
 * (`resolve-excess.ts`) has already checked, under the order's row lock, that the units are within the
 * excess QA accepted and not yet remedied. A four-eyes approval of money credits above a set amount
 * belongs here: a credit that needs one would be written waiting for it (not applicable to a next order
 * until approved) instead of pending.
 */
export async function grantExcessRemedy(
  tx: Transaction,
  args: {
    actor: Actor;
    order: Pick<OemOrder, 'id' | 'clientId' | 'productId'>;
    decision: ExcessResolutionDecision;
    idempotencyKey: string | null;
    year: number;
  },
): Promise<{ resolution: ExcessResolution; shipment: ReplacementShipment | undefined }> {
  const { order, decision: r } = args;
  const [resolution] = await tx
    .insert(excessResolutions)
    .values({
      orderId: order.id,
      clientId: order.clientId,
      productId: order.productId,
      remedy: r.remedy,
      units: r.units,
      creditKind: r.creditKind,
      creditAmountMinor: r.creditAmount?.amountMinor ?? null,
      creditCurrency: r.creditAmount?.currency ?? null,
      chosenBy: auditActor(args.actor),
      idempotencyKey: args.idempotencyKey,
    })
    .returning();
  if (!resolution) throw new Error('insert returned no resolution');
  // Four eyes: a money credit above the threshold waits for sales' second approval before any order
  // takes it (orders/confirm-oem-order.ts reads the approval).
  const creditAmount = r.creditAmount;
  if (creditAmount) {
    const reasons = await approvalReasons(tx, r.creditAmount);
    if (reasons.length > 0) {
      await requestApproval(tx, args.actor, {
        kind: 'oem_credit',
        subjectType: 'excess_resolution',
        subjectId: resolution.id,
        amount: r.creditAmount,
        oemClientId: order.clientId,
        reasons,
        summary: bilingualLines((m) =>
          m.oem.creditSummary({
            amount: formatMoney(creditAmount),
            units: r.units,
            orderRef: order.id.slice(0, 8),
          }),
        ),
      });
    }
  }
  // New units to replace the excess: the maker's shipment of them starts planned, by sea unless sales or
  // an admin choose otherwise when it ships.
  const shipment =
    r.remedy === 'replacement_shipment'
      ? (
          await tx
            .insert(replacementShipments)
            .values({
              shipmentNumber: await nextNumber(tx, 'replacement_shipment_number_seq', 'RPL', args.year),
              resolutionId: resolution.id,
              orderId: order.id,
              clientId: order.clientId,
              productId: order.productId,
              units: r.units,
              state: 'planned',
              shippingMode: defaultShippingMode.replacement,
            })
            .returning()
        )[0]
      : undefined;
  return { resolution, shipment };
}
