import { Temporal } from '../calendar.js';

/*
 * What the maker ships to an OEM client after a defect: a remake order (a confirmed batch defect,
 * policy clause OEM 2: "make new products and send to customers by air, and bear the total cost") or
 * a replacement shipment (the client's chosen remedy for defects beyond the spares, clause OEM 1:
 * "use new products to replace"). One life for both, as data; pure: the caller passes the day.
 */

export const shipmentStates = ['planned', 'in_production', 'shipped', 'delivered', 'cancelled'] as const;
export type ShipmentState = (typeof shipmentStates)[number];

export const shipmentKinds = ['remake', 'replacement'] as const;
export type ShipmentKind = (typeof shipmentKinds)[number];

export const shippingModes = ['air', 'sea', 'road'] as const;
export type ShippingMode = (typeof shippingModes)[number];

/**
 * The shipment's life: made, then sent with its carrier and waybill, then received. It may be called
 * off until it leaves the factory; once shipped it is on its way and only delivery ends it.
 */
export const shipmentTransitions = {
  planned: { to: ['in_production', 'cancelled'] },
  in_production: { to: ['shipped', 'cancelled'] },
  shipped: { to: ['delivered'] },
  delivered: { to: [] },
  cancelled: { to: [] },
} as const satisfies Record<ShipmentState, { to: readonly ShipmentState[] }>;

/** States in which nothing has left the factory: a remake in one of them may still take more units. */
export const openShipmentStates = ['planned', 'in_production'] as const satisfies readonly ShipmentState[];

export function isOpenShipment(state: ShipmentState): boolean {
  return (openShipmentStates as readonly ShipmentState[]).includes(state);
}

/**
 * How each kind may travel. A remake goes by air, as the policy promises for a batch defect; a
 * replacement goes the way the maker's staff choose (by sea unless they say otherwise: the client
 * still has the order's good units, and the policy promises air only for batch defects).
 */
export const allowedShippingModes = {
  remake: ['air'],
  replacement: ['air', 'sea', 'road'],
} as const satisfies Record<ShipmentKind, readonly ShippingMode[]>;

export const defaultShippingMode = {
  remake: 'air',
  replacement: 'sea',
} as const satisfies Record<ShipmentKind, ShippingMode>;

export const MAX_CARRIER_LENGTH = 100;
export const MAX_WAYBILL_LENGTH = 64;
export const MAX_CANCELLATION_REASON_LENGTH = 500;

export type ShipmentSnapshot = {
  kind: ShipmentKind;
  state: ShipmentState;
  shippingMode: ShippingMode;
  carrier: string | null;
  /** The air waybill or the carrier's tracking number. */
  waybill: string | null;
  /** Calendar days in the store's time zone (YYYY-MM-DD). */
  shippedOn: string | null;
  deliveredOn: string | null;
  cancellationReason: string | null;
};

export type ShipmentMove = {
  to: ShipmentState;
  /** The store's calendar day of the move: the default day, and no recorded day may be after it. */
  today: Temporal.PlainDate;
  carrier?: string | undefined;
  waybill?: string | undefined;
  shippingMode?: ShippingMode | undefined;
  shippedOn?: Temporal.PlainDate | undefined;
  deliveredOn?: Temporal.PlainDate | undefined;
  reason?: string | undefined;
};

export type ShipmentMoveError =
  | {
      code: 'ILLEGAL_TRANSITION';
      message: string;
      from: ShipmentState;
      to: ShipmentState;
      allowed: readonly ShipmentState[];
    }
  | { code: 'CARRIER_REQUIRED'; message: string; field: 'carrier' }
  | { code: 'WAYBILL_REQUIRED'; message: string; field: 'waybill' }
  | {
      code: 'SHIPPING_MODE_NOT_ALLOWED';
      message: string;
      field: 'shippingMode';
      allowed: readonly ShippingMode[];
    }
  | { code: 'DAY_IN_FUTURE'; message: string; field: 'shippedOn' | 'deliveredOn' }
  | { code: 'DELIVERED_BEFORE_SHIPPED'; message: string; field: 'deliveredOn' }
  | { code: 'REASON_REQUIRED'; message: string; field: 'reason' }
  | {
      code: 'FIELD_NOT_FOR_THIS_MOVE';
      message: string;
      field: 'carrier' | 'waybill' | 'shippingMode' | 'shippedOn' | 'deliveredOn' | 'reason';
    };

export type ShipmentMoveResult =
  { ok: true; shipment: ShipmentSnapshot; notify: boolean } | { ok: false; error: ShipmentMoveError };

export function allowedShipmentMoves(state: ShipmentState): readonly ShipmentState[] {
  return shipmentTransitions[state].to;
}

const what = { remake: 'a remake order', replacement: 'a replacement shipment' } as const;
const blank = (s: string | undefined) => !s?.trim();

