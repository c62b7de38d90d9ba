import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import {
  allowsRemedy,
  changesOf,
  dealerSaleMeetsRegistration,
  initialVerification,
  isLive,
  moveVerification,
  purchaseDateProblem,
  verificationEvents,
  verificationStates,
  verificationTransitions,
} from './verification.js';

const day = fc
  .integer({ min: 0, max: 365 * 30 })
  .map((n) => Temporal.PlainDate.from('2000-01-01').add({ days: n }));

describe('a purchase’s verification', () => {
  it('starts verified on a dealer’s or the maker’s word and pending on a customer’s', () => {
    expect(initialVerification('dealer')).toBe('verified');
    expect(initialVerification('maker')).toBe('verified');
    expect(initialVerification('customer')).toBe('pending');
  });

  it('moves only out of pending, and every move out of pending is final', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...verificationEvents), { maxLength: 20 }), (events) => {
        let state: (typeof verificationStates)[number] = 'pending';
        let moves = 0;
        for (const event of events) {
          const move = moveVerification(state, event);
          if (move.ok) {
            moves += 1;
            expect(state).toBe('pending');
            state = move.to;
          } else {
            expect(move.code).toBe('PURCHASE_NOT_PENDING');
            expect(move.allowed).toEqual(Object.keys(verificationTransitions[state]));
            expect(state).not.toBe('pending');
          }
        }
        expect(moves).toBe(events.length === 0 ? 0 : 1);
        expect(state === 'pending').toBe(events.length === 0);
      }),
    );
  });

  it('lets money move on a verified purchase only, and keeps only rejected ones from holding a unit', () => {
    for (const s of verificationStates) {
      expect(allowsRemedy(s)).toBe(s === 'verified');
      expect(isLive(s)).toBe(s !== 'rejected');
    }
    // Every way to verified goes through a check by someone other than the customer.
    const toVerified = verificationEvents.filter((e) => {
      const move = moveVerification('pending', e);
      return move.ok && move.to === 'verified';
    });
    expect(toVerified.sort()).toEqual(['confirm', 'correct', 'match']);
  });

  it('matches a dealer’s sale to the same buyer’s registration and lets it override another’s', () => {
    expect(dealerSaleMeetsRegistration(true)).toBe('match');
    expect(dealerSaleMeetsRegistration(false)).toBe('supersede');
  });
});

describe('the purchase date against the day the unit left the maker', () => {
  it('refuses exactly the dates before it, and has nothing to say when the day is unknown', () => {
    fc.assert(
      fc.property(day, day, (purchase, made) => {
        const problem = purchaseDateProblem(purchase, made);
        expect(problem === null).toBe(Temporal.PlainDate.compare(purchase, made) >= 0);
        if (problem) {
          expect(problem.code).toBe('PURCHASE_BEFORE_UNIT_MADE');
          expect(problem.madeOn).toBe(made.toString());
        }
        expect(purchaseDateProblem(purchase, null)).toBeNull();
      }),
    );
  });

  it('accepts the very day the unit was made and refuses the day before', () => {
    const made = Temporal.PlainDate.from('2024-06-15');
    expect(purchaseDateProblem(made, made)).toBeNull();
    expect(purchaseDateProblem(made.subtract({ days: 1 }), made)?.code).toBe('PURCHASE_BEFORE_UNIT_MADE');
  });
});

describe('what a correction changes', () => {
  it('names only the fields that differ, from → to', () => {
    const id = fc.option(fc.constantFrom('d1', 'd2', 'd3'), { nil: null });
    fc.assert(
      fc.property(
        day,
        id,
        fc.option(day, { nil: undefined }),
        fc.option(id, { nil: undefined }),
        (d, dealer, nd, ndealer) => {
          const current = { purchaseDate: d.toString(), dealerId: dealer };
          const changes = changesOf(current, { purchaseDate: nd?.toString(), dealerId: ndealer });
          if (nd === undefined || nd.toString() === current.purchaseDate)
            expect(changes.purchaseDate).toBeUndefined();
          else expect(changes.purchaseDate).toEqual({ from: current.purchaseDate, to: nd.toString() });
          if (ndealer === undefined || ndealer === dealer) expect(changes.dealerId).toBeUndefined();
          else expect(changes.dealerId).toEqual({ from: dealer, to: ndealer });
        },
      ),
    );
  });
});
