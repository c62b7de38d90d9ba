import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import {
  allowedMoves,
  type MaintenanceOrderSnapshot,
  maintenanceStates,
  maintenanceTransitions,
  transitionMaintenanceOrder,
} from './state-machine.js';

const on = Temporal.PlainDate.from('2026-11-25');
const issued = (mode: MaintenanceOrderSnapshot['mode'] = 'mail_in'): MaintenanceOrderSnapshot => ({
  state: 'issued',
  mode,
  receivedOn: null,
  humanDamageFound: false,
  returnTracking: null,
});

function walk(order: MaintenanceOrderSnapshot, steps: Parameters<typeof transitionMaintenanceOrder>[1][]) {
  let current = order;
  for (const step of steps) {
    const r = transitionMaintenanceOrder(current, step);
    if (!r.ok) throw new Error(`${step.to}: ${r.error.message}`);
    current = r.order;
  }
  return current;
}

describe('maintenance order state machine', () => {
  it('walks a mail-in repair from issue to close, starting the clock on receipt', () => {
    const awaiting = walk(issued(), [{ to: 'awaitingParts', on }]);
    const received = transitionMaintenanceOrder(awaiting, { to: 'received', on });
    expect(received).toMatchObject({
      ok: true,
      startsServiceClock: true,
      order: { receivedOn: '2026-11-25' },
    });
    if (!received.ok) return;
    const closed = walk(received.order, [
      { to: 'diagnosing', on },
      { to: 'repairing', on },
      { to: 'repaired', on },
      { to: 'returned', on, returnTracking: ' SF1234567890 ' },
      { to: 'closed', on },
    ]);
    expect(closed).toMatchObject({ state: 'closed', returnTracking: 'SF1234567890' });
  });

  it('lets a walk-in order be received at once and picked up without a tracking number', () => {
    const done = walk(issued('walk_in'), [
      { to: 'received', on },
      { to: 'diagnosing', on },
      { to: 'repairing', on },
      { to: 'repaired', on },
      { to: 'returned', on },
    ]);
    expect(done.state).toBe('returned');
  });

  it('refuses a mail-in return without a tracking number', () => {
    const repaired = walk(issued(), [
      { to: 'received', on },
      { to: 'diagnosing', on },
      { to: 'repairing', on },
      { to: 'repaired', on },
    ]);
    expect(transitionMaintenanceOrder(repaired, { to: 'returned', on, returnTracking: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'RETURN_TRACKING_REQUIRED' },
    });
  });

  it('turns to paid service only on a misuse finding; repair then waits for the accepted offer', () => {
    const diagnosing = walk(issued(), [
      { to: 'received', on },
      { to: 'diagnosing', on },
    ]);
    expect(transitionMaintenanceOrder(diagnosing, { to: 'paidService', on })).toMatchObject({
      ok: false,
      error: { code: 'HUMAN_DAMAGE_NOT_FOUND' },
    });
    const offered = walk(diagnosing, [{ to: 'paidService', on, humanDamage: true }]);
    expect(offered).toMatchObject({ state: 'paidService', humanDamageFound: true });
    expect(walk(offered, [{ to: 'repairing', on }]).state).toBe('repairing');
    expect(walk(offered, [{ to: 'returned', on, returnTracking: 'SF1' }]).state).toBe('returned');
  });

  it('answers an illegal move with the moves that are allowed', () => {
    const r = transitionMaintenanceOrder(issued(), { to: 'repaired', on });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'ILLEGAL_TRANSITION',
        from: 'issued',
        to: 'repaired',
        allowed: ['awaitingParts', 'received', 'cancelled'],
      },
    });
    const closed = { ...issued(), state: 'closed' as const };
    expect(transitionMaintenanceOrder(closed, { to: 'issued', on })).toMatchObject({
      ok: false,
      error: { allowed: [] },
    });
  });

  it('every state is reachable from issued, and closed or cancelled from every state', () => {
    const reachable = (from: string, seen = new Set<string>()): Set<string> => {
      seen.add(from);
      for (const to of allowedMoves(from as never)) if (!seen.has(to)) reachable(to, seen);
      return seen;
    };
    expect([...reachable('issued')].sort()).toEqual([...maintenanceStates].sort());
    for (const s of maintenanceStates) {
      const r = reachable(s);
      expect(r.has('closed') || r.has('cancelled')).toBe(true);
    }
  });

  it('never moves outside the table, whatever is asked (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...maintenanceStates), { maxLength: 30 }),
        fc.boolean(),
        (targets, damage) => {
          let order = issued();
          for (const to of targets) {
            const r = transitionMaintenanceOrder(order, {
              to,
              on,
              humanDamage: damage,
              returnTracking: 'T1',
            });
            const legal = (maintenanceTransitions[order.state].to as readonly string[]).includes(to);
            if (r.ok) {
              expect(legal).toBe(true);
              order = r.order;
            } else {
              // Outside the table: ILLEGAL_TRANSITION; inside it, only a guard may refuse.
              expect(r.error.code === 'ILLEGAL_TRANSITION').toBe(!legal);
            }
          }
          if (order.receivedOn !== null) expect(order.state).not.toBe('issued');
        },
      ),
    );
  });
});
