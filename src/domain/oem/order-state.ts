/*
 * An OEM order's life, as data (a refused move's 409 lists `allowed`). The client requests an order —
 * product, quantity, the delivery it wants, its own number — and names no price: the maker's sales
 * confirm it at the contract price in force for that client and product (the price list) with a spare
 * rate within the policy's range, or decline it with a reason the client reads. Only a confirmed order
 * carries lots, takes defect reports and gives or takes credits. Orders booked before requests existed
 * were migrated as confirmed.
 */

export const oemOrderStates = ['requested', 'confirmed', 'declined'] as const;
export type OemOrderState = (typeof oemOrderStates)[number];

export const oemOrderTransitions = {
  requested: { to: ['confirmed', 'declined'] },
  confirmed: { to: [] },
  declined: { to: [] },
} as const satisfies Record<OemOrderState, { to: readonly OemOrderState[] }>;

export const MAX_DECLINE_REASON_LENGTH = 1000;

export type OemOrderMoveError =
  | {
      code: 'ILLEGAL_TRANSITION';
      message: string;
      from: OemOrderState;
      to: OemOrderState;
      allowed: readonly OemOrderState[];
    }
  | { code: 'REASON_REQUIRED'; message: string };

export function allowedOrderMoves(state: OemOrderState): readonly OemOrderState[] {
  return oemOrderTransitions[state].to;
}

/** Whether an order may move: declining needs a reason the client will read. */
export function moveOemOrder(
  from: OemOrderState,
  move: { to: OemOrderState; reason?: string | undefined },
): { ok: true } | { ok: false; error: OemOrderMoveError } {
  const allowed = allowedOrderMoves(from);
  if (!allowed.includes(move.to)) {
    return {
      ok: false,
      error: {
        code: 'ILLEGAL_TRANSITION',
        message: `a ${from} order cannot become ${move.to}${allowed.length ? ` (only ${allowed.join(', ')})` : ''}`,
        from,
        to: move.to,
        allowed,
      },
    };
  }
  if (move.to === 'declined' && !move.reason?.trim()) {
    return { ok: false, error: { code: 'REASON_REQUIRED', message: 'say why the order is declined' } };
  }
  return { ok: true };
}
