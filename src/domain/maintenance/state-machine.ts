import type { Temporal } from '../calendar.js';

export const maintenanceStates = [
  'issued',
  'awaitingParts',
  'received',
  'diagnosing',
  'repairing',
  'repaired',
  'returned',
  'closed',
  'cancelled',
  'paidService',
] as const;
export type MaintenanceState = (typeof maintenanceStates)[number];

export const maintenanceModes = ['walk_in', 'mail_in'] as const;
export type MaintenanceMode = (typeof maintenanceModes)[number];

/**
 * The maintenance order's life, as data: the table is the documentation, and a refused move answers
 * with `transitions[state].to`. A walk-in order is received when the customer brings the product; a
 * mail-in one waits for the parts first. Inspection finding misuse turns the order into a paid-service
 * offer, which the customer accepts (repair goes on) or declines (the product goes back unrepaired).
 */
export const maintenanceTransitions = {
  issued: { to: ['awaitingParts', 'received', 'cancelled'] },
  awaitingParts: { to: ['received', 'cancelled'] },
  received: { to: ['diagnosing', 'cancelled'] },
  diagnosing: { to: ['repairing', 'paidService', 'returned'] },
  paidService: { to: ['repairing', 'returned'] },
  repairing: { to: ['repaired'] },
  repaired: { to: ['returned'] },
  returned: { to: ['closed'] },
  closed: { to: [] },
  cancelled: { to: [] },
} as const satisfies Record<MaintenanceState, { to: readonly MaintenanceState[] }>;

export type MaintenanceOrderSnapshot = {
  state: MaintenanceState;
  mode: MaintenanceMode;
  receivedOn: string | null;
  /** Set when inspection found damage caused by misuse. */
  humanDamageFound: boolean;
  returnTracking: string | null;
};

/** What a move may carry: the day of receipt, the finding, the return's tracking number. */
export type TransitionInput = {
  to: MaintenanceState;
  /** The calendar day of the move in the center's time zone. */
  on: Temporal.PlainDate;
  returnTracking?: string | undefined;
  humanDamage?: boolean | undefined;
};

export type TransitionError =
  | {
      code: 'ILLEGAL_TRANSITION';
      message: string;
      from: MaintenanceState;
      to: MaintenanceState;
      allowed: readonly MaintenanceState[];
    }
  | { code: 'RETURN_TRACKING_REQUIRED'; message: string }
  | { code: 'HUMAN_DAMAGE_NOT_FOUND'; message: string }
  | { code: 'PAID_SERVICE_OFFER_PENDING'; message: string };

export type TransitionResult =
  | { ok: true; order: MaintenanceOrderSnapshot; startsServiceClock: boolean }
  | { ok: false; error: TransitionError };

export function allowedMoves(state: MaintenanceState): readonly MaintenanceState[] {
  return maintenanceTransitions[state].to;
}

/**
 * Guards that may refuse a legal move, by target state (Vendure's onTransitionStart): they hold the
 * business rules the table alone cannot say.
 */
const guards: Partial<
  Record<
    MaintenanceState,
    (order: MaintenanceOrderSnapshot, input: TransitionInput) => TransitionError | undefined
  >
> = {
  returned: (order, input) =>
    order.mode === 'mail_in' && !input.returnTracking?.trim()
      ? {
          code: 'RETURN_TRACKING_REQUIRED',
          message: 'a mail-in product goes back with a tracking number',
        }
      : undefined,
  paidService: (_order, input) =>
    input.humanDamage === true
      ? undefined
      : {
          code: 'HUMAN_DAMAGE_NOT_FOUND',
          message:
            'only damage caused by misuse, found on inspection, turns a maintenance order into paid service',
        },
  repairing: (order) =>
    // Repair after a misuse finding goes on only through the accepted paid-service offer.
    order.state === 'diagnosing' && order.humanDamageFound
      ? {
          code: 'PAID_SERVICE_OFFER_PENDING',
          message: 'misuse was found: the customer must accept the paid-service offer first',
        }
      : undefined,
};

/** Moves an order, pure: the caller stores the result (with its version check) and the audit event. */
export function transitionMaintenanceOrder(
  order: MaintenanceOrderSnapshot,
  input: TransitionInput,
): TransitionResult {
  const allowed = allowedMoves(order.state);
  if (!allowed.includes(input.to)) {
    return {
      ok: false,
      error: {
        code: 'ILLEGAL_TRANSITION',
        message: `a maintenance order cannot go from ${order.state} to ${input.to}; it may go to ${allowed.length ? allowed.join(', ') : 'nowhere: it is finished'}`,
        from: order.state,
        to: input.to,
        allowed,
      },
    };
  }
  const refused = guards[input.to]?.(order, input);
  if (refused) return { ok: false, error: refused };

  const next: MaintenanceOrderSnapshot = { ...order, state: input.to };
  if (input.to === 'received') next.receivedOn = input.on.toString();
  if (input.to === 'paidService') next.humanDamageFound = true;
  if (input.to === 'returned' && input.returnTracking) next.returnTracking = input.returnTracking.trim();
  return { ok: true, order: next, startsServiceClock: input.to === 'received' };
}
