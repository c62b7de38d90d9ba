import { and, arrayOverlaps, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { isUniqueViolation } from '../../db/errors.js';
import { excessResolutions, oemClients, oemOrders, outbox, products } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn, parseCalendarInput } from '../../domain/calendar.js';
import { creditsForNewOrder, type PendingCredit } from '../../domain/oem/excess-resolution.js';
import { checkOemOrder, type OrderLotInput } from '../../domain/oem/oem-order.js';
import { money, type Money, multiplyAmount } from '../../domain/money.js';
import { policyInForce } from '../../domain/policy/evaluate.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { formatMoney, roleRecipient } from '../service-messages.js';
import { nextNumber, type OemDeps, type OemOrderView, orderView, touchOrders } from './oem-records.js';

export type CreateOemOrderInput = {
  /** Staff name the client; a client's own user leaves it out (or names its own). */
  clientId?: string | undefined;
  productId?: string | undefined;
  sku?: string | undefined;
  /** The client's own order number; one is made (OEM-2026-000123) when left out. Unique. */
  orderNumber?: string | undefined;
  quantity: number;
  spareRateBps: number;
  deliveryDate: string;
  lots: OrderLotInput[];
  unitPrice?: Money | undefined;
};

const clientNotFound = { code: 'OEM_CLIENT_NOT_FOUND', message: 'no such OEM client' };

function invalid(code: string, message: string, field: string): AppError {
  return new AppError('invalid', code, message, { field });
}

/**
 * Books an OEM order: the spare rate checked against the policy in force today, the spares worked out
 * (rounded up), its lots. In the same transaction, the client's pending next-order credits that this
 * order can take are applied to it (oldest first, each whole) and shown on both orders.
 */
