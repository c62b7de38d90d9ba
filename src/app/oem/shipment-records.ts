import { eq } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import { oemClients, oemOrders, outbox } from '../../db/schema.js';
import { parseCalendarInput, type Temporal } from '../../domain/calendar.js';
import {
  allowedShipmentMoves,
  type ShipmentKind,
  type ShipmentMove,
  type ShipmentMoveError,
  type ShipmentSnapshot,
  type ShipmentState,
  type ShippingMode,
} from '../../domain/oem/shipment.js';
import { AppError } from '../errors.js';
import { bilingual, type Mail } from '../messages/index.js';
import { roleRecipient } from '../service-messages.js';

/* What moving a remake order and a replacement shipment share: the request, the refusals, the views, the messages. */

export type MoveShipmentInput = {
  to: ShipmentState;
  /** The version the caller read: a move on a stale screen is refused. */
  expectedVersion: number;
  carrier?: string | undefined;
  waybill?: string | undefined;
  shippingMode?: ShippingMode | undefined;
  /** A calendar day (or a date-time with an offset, taken in the store's time zone); today by default. */
  shippedOn?: string | undefined;
  deliveredOn?: string | undefined;
  reason?: string | undefined;
};

/** The shipment columns of a remake order or a replacement shipment row. */
type ShipmentRow = {
  state: ShipmentState;
  shippingMode: ShippingMode;
  carrier: string | null;
  waybill: string | null;
  shippedOn: string | null;
  deliveredOn: string | null;
  cancellationReason: string | null;
  version: number;
};

export type ShipmentFields = ShipmentRow & { allowedMoves: ShipmentState[] };

export function shipmentFields(row: ShipmentRow): ShipmentFields {
  return {
    state: row.state,
    shippingMode: row.shippingMode,
    carrier: row.carrier,
    waybill: row.waybill,
    shippedOn: row.shippedOn,
    deliveredOn: row.deliveredOn,
    cancellationReason: row.cancellationReason,
    version: row.version,
    allowedMoves: [...allowedShipmentMoves(row.state)],
  };
}

export function snapshotOf(kind: ShipmentKind, row: ShipmentRow): ShipmentSnapshot {
  return {
    kind,
    state: row.state,
    shippingMode: row.shippingMode,
    carrier: row.carrier,
    waybill: row.waybill,
    shippedOn: row.shippedOn,
    deliveredOn: row.deliveredOn,
    cancellationReason: row.cancellationReason,
  };
}

/** The days a move names, read in the store's time zone; a malformed one is a 400 on its field. */
export function dayOf(
  input: string | undefined,
  field: 'shippedOn' | 'deliveredOn',
  timeZone: string,
): Temporal.PlainDate | undefined {
  if (input === undefined) return undefined;
  const day = parseCalendarInput(input, timeZone);
  if ('code' in day) throw new AppError('invalid', 'INVALID_DATE', `${field}: ${day.message}`, { field });
  return day;
}

const blankToUndefined = (text: string | undefined) => (text?.trim() ? text : undefined);

/**
 * The domain's move from the request: days read in the store's time zone, and a blank text field taken
 * as left out (so a blank waybill is WAYBILL_REQUIRED, a blank carrier on another move no refusal).
 */
export function shipmentMoveOf(
  input: MoveShipmentInput,
  today: Temporal.PlainDate,
  timeZone: string,
): ShipmentMove {
  return {
    to: input.to,
    today,
    carrier: blankToUndefined(input.carrier),
    waybill: blankToUndefined(input.waybill),
    shippingMode: input.shippingMode,
    shippedOn: dayOf(input.shippedOn, 'shippedOn', timeZone),
    deliveredOn: dayOf(input.deliveredOn, 'deliveredOn', timeZone),
    reason: blankToUndefined(input.reason),
  };
}

