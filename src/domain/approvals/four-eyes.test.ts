import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roles } from '../access/access.js';
import { approvalKinds, approvalStates, approverRoles, mayDecide, needsSecondApproval } from './four-eyes.js';

describe('four eyes', () => {
  it('never lets the requester decide their own request, whatever their role', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...approvalKinds),
        fc.constantFrom(...approvalStates),
        fc.string({ minLength: 1 }),
        fc.constantFrom(...roles),
        (kind, state, userId, role) => {
          expect(mayDecide({ kind, state, requestedByUserId: userId }, { userId, role }).ok).toBe(false);
        },
      ),
    );
  });

  it('lets a second person decide a pending request exactly when their role approves that kind', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...approvalKinds),
        fc.constantFrom(...roles),
        fc.uuid(),
        fc.uuid(),
        (kind, role, requester, decider) => {
          fc.pre(requester !== decider);
          const r = mayDecide(
            { kind, state: 'pending', requestedByUserId: requester },
            { userId: decider, role },
          );
          expect(r.ok).toBe((approverRoles[kind] as readonly string[]).includes(role));
        },
      ),
    );
  });

  it('decides once: a decided request is refused to everyone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...approvalKinds),
        fc.constantFrom('approved' as const, 'rejected' as const),
        (kind, state) => {
          const r = mayDecide({ kind, state, requestedByUserId: 'a' }, { userId: 'b', role: 'admin' });
          expect(r).toMatchObject({ ok: false, error: { code: 'APPROVAL_ALREADY_DECIDED' } });
        },
      ),
    );
  });

  it('asks for a second person strictly above the threshold, in a currency without one, or when unbounded', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        (amount, limit) => {
          expect(needsSecondApproval({ amountMinor: amount, currency: 'CNY' }, { CNY: limit })).toBe(
            amount > limit,
          );
          expect(needsSecondApproval({ amountMinor: amount, currency: 'USD' }, { CNY: limit })).toBe(true);
          expect(
            needsSecondApproval(
              { amountMinor: amount, currency: 'CNY' },
              { CNY: limit },
              { unbounded: true },
            ),
          ).toBe(true);
        },
      ),
    );
    expect(needsSecondApproval(null, { CNY: 0 })).toBe(false);
  });
});