export async function createOemOrder(
  deps: OemDeps,
  actor: Actor,
  input: CreateOemOrderInput,
): Promise<OemOrderView> {
  const clientId = input.clientId ?? (actor.role === 'oem' ? actor.scope.oemClientId : undefined);
  if (!clientId) throw invalid('CLIENT_REQUIRED', 'name the OEM client the order is for', 'clientId');
  assertAllowed(actor, 'oemOrders.create', { oemClientId: clientId }, clientNotFound);
  if (!input.productId && !input.sku)
    throw invalid('PRODUCT_REQUIRED', 'name the product (productId or sku)', 'sku');

  const today = calendarDateIn(deps.now(), deps.storeTimeZone);
  const versions = await deps.policies.versions();
  const inForce = policyInForce(versions, today);
  if (!inForce.ok) throw new AppError('conflict', inForce.error.code, inForce.error.message);
  const policy = inForce.value;
  const checked = checkOemOrder(input, policy.oem);
  if (!checked.ok) throw invalid(checked.problem.code, checked.problem.message, checked.problem.field);
  const delivery = parseCalendarInput(input.deliveryDate.trim(), deps.storeTimeZone);
  if ('code' in delivery) throw invalid('INVALID_DATE', `deliveryDate: ${delivery.message}`, 'deliveryDate');
  let unitPrice: Money | null = null;
  if (input.unitPrice) {
    const m = money(input.unitPrice.amountMinor, input.unitPrice.currency);
    if ('code' in m || m.amountMinor < 0)
      throw invalid('INVALID_AMOUNT', 'the unit price is whole minor units, at least zero', 'unitPrice');
    // The order's value is shown and billed: quantity × price must be an amount too (a CHECK holds the table to it).
    const value = multiplyAmount(input.quantity, m.amountMinor);
    if (typeof value !== 'number')
      throw invalid(
        'AMOUNT_OUT_OF_RANGE',
        `the order's value (quantity × unit price): ${value.message}`,
        'unitPrice',
      );
    unitPrice = m;
  }

  try {
    const orderId = await deps.db.transaction(async (tx) => {
      const [client] = await tx
        .select({ id: oemClients.id, name: oemClients.name, email: oemClients.email })
        .from(oemClients)
        .where(eq(oemClients.id, clientId));
      if (!client) throw new AppError('not_found', clientNotFound.code, clientNotFound.message);
      const [product] = await tx
        .select({ id: products.id, sku: products.sku })
        .from(products)
        .where(input.productId ? eq(products.id, input.productId) : eq(products.sku, input.sku ?? ''));
      if (!product) {
        throw invalid(
          'UNKNOWN_PRODUCT',
          `no product ${input.sku ?? input.productId ?? ''}`,
          input.productId ? 'productId' : 'sku',
        );
      }
      const lotCodes = checked.order.lots.map((l) => l.lot);
      // A lot is made of one product: the same code on another product's order would mix their rates.
      const [clash] = await tx
        .select({ orderNumber: oemOrders.orderNumber })
        .from(oemOrders)
        .where(and(ne(oemOrders.productId, product.id), arrayOverlaps(oemOrders.lots, lotCodes)))
        .limit(1);
      if (clash) {
        throw new AppError(
          'conflict',
          'LOT_OF_ANOTHER_PRODUCT',
          `a lot on order ${clash.orderNumber} has the same code but another product`,
          {
            field: 'lots',
          },
        );
      }

      const now = deps.now();
      const orderNumber =
        input.orderNumber?.trim() || (await nextNumber(tx, 'oem_order_number_seq', 'OEM', today.year));
      const [row] = await tx
        .insert(oemOrders)
        .values({
          orderNumber,
          clientId: client.id,
          productId: product.id,
          quantity: input.quantity,
          spareRateBps: input.spareRateBps,
          spareUnits: checked.order.spareUnits,
          deliveryDate: delivery.toString(),
          lots: lotCodes,
          lotDetails: checked.order.lots,
          unitPriceMinor: unitPrice?.amountMinor ?? null,
          currency: unitPrice?.currency ?? null,
          policyVersionId: policy.id,
          createdBy: `user:${actor.userId}`,
        })
        .returning({ id: oemOrders.id });
      if (!row) throw new Error('insert returned no OEM order');

      // The client's credits waiting for a next order; locked, so two new orders never take one twice.
      const pendingRows = await tx
        .select()
        .from(excessResolutions)
        .where(
          and(
            eq(excessResolutions.clientId, client.id),
            eq(excessResolutions.remedy, 'next_order_credit'),
            isNull(excessResolutions.appliedToOrderId),
          ),
        )
        .orderBy(asc(excessResolutions.createdAt), asc(excessResolutions.id))
        .for('update');
      const pending: PendingCredit[] = pendingRows.map((c) => ({
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
        productId: product.id,
        quantity: input.quantity,
        unitPrice,
      });
      const applied = pending.filter((c) => appliedIds.includes(c.id));
      if (appliedIds.length > 0) {
        await tx
          .update(excessResolutions)
          .set({ appliedToOrderId: row.id, appliedAt: new Date(now.epochMilliseconds) })
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
            data: { appliedToOrderId: row.id, kind: c.kind, units: c.units, amount: c.amount },
          });
        }
      }

      await recordAudit(tx, actor, {
        action: 'oem_order.created',
        entityType: 'oem_order',
        entityId: row.id,
        data: {
          orderNumber,
          clientId: client.id,
          productId: product.id,
          quantity: input.quantity,
          spareRateBps: input.spareRateBps,
          spareUnits: checked.order.spareUnits,
          deliveryDate: delivery.toString(),
          lots: checked.order.lots,
          unitPrice,
          policyVersion: policy.id,
          creditsApplied: appliedIds,
        },
      });

      const creditLines = applied.map((c) =>
        c.kind === 'units'
          ? `${c.units} units free of charge`
          : `${c.amount ? formatMoney(c.amount) : ''} off`,
      );
      const body =
        `Order ${orderNumber}: ${input.quantity} × ${product.sku}, with ${checked.order.spareUnits} spare units ` +
        `(${(input.spareRateBps / 100).toFixed(2)} %), delivery ${delivery.toString()}.` +
        (creditLines.length > 0 ? `\nCredits from earlier orders applied: ${creditLines.join('; ')}.` : '');
      await tx.insert(outbox).values({
        topic: 'oem_order.created',
        recipient: client.email ?? roleRecipient('sales'),
        subject: `OEM order ${orderNumber} — OEM 订单 ${orderNumber}`,
        body,
        payload: { orderId: row.id, creditsApplied: appliedIds },
      });
      return row.id;
    });
    return await orderView(deps.db, versions, orderId);
  } catch (err) {
    if (isUniqueViolation(err, 'oem_orders_client_order_number_idx')) {
      throw new AppError(
        'conflict',
        'ORDER_NUMBER_TAKEN',
        `order number ${input.orderNumber ?? ''} is already used by one of the client’s orders`,
        {
          field: 'orderNumber',
        },
      );
    }
    throw err;
  }
}
