import { inArray } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import {
  type ExcessResolution,
  excessResolutions,
  type RemakeOrder,
  type ReplacementShipment,
} from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';
import { recordEvent, recordEvents } from '../events/record-event.js';
import { investigationView } from './investigation-records.js';
import {
  orderView,
  remakeOrderViews,
  replacementShipmentViews,
  type ReportRow,
  resolutionViews,
} from './oem-records.js';
import { defectReportViews } from './read-oem-orders.js';

/*
 * The OEM side's events, each written in the transaction that made the change, with the object as the
 * API shows it. Orders, reports, resolutions, remakes and shipments are their client's; investigations
 * are the maker's own (staff read them).
 */

type At = Temporal.Instant | Date;

export async function recordOrderBooked(
  tx: Transaction,
  versions: readonly PolicyVersion[],
  order: { id: string; clientId: string },
  occurredAt: At,
): Promise<void> {
  await recordEvent(tx, {
    type: 'oem_order.booked',
    subjectId: order.id,
    scope: { oemClientId: order.clientId },
    data: await orderView(tx, versions, order.id),
    occurredAt,
  });
}

export async function recordDefectReportEvents(
  tx: Transaction,
  reports: readonly ReportRow[],
  orderNumber: (orderId: string) => string,
  occurredAt: At,
): Promise<void> {
  const views = await defectReportViews(tx, reports, orderNumber);
  await recordEvents(
    tx,
    views.map((view, i) => ({
      type: 'oem_defects.reported' as const,
      subjectId: view.id,
      scope: { oemClientId: reports[i]?.clientId ?? null },
      data: view,
      occurredAt,
    })),
  );
}

/** Resolutions as they now stand (read again, so a credit just applied shows where it went). */
export async function recordResolutionEvents(
  tx: Transaction,
  type: 'oem_excess.resolved' | 'oem_credit.applied',
  resolutionIds: readonly string[],
  occurredAt: At,
): Promise<void> {
  if (resolutionIds.length === 0) return;
  const rows: ExcessResolution[] = await tx
    .select()
    .from(excessResolutions)
    .where(inArray(excessResolutions.id, [...resolutionIds]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = resolutionIds.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
  const views = await resolutionViews(tx, ordered);
  for (const view of views) {
    await recordEvent(tx, {
      type,
      subjectId: view.id,
      scope: { oemClientId: view.clientId },
      data: view,
      occurredAt,
    });
  }
}

export async function recordInvestigationEvent(
  tx: Transaction,
  type: 'batch_investigation.confirmed' | 'batch_investigation.dismissed',
  investigationId: string,
  occurredAt: At,
): Promise<void> {
  await recordEvent(tx, {
    type,
    subjectId: investigationId,
    scope: {},
    data: await investigationView(tx, investigationId),
    occurredAt,
  });
}

export async function recordRemakeEvent(
  tx: Transaction,
  type: 'remake_order.shipped' | 'remake_order.delivered',
  remake: RemakeOrder,
  occurredAt: At,
): Promise<void> {
  const [view] = await remakeOrderViews(tx, [remake]);
  if (!view) throw new Error(`remake order ${remake.id} has no view`);
  await recordEvent(tx, {
    type,
    subjectId: view.id,
    scope: { oemClientId: remake.clientId },
    data: view,
    occurredAt,
  });
}

export async function recordReplacementEvent(
  tx: Transaction,
  type: 'replacement_shipment.shipped' | 'replacement_shipment.delivered',
  shipment: ReplacementShipment,
  occurredAt: At,
): Promise<void> {
  const [view] = await replacementShipmentViews(tx, [shipment]);
  if (!view) throw new Error(`replacement shipment ${shipment.id} has no view`);
  await recordEvent(tx, {
    type,
    subjectId: view.id,
    scope: { oemClientId: shipment.clientId },
    data: view,
    occurredAt,
  });
}
