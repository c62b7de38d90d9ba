import { and, eq, sql } from 'drizzle-orm';
import { oemOrders, outbox } from '../../../db/schema.js';
import type { Actor } from '../../../domain/access/access.js';
import { moveOemOrder } from '../../../domain/oem/order-state.js';
import { assertAllowed } from '../../access.js';
import { recordAudit } from '../../audit.js';
import { bilingual } from '../../messages/index.js';
import { AppError } from '../../errors.js';
import { assertVersion } from '../../optimistic-lock.js';
import { roleRecipient } from '../../service-messages.js';
import { loadOrder, type OemDeps, type OemOrderView, orderNotFound, orderView } from '../oem-records.js';
import { illegalMove } from './confirm-oem-order.js';

/** Sales decline a requested order, with the reason the client reads on the order and in a message. */
export async function declineOemOrder(
  deps: OemDeps,
  actor: Actor,
  orderId: string,
  input: { reason: string; expectedVersion: number },
): Promise<OemOrderView> {
  const versions = await deps.policies.versions();
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const loaded = await loadOrder(tx, orderId, true);
    if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
    const { order } = loaded;
    assertAllowed(actor, 'oemOrders.confirm', { oemClientId: order.clientId }, orderNotFound);
    const reason = input.reason.trim();
    const move = moveOemOrder(order.state, { to: 'declined', reason });
    if (!move.ok) throw illegalMove(move.error, { field: 'reason' });
    assertVersion('OEM order', order, input.expectedVersion);
    await tx
      .update(oemOrders)
      .set({
        state: 'declined',
        declineReason: reason,
        version: sql`${oemOrders.version} + 1`,
        updatedAt: new Date(now.epochMilliseconds),
      })
      .where(and(eq(oemOrders.id, order.id), eq(oemOrders.state, 'requested')));
    await recordAudit(tx, actor, {
      action: 'oem_order.declined',
      entityType: 'oem_order',
      entityId: order.id,
      data: { from: order.state, to: 'declined', reason },
    });
    await tx.insert(outbox).values({
      topic: 'oem_order.declined',
      recipient: loaded.clientEmail ?? roleRecipient('sales'),
      ...bilingual((m) => m.oem.orderDeclined({ orderNumber: order.orderNumber, reason })),
      payload: { orderId: order.id },
    });
  });
  return orderView(deps.db, versions, orderId);
}