export function shipmentRefusal(error: ShipmentMoveError): AppError {
  switch (error.code) {
    case 'ILLEGAL_TRANSITION':
      return new AppError('conflict', error.code, error.message, {
        from: error.from,
        to: error.to,
        allowed: error.allowed,
      });
    case 'SHIPPING_MODE_NOT_ALLOWED':
      return new AppError('invalid', error.code, error.message, {
        field: error.field,
        allowed: error.allowed,
      });
    default:
      // The move is possible; the request lacks what it needs or says something impossible.
      return new AppError('invalid', error.code, error.message, { field: error.field });
  }
}

/**
 * Who hears of the shipment at the client: its e-mail address, else its phone (staff call it, the
 * outbox shows it), else sales, who keep the client's contact.
 */
export async function clientContact(tx: Transaction, clientId: string): Promise<string> {
  const [client] = await tx
    .select({ email: oemClients.email, phone: oemClients.phone })
    .from(oemClients)
    .where(eq(oemClients.id, clientId));
  return client?.email ?? client?.phone ?? roleRecipient('sales');
}

/**
 * The client's message when its units leave (with the carrier and the waybill to follow them) and
 * when they are recorded as delivered, in English and Chinese.
 */
export function shipmentMessage(args: {
  kind: ShipmentKind;
  number: string;
  orderNumber: string;
  units: number;
  shipment: ShipmentSnapshot;
}): Mail {
  const { kind: what, number, orderNumber, units, shipment: s } = args;
  const facts = { what, number, orderNumber, units };
  return s.state === 'shipped'
    ? bilingual((m) =>
        m.oem.shipped({
          ...facts,
          shippedOn: s.shippedOn ?? '',
          mode: s.shippingMode,
          carrier: s.carrier ?? '',
          waybill: s.waybill ?? '',
        }),
      )
    : bilingual((m) =>
        m.oem.delivered({
          ...facts,
          deliveredOn: s.deliveredOn ?? '',
          carrier: s.carrier ?? '',
          waybill: s.waybill ?? '',
        }),
      );
}

/**
 * Tells the client its units moved (shipped or delivered), under the order they are for: the message
 * in both languages, and the ids and the waybill in the payload.
 */
export async function notifyShipmentMoved(
  tx: Transaction,
  args: {
    kind: ShipmentKind;
    topic: string;
    clientId: string;
    orderId: string;
    number: string;
    units: number;
    shipment: ShipmentSnapshot;
    /** The ids of the shipment and what it came from. */
    ids: Record<string, unknown>;
  },
): Promise<void> {
  const { shipment } = args;
  const [order] = await tx
    .select({ orderNumber: oemOrders.orderNumber })
    .from(oemOrders)
    .where(eq(oemOrders.id, args.orderId));
  const message = shipmentMessage({
    kind: args.kind,
    number: args.number,
    orderNumber: order?.orderNumber ?? '',
    units: args.units,
    shipment,
  });
  await tx.insert(outbox).values({
    topic: args.topic,
    recipient: await clientContact(tx, args.clientId),
    subject: message.subject,
    body: message.body,
    payload: {
      ...args.ids,
      orderId: args.orderId,
      state: shipment.state,
      ...(shipment.state === 'shipped' ? { carrier: shipment.carrier, waybill: shipment.waybill } : {}),
    },
  });
}

/** What a move's audit event records: the two states, and what the move added to the shipment. */
export function shipmentAuditData(
  from: ShipmentState,
  next: ShipmentSnapshot,
  version: number,
): Record<string, unknown> {
  return {
    from,
    to: next.state,
    version,
    ...(next.state === 'shipped'
      ? {
          shippingMode: next.shippingMode,
          carrier: next.carrier,
          waybill: next.waybill,
          shippedOn: next.shippedOn,
        }
      : {}),
    ...(next.state === 'delivered' ? { deliveredOn: next.deliveredOn } : {}),
    ...(next.state === 'cancelled' ? { reason: next.cancellationReason } : {}),
  };
}
