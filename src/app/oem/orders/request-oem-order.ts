import { eq } from 'drizzle-orm';
import { isUniqueViolation } from '../../../db/errors.js';
import { oemClients, oemOrders, outbox, products } from '../../../db/schema.js';
import type { Actor } from '../../../domain/access/access.js';
import { calendarDateIn, parseCalendarInput } from '../../../domain/calendar.js';
import { spareAllowance } from '../../../domain/oem/spare-allowance.js';
import { policyInForce } from '../../../domain/policy/evaluate.js';
import { assertAllowed } from '../../access.js';
import { auditActor, recordAudit } from '../../audit.js';
import { bilingual } from '../../messages/index.js';
import { AppError } from '../../errors.js';
import { roleRecipient } from '../../service-messages.js';
import { nextNumber, type OemDeps, type OemOrderView, orderView } from '../oem-records.js';

export type RequestOemOrderInput = {
  /** Staff name the client; a client's own user leaves it out (or names its own). */
  clientId?: string | undefined;
  productId?: string | undefined;
  sku?: string | undefined;
  /** The client's own order number; one is made (OEM-2026-000123) when left out. Unique per client. */
  orderNumber?: string | undefined;
  quantity: number;
  /** The delivery the client wants; sales may set another when confirming. */
  deliveryDate: string;
};

export const clientNotFound = { code: 'OEM_CLIENT_NOT_FOUND', message: 'no such OEM client' };

export function invalid(code: string, message: string, field: string): AppError {
  return new AppError('invalid', code, message, { field });
}

/**
 * An OEM client requests an order: the product, how many, the delivery it wants and its own number —
 * never a price, a spare rate or lots (the request schema has no such fields). The order waits for the
 * maker's sales to confirm it at the contract price (`confirm-oem-order.ts`); sales are told.
 */
export async function requestOemOrder(
  deps: OemDeps,
  actor: Actor,
  input: RequestOemOrderInput,
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
  // The quantity is held to what the policy's spares can be worked out for (a whole number above zero).
  const spares = spareAllowance(input.quantity, inForce.value.oem.spareRateBps.min, inForce.value.oem);
  if ('code' in spares) throw invalid(spares.code, spares.message, 'quantity');
  const delivery = parseCalendarInput(input.deliveryDate.trim(), deps.storeTimeZone);
  if ('code' in delivery) throw invalid('INVALID_DATE', `deliveryDate: ${delivery.message}`, 'deliveryDate');

  try {
    const orderId = await deps.db.transaction(async (tx) => {
      const [client] = await tx
        .select({ id: oemClients.id, name: oemClients.name })
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
      const orderNumber =
        input.orderNumber?.trim() || (await nextNumber(tx, 'oem_order_number_seq', 'OEM', today.year));
      const [row] = await tx
        .insert(oemOrders)
        .values({
          orderNumber,
          clientId: client.id,
          productId: product.id,
          quantity: input.quantity,
          // No spares until sales confirm the order with a rate from the policy's range.
          spareRateBps: 0,
          spareUnits: 0,
          deliveryDate: delivery.toString(),
          state: 'requested',
          orderedOn: today.toString(),
          createdBy: auditActor(actor),
        })
        .returning({ id: oemOrders.id });
      if (!row) throw new Error('insert returned no OEM order');
      await recordAudit(tx, actor, {
        action: 'oem_order.requested',
        entityType: 'oem_order',
        entityId: row.id,
        data: {
          orderNumber,
          clientId: client.id,
          productId: product.id,
          quantity: input.quantity,
          deliveryDate: delivery.toString(),
          orderedOn: today.toString(),
        },
      });
      await tx.insert(outbox).values({
        topic: 'oem_order.requested',
        recipient: roleRecipient('sales'),
        ...bilingual((m) =>
          m.oem.orderRequested({
            clientName: client.name,
            orderNumber,
            quantity: input.quantity,
            sku: product.sku,
            delivery: delivery.toString(),
          }),
        ),
        payload: { orderId: row.id },
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
        { field: 'orderNumber' },
      );
    }
    throw err;
  }
}
