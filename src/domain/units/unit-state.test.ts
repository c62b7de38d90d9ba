import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unitEvents, unitStates, unitTransition, type UnitState } from './unit-state.js';

/** Runs events from in_stock, skipping refused ones; returns the states visited and the moves made. */
function run(events: readonly (typeof unitEvents)[number][]) {
  let state: UnitState = 'in_stock';
  const moves: { event: string; from: UnitState; to: UnitState }[] = [];
  for (const event of events) {
    const r = unitTransition(state, event);
    if (r.ok) {
      moves.push({ event, from: state, to: r.to });
      state = r.to;
    }
  }
  return { state, moves };
}

describe('unit states', () => {
  it('walks the life of a unit: sold, then returned, then nothing', () => {
    expect(unitTransition('in_stock', 'sell')).toEqual({ ok: true, from: 'in_stock', to: 'sold' });
    expect(unitTransition('sold', 'return')).toEqual({ ok: true, from: 'sold', to: 'returned' });
    expect(unitTransition('returned', 'sell')).toMatchObject({ ok: false, code: 'UNIT_ALREADY_RETURNED' });
    expect(unitTransition('replacement', 'handOver')).toMatchObject({
      ok: false,
      code: 'UNIT_ALREADY_REPLACEMENT',
    });
    expect(unitTransition('sold', 'handOver')).toMatchObject({ ok: false, code: 'UNIT_ALREADY_SOLD' });
  });

  it('never leaves returned, whatever happens after', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...unitEvents), { maxLength: 20 }), (events) => {
        for (const event of events) expect(unitTransition('returned', event).ok).toBe(false);
      }),
    );
  });

  it('sells, hands over and returns a unit at most once in any sequence of events', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...unitEvents), { maxLength: 30 }), (events) => {
        const { moves } = run(events);
        const count = (e: string) => moves.filter((m) => m.event === e).length;
        expect(count('return')).toBeLessThanOrEqual(1);
        // Out of stock once: a unit is sold or handed over, never both, never twice.
        expect(count('sell') + count('handOver')).toBeLessThanOrEqual(1);
        expect(moves.length).toBeLessThanOrEqual(2);
      }),
    );
  });

  it('refuses with the state the unit is in and the states the event needs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...unitStates), fc.constantFrom(...unitEvents), (state, event) => {
        const r = unitTransition(state, event);
        if (r.ok) expect(r.from).toBe(state);
        else {
          expect(r.state).toBe(state);
          expect(r.allowedFrom).not.toContain(state);
        }
      }),
    );
  });
});
