import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EarlierRemedy, mayStartRemedy } from './remedy-chain.js';

const remedy = fc.record({
  claimId: fc.uuid(),
  kind: fc.constantFrom('refund' as const, 'replacement' as const),
  approval: fc.constantFrom('none' as const, 'awaiting' as const, 'approved' as const, 'rejected' as const),
});

/** Applies requests in order as the use case does: a remedy is recorded only when the rule allows it. */
function replay(requests: readonly EarlierRemedy[]): EarlierRemedy[] {
  const recorded: EarlierRemedy[] = [];
  for (const r of requests) if (mayStartRemedy(recorded).ok) recorded.push(r);
  return recorded;
}

describe('one sale, one free remedy chain', () => {
  it('lets the first remedy of a sale start, and no second one', () => {
    expect(mayStartRemedy([])).toEqual({ ok: true });
    const first: EarlierRemedy = { claimId: 'c1', kind: 'replacement', approval: 'none' };
    expect(mayStartRemedy([first])).toMatchObject({
      ok: false,
      code: 'PURCHASE_ALREADY_REMEDIED',
      blocking: first,
    });
  });

  it('keeps at most one remedy that was not refused, whatever the claims ask, however many', () => {
    fc.assert(
      fc.property(fc.array(remedy, { maxLength: 25 }), (requests) => {
        const recorded = replay(requests);
        expect(recorded.filter((r) => r.approval !== 'rejected').length).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('ignores a refused remedy and counts one still waiting', () => {
    fc.assert(
      fc.property(fc.array(remedy, { maxLength: 10 }), (earlier) => {
        const live = earlier.filter((r) => r.approval !== 'rejected');
        expect(mayStartRemedy(earlier).ok).toBe(live.length === 0);
      }),
    );
  });
});