/** The fields a move may carry: anything else is refused, never silently dropped. */
const fieldsOfMove: Record<ShipmentState, readonly (keyof ShipmentMove)[]> = {
  planned: [],
  in_production: [],
  shipped: ['carrier', 'waybill', 'shippingMode', 'shippedOn'],
  delivered: ['deliveredOn'],
  cancelled: ['reason'],
};
const optionalFields = ['carrier', 'waybill', 'shippingMode', 'shippedOn', 'deliveredOn', 'reason'] as const;

/**
 * Moves a shipment, pure. Shipping records the carrier, the waybill (both required) and the day it
 * left (today by default); a remake leaves only by air. Delivery records the day it arrived, never
 * before it left. Cancelling says why. `notify`: the client is told of this move (shipped, delivered).
 */
export function moveShipment(current: ShipmentSnapshot, move: ShipmentMove): ShipmentMoveResult {
  const allowed = allowedShipmentMoves(current.state);
  if (!allowed.includes(move.to)) {
    return {
      ok: false,
      error: {
        code: 'ILLEGAL_TRANSITION',
        message: `${what[current.kind]} cannot go from ${current.state} to ${move.to}; it may go to ${allowed.length ? allowed.join(', ') : 'nowhere: it is finished'}`,
        from: current.state,
        to: move.to,
        allowed,
      },
    };
  }
  for (const field of optionalFields) {
    if (move[field] !== undefined && !fieldsOfMove[move.to].includes(field)) {
      return {
        ok: false,
        error: {
          code: 'FIELD_NOT_FOR_THIS_MOVE',
          message: `${field} is not recorded by a move to ${move.to}`,
          field,
        },
      };
    }
  }

  const next: ShipmentSnapshot = { ...current, state: move.to };
  switch (move.to) {
    case 'shipped': {
      if (blank(move.carrier)) {
        return {
          ok: false,
          error: { code: 'CARRIER_REQUIRED', message: 'say which carrier takes it', field: 'carrier' },
        };
      }
      if (blank(move.waybill)) {
        return {
          ok: false,
          error: {
            code: 'WAYBILL_REQUIRED',
            message: 'a shipment leaves with its air waybill or tracking number',
            field: 'waybill',
          },
        };
      }
      const mode = move.shippingMode ?? current.shippingMode;
      const modes: readonly ShippingMode[] = allowedShippingModes[current.kind];
      if (!modes.includes(mode)) {
        return {
          ok: false,
          error: {
            code: 'SHIPPING_MODE_NOT_ALLOWED',
            message:
              current.kind === 'remake'
                ? `a remake for a batch defect is sent by air at the maker's cost, not by ${mode}`
                : `${what[current.kind]} goes by ${modes.join(', ')}, not by ${mode}`,
            field: 'shippingMode',
            allowed: modes,
          },
        };
      }
      const shippedOn = move.shippedOn ?? move.today;
      if (Temporal.PlainDate.compare(shippedOn, move.today) > 0) {
        return {
          ok: false,
          error: { code: 'DAY_IN_FUTURE', message: 'it cannot have left after today', field: 'shippedOn' },
        };
      }
      next.shippingMode = mode;
      next.carrier = move.carrier?.trim() ?? null;
      next.waybill = move.waybill?.trim() ?? null;
      next.shippedOn = shippedOn.toString();
      return { ok: true, shipment: next, notify: true };
    }
    case 'delivered': {
      const deliveredOn = move.deliveredOn ?? move.today;
      if (Temporal.PlainDate.compare(deliveredOn, move.today) > 0) {
        return {
          ok: false,
          error: {
            code: 'DAY_IN_FUTURE',
            message: 'it cannot have arrived after today',
            field: 'deliveredOn',
          },
        };
      }
      if (
        current.shippedOn !== null &&
        Temporal.PlainDate.compare(deliveredOn, Temporal.PlainDate.from(current.shippedOn)) < 0
      ) {
        return {
          ok: false,
          error: {
            code: 'DELIVERED_BEFORE_SHIPPED',
            message: `it left on ${current.shippedOn}: it cannot have arrived before`,
            field: 'deliveredOn',
          },
        };
      }
      next.deliveredOn = deliveredOn.toString();
      return { ok: true, shipment: next, notify: true };
    }
    case 'cancelled': {
      if (blank(move.reason)) {
        return {
          ok: false,
          error: {
            code: 'REASON_REQUIRED',
            message: `say why ${what[current.kind]} is cancelled`,
            field: 'reason',
          },
        };
      }
      next.cancellationReason = move.reason?.trim() ?? null;
      return { ok: true, shipment: next, notify: false };
    }
    default:
      return { ok: true, shipment: next, notify: false };
  }
}
