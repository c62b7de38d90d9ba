import { and, eq, sql } from 'drizzle-orm';
import { remakeOrders } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn } from '../../domain/calendar.js';
import { moveShipment } from '../../domain/oem/shipment.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { assertVersion, versionConflict } from '../optimistic-lock.js';
import { type OemDeps, type RemakeOrderView, remakeOrderViews } from './oem-records.js';
import {
  type MoveShipmentInput,
  notifyShipmentMoved,
  shipmentMoveOf,
  shipmentRefusal,
  snapshotOf,
  shipmentAuditData,
} from './shipment-records.js';
import { recordRemakeEvent } from './oem-events.js';

export const remakeNotFound = { code: 'REMAKE_ORDER_NOT_FOUND', message: 'no such remake order' };

/**
 * QA moves a remake order of a confirmed batch defect: into production, shipped by air with its
 * carrier and air waybill, delivered — or cancelled before it leaves. The move, its audit event and the
 * client's message (when it ships and when it arrives) stand or fall together; a stale version is a 409.
 */
export async function moveRemakeOrder(
  deps: OemDeps,
  actor: Actor,
  id: string,
  input: MoveShipmentInput,
): Promise<RemakeOrderView> {
  const now = deps.now();
  const today = calendarDateIn(now, deps.storeTimeZone);
  const move = shipmentMoveOf(input, today, deps.storeTimeZone);
  const row = await deps.db.transaction(async (tx) => {
    const [remake] = await tx.select().from(remakeOrders).where(eq(remakeOrders.id, id)).for('update');
    if (!remake) throw new AppError('not_found', remakeNotFound.code, remakeNotFound.message);
    assertAllowed(actor, 'remakeOrders.ship', { oemClientId: remake.clientId }, remakeNotFound);
    assertVersion('remake order', remake, input.expectedVersion);

    const moved = moveShipment(snapshotOf('remake', remake), move);
    if (!moved.ok) throw shipmentRefusal(moved.error);
    const next = moved.shipment;

    const [updated] = await tx
      .update(remakeOrders)
      .set({
        state: next.state,
        shippingMode: next.shippingMode,
        carrier: next.carrier,
        waybill: next.waybill,
        shippedOn: next.shippedOn,
        deliveredOn: next.deliveredOn,
        cancellationReason: next.cancellationReason,
        version: sql`${remakeOrders.version} + 1`,
        updatedAt: new Date(now.epochMilliseconds),
      })
      .where(and(eq(remakeOrders.id, remake.id), eq(remakeOrders.version, input.expectedVersion)))
      .returning();
    if (!updated) throw versionConflict('remake order', remake.version);

    await recordAudit(tx, actor, {
      action: `remake_order.${next.state}`,
      entityType: 'remake_order',
      entityId: remake.id,
      data: shipmentAuditData(remake.state, next, updated.version),
    });

    if (moved.notify) {
      await notifyShipmentMoved(tx, {
        kind: 'remake',
        topic: `remake_order.${next.state}`,
        clientId: remake.clientId,
        orderId: remake.orderId,
        number: remake.remakeNumber,
        units: updated.units,
        shipment: next,
        ids: {
          remakeOrderId: remake.id,
          investigationId: remake.investigationId,
        },
      });
    }
    if (remake.state !== next.state && (next.state === 'shipped' || next.state === 'delivered')) {
      await recordRemakeEvent(tx, `remake_order.${next.state}`, updated, now);
    }
    return updated;
  });
  const [view] = await remakeOrderViews(deps.db, [row]);
  if (!view) throw new Error('no view of the remake order');
  return view;
}
