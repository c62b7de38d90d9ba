import { and, eq, sql } from 'drizzle-orm';
import { replacementShipments } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn } from '../../domain/calendar.js';
import { moveShipment } from '../../domain/oem/shipment.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { assertVersion, versionConflict } from '../optimistic-lock.js';
import { type OemDeps, type ReplacementShipmentView, replacementShipmentViews } from './oem-records.js';
import {
  type MoveShipmentInput,
  notifyShipmentMoved,
  shipmentMoveOf,
  shipmentRefusal,
  snapshotOf,
  shipmentAuditData,
} from './shipment-records.js';
import { recordReplacementEvent } from './oem-events.js';

export const replacementShipmentNotFound = {
  code: 'REPLACEMENT_SHIPMENT_NOT_FOUND',
  message: 'no such replacement shipment',
};

/**
 * Sales (or an admin) moves the replacement shipment a client chose for its excess defects: into
 * production, shipped by air, sea or road with its carrier and waybill, delivered — or cancelled
 * before it leaves. The move, its audit event and the client's message (when it ships and when it
 * arrives) stand or fall together; a stale version is a 409.
 */
export async function moveReplacementShipment(
  deps: OemDeps,
  actor: Actor,
  id: string,
  input: MoveShipmentInput,
): Promise<ReplacementShipmentView> {
  const now = deps.now();
  const today = calendarDateIn(now, deps.storeTimeZone);
  const move = shipmentMoveOf(input, today, deps.storeTimeZone);
  const row = await deps.db.transaction(async (tx) => {
    const [shipment] = await tx
      .select()
      .from(replacementShipments)
      .where(eq(replacementShipments.id, id))
      .for('update');
    if (!shipment) {
      throw new AppError('not_found', replacementShipmentNotFound.code, replacementShipmentNotFound.message);
    }
    assertAllowed(
      actor,
      'replacementShipments.ship',
      { oemClientId: shipment.clientId },
      replacementShipmentNotFound,
    );
    assertVersion('replacement shipment', shipment, input.expectedVersion);

    const moved = moveShipment(snapshotOf('replacement', shipment), move);
    if (!moved.ok) throw shipmentRefusal(moved.error);
    const next = moved.shipment;

    const [updated] = await tx
      .update(replacementShipments)
      .set({
        state: next.state,
        shippingMode: next.shippingMode,
        carrier: next.carrier,
        waybill: next.waybill,
        shippedOn: next.shippedOn,
        deliveredOn: next.deliveredOn,
        cancellationReason: next.cancellationReason,
        version: sql`${replacementShipments.version} + 1`,
        updatedAt: new Date(now.epochMilliseconds),
      })
      .where(
        and(
          eq(replacementShipments.id, shipment.id),
          eq(replacementShipments.version, input.expectedVersion),
        ),
      )
      .returning();
    if (!updated) throw versionConflict('replacement shipment', shipment.version);

    await recordAudit(tx, actor, {
      action: `replacement_shipment.${next.state}`,
      entityType: 'replacement_shipment',
      entityId: shipment.id,
      data: shipmentAuditData(shipment.state, next, updated.version),
    });

    if (moved.notify) {
      await notifyShipmentMoved(tx, {
        kind: 'replacement',
        topic: `replacement_shipment.${next.state}`,
        clientId: shipment.clientId,
        orderId: shipment.orderId,
        number: shipment.shipmentNumber,
        units: shipment.units,
        shipment: next,
        ids: {
          replacementShipmentId: shipment.id,
          resolutionId: shipment.resolutionId,
        },
      });
    }
    if (shipment.state !== next.state && (next.state === 'shipped' || next.state === 'delivered')) {
      await recordReplacementEvent(tx, `replacement_shipment.${next.state}`, updated, now);
    }
    return updated;
  });
  const [view] = await replacementShipmentViews(deps.db, [row]);
  if (!view) throw new Error('no view of the replacement shipment');
  return view;
}
