import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { excessResolutions, oemOrders, oemPriceListEntries, outbox } from '../../../db/schema.js';
import { creditsClearedForPayout } from '../../risk/credit-clearance.js';
import type { Actor } from '../../../domain/access/access.js';
import { calendarDateIn, parseCalendarInput, Temporal } from '../../../domain/calendar.js';
import { creditsForNewOrder, type PendingCredit } from '../../../domain/oem/excess-resolution.js';
import { moveOemOrder } from '../../../domain/oem/order-state.js';
import { priceInForce } from '../../../domain/oem/price-list.js';
import { spareAllowance } from '../../../domain/oem/spare-allowance.js';
import { multiplyAmount } from '../../../domain/money.js';
import { policyInForce } from '../../../domain/policy/evaluate.js';
import { assertAllowed } from '../../access.js';
import { auditActor, recordAudit } from '../../audit.js';
import type { AppliedCredit } from '../../messages/en.js';
import { bilingual } from '../../messages/index.js';
import { AppError } from '../../errors.js';
import { assertVersion } from '../../optimistic-lock.js';
import { formatMoney, roleRecipient } from '../../service-messages.js';
import {
  loadOrder,
  type OemDeps,
  type OemOrderView,
  orderNotFound,
  orderView,
  touchOrders,
} from '../oem-records.js';
import { invalid } from './request-oem-order.js';
import { recordOrderBooked, recordResolutionEvents } from '../oem-events.js';

export type ConfirmOemOrderInput = {
  spareRateBps: number;
  /** The delivery sales commit to; the client's wanted date when left out. */
  deliveryDate?: string | undefined;
  expectedVersion: number;
};

export function illegalMove(error: { code: string; message: string }, details?: object): AppError {
  return new AppError(
    error.code === 'ILLEGAL_TRANSITION' ? 'conflict' : 'invalid',
    error.code,
    error.message,
    details,
  );
}

/**
 * Sales confirm a requested order: at the contract price in force for the client and product on the
 * order's day (the price list — never a price the client named), with a spare rate within the policy's
 * range (spares: quantity × rate, rounded up). In the same transaction the client's pending next-order
 * credits this order can take are applied to it (oldest first, each whole), from the confirmed price.
 * No price in force: 409 NO_CONTRACT_PRICE — sales add one to the price list first.
 */
