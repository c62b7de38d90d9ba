/*
 * A unit's life in the registry (table `units`), as data. The registry is the truth for replacements:
 * a unit handed over as a same-type replacement must be one the maker has on record, still in stock,
 * and a unit that came back can never be sold, handed over or returned again.
 *
 *   in_stock ── sell ──────────────▶ sold ───────── return ──▶ returned
 *   in_stock ── hand over as new ──▶ replacement ── return ──▶ returned
 *   in_stock ── return ────────────▶ returned   (a sale recorded by SKU alone: the unit comes back
 *                                                 with a serial the sale never named)
 */

export const unitStates = ['in_stock', 'sold', 'replacement', 'returned'] as const;
export type UnitState = (typeof unitStates)[number];

export const unitEvents = ['sell', 'handOver', 'return'] as const;
export type UnitEvent = (typeof unitEvents)[number];

/** Which event moves a unit from which states to which: the whole state machine. */
export const unitTransitions = {
  sell: { from: ['in_stock'], to: 'sold' },
  handOver: { from: ['in_stock'], to: 'replacement' },
  return: { from: ['in_stock', 'sold', 'replacement'], to: 'returned' },
} as const satisfies Record<UnitEvent, { from: readonly UnitState[]; to: UnitState }>;

export type UnitRefusalCode =
  'UNIT_ALREADY_SOLD' | 'UNIT_ALREADY_REPLACEMENT' | 'UNIT_ALREADY_RETURNED' | 'UNIT_NOT_HANDED_OUT';

export type UnitTransition =
  | { ok: true; from: UnitState; to: UnitState }
  | { ok: false; code: UnitRefusalCode; state: UnitState; allowedFrom: readonly UnitState[] };

/** Why a unit in `state` cannot take `event`: each refusal names what the unit already is. */
const refusalOf = (state: UnitState): UnitRefusalCode => {
  switch (state) {
    case 'sold':
      return 'UNIT_ALREADY_SOLD';
    case 'replacement':
      return 'UNIT_ALREADY_REPLACEMENT';
    case 'returned':
      return 'UNIT_ALREADY_RETURNED';
    case 'in_stock':
      return 'UNIT_NOT_HANDED_OUT';
  }
};

/** The move `event` makes from `state`, or why it is refused. */
export function unitTransition(state: UnitState, event: UnitEvent): UnitTransition {
  const rule = unitTransitions[event];
  const from: readonly UnitState[] = rule.from;
  if (from.includes(state)) return { ok: true, from: state, to: rule.to };
  return { ok: false, code: refusalOf(state), state, allowedFrom: from };
}