export async function confirmOemOrder(
  deps: OemDeps,
  actor: Actor,
  orderId: string,
  input: ConfirmOemOrderInput,
): Promise<OemOrderView> {
  const versions = await deps.policies.versions();
  const now = deps.now();
  const today = calendarDateIn(now, deps.storeTimeZone);
  const inForce = policyInForce(versions, today);
  if (!inForce.ok) throw new AppError('conflict', inForce.error.code, inForce.error.message);
  const policy = inForce.value;
  await deps.db.transaction(async (tx) => {
    const loaded = await loadOrder(tx, orderId, true);
    if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
    const { order } = loaded;
    assertAllowed(actor, 'oemOrders.confirm', { oemClientId: order.clientId }, orderNotFound);
    const move = moveOemOrder(order.state, { to: 'confirmed' });
    if (!move.ok)
      throw illegalMove(move.error, {
        from: order.state,
        allowed: move.error.code === 'ILLEGAL_TRANSITION' ? move.error.allowed : [],
      });
    assertVersion('OEM order', order, input.expectedVersion);
    const spares = spareAllowance(order.quantity, input.spareRateBps, policy.oem);
    if ('code' in spares) throw invalid(spares.code, spares.message, 'spareRateBps');
    let deliveryDate = order.deliveryDate;
    if (input.deliveryDate !== undefined) {
      const delivery = parseCalendarInput(input.deliveryDate.trim(), deps.storeTimeZone);
      if ('code' in delivery)
        throw invalid('INVALID_DATE', `deliveryDate: ${delivery.message}`, 'deliveryDate');
      deliveryDate = delivery.toString();
    }

    const entries = await tx
      .select()
      .from(oemPriceListEntries)
      .where(
        and(
          eq(oemPriceListEntries.clientId, order.clientId),
          eq(oemPriceListEntries.productId, order.productId),
        ),
      );
    const price = priceInForce(
      entries.map((e) => ({
        ...e,
        unitPrice: { amountMinor: e.unitPriceMinor, currency: e.currency },
        effectiveFrom: Temporal.PlainDate.from(e.effectiveFrom),
      })),
      order.clientId,
      order.productId,
      Temporal.PlainDate.from(order.orderedOn),
    );
    if (!price) {
      throw new AppError(
        'conflict',
        'NO_CONTRACT_PRICE',
        `no contract price for ${loaded.clientName} and ${loaded.product.sku} is in force on ${order.orderedOn}: add one to the price list first`,
      );
    }
    const value = multiplyAmount(order.quantity, price.unitPriceMinor);
    if (typeof value !== 'number') {
      throw invalid(
        'AMOUNT_OUT_OF_RANGE',
        `the order's value (quantity × contract price): ${value.message}`,
        'quantity',
      );
    }
    const unitPrice = { amountMinor: price.unitPriceMinor, currency: price.currency };

    const [updated] = await tx
      .update(oemOrders)
      .set({
        state: 'confirmed',
        spareRateBps: input.spareRateBps,
        spareUnits: spares.spareUnits,
        unitPriceMinor: unitPrice.amountMinor,
        currency: unitPrice.currency,
        priceListEntryId: price.id,
        policyVersionId: policy.id,
        deliveryDate,
        confirmedBy: auditActor(actor),
        confirmedAt: new Date(now.epochMilliseconds),
        version: sql`${oemOrders.version} + 1`,
        updatedAt: new Date(now.epochMilliseconds),
      })
      .where(
        and(
          eq(oemOrders.id, order.id),
          eq(oemOrders.state, 'requested'),
          eq(oemOrders.version, input.expectedVersion),
        ),
      )
      .returning({ id: oemOrders.id });
    if (!updated) throw new Error('the locked order could not be confirmed');

    // The client's credits waiting for a next order; locked, so two confirmations never take one twice.
    const pendingRows = await tx
      .select()
      .from(excessResolutions)
      .where(
        and(
          eq(excessResolutions.clientId, order.clientId),
          eq(excessResolutions.remedy, 'next_order_credit'),
          isNull(excessResolutions.appliedToOrderId),
        ),
      )
      .orderBy(asc(excessResolutions.createdAt), asc(excessResolutions.id))
      .for('update');
    // Four eyes and fraud reviews: a credit waiting for either is left for a later order.
    const cleared = await creditsClearedForPayout(tx, actor, order.clientId, pendingRows);
    const pending: PendingCredit[] = pendingRows
      .filter((c) => cleared.has(c.id))
      .map((c) => ({
        id: c.id,
        productId: c.productId,
        kind: c.creditKind ?? 'units',
        units: c.units,
        amount:
          c.creditAmountMinor === null || c.creditCurrency === null
            ? null
            : { amountMinor: c.creditAmountMinor, currency: c.creditCurrency },
      }));
    const appliedIds = creditsForNewOrder(pending, {
      productId: order.productId,
      quantity: order.quantity,
      unitPrice,
    });
    const applied = pending.filter((c) => appliedIds.includes(c.id));
    if (appliedIds.length > 0) {
      await tx
        .update(excessResolutions)
        .set({ appliedToOrderId: order.id, appliedAt: new Date(now.epochMilliseconds) })
        .where(and(inArray(excessResolutions.id, appliedIds), isNull(excessResolutions.appliedToOrderId)));
      await touchOrders(
        tx,
        pendingRows.filter((c) => appliedIds.includes(c.id)).map((c) => c.orderId),
        now,
      );
      for (const c of applied) {
        await recordAudit(tx, actor, {
          action: 'oem_credit.applied',
          entityType: 'excess_resolution',
          entityId: c.id,
          data: { appliedToOrderId: order.id, kind: c.kind, units: c.units, amount: c.amount },
        });
      }
    }
    await recordAudit(tx, actor, {
      action: 'oem_order.confirmed',
      entityType: 'oem_order',
      entityId: order.id,
      data: {
        from: order.state,
        to: 'confirmed',
        spareRateBps: input.spareRateBps,
        spareUnits: spares.spareUnits,
        unitPrice,
        priceListEntryId: price.id,
        priceEffectiveFrom: price.effectiveFrom.toString(),
        deliveryDate,
        policyVersion: policy.id,
        creditsApplied: appliedIds,
      },
    });
    const credits = applied.map((c): AppliedCredit =>
      c.kind === 'units'
        ? { kind: 'units', units: c.units }
        : { kind: 'amount', amount: c.amount ? formatMoney(c.amount) : '' },
    );
    await tx.insert(outbox).values({
      topic: 'oem_order.confirmed',
      recipient: loaded.clientEmail ?? roleRecipient('sales'),
      ...bilingual((m) =>
        m.oem.orderConfirmed({
          orderNumber: order.orderNumber,
          quantity: order.quantity,
          sku: loaded.product.sku,
          unitPrice: formatMoney(unitPrice),
          spareUnits: spares.spareUnits,
          spareRate: `${(input.spareRateBps / 100).toFixed(2)} %`,
          delivery: deliveryDate,
          credits,
        }),
      ),
      payload: { orderId: order.id, creditsApplied: appliedIds },
    });
    await recordOrderBooked(tx, versions, order, now);
    await recordResolutionEvents(tx, 'oem_credit.applied', appliedIds, now);
  });
  return orderView(deps.db, versions, orderId);
}
