import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import { type Decision, evaluate } from '../policy/evaluate.js';
import { halotekPolicyV1 } from '../policy/halotek.js';
import { remedyCodes } from '../policy/schema.js';
import { chooseRemedy, dealerMayPerform } from './remedy-choice.js';

const decisionOn = (days: number, cause: 'quality' | 'human_damage' = 'quality'): Decision => {
  const purchaseDate = Temporal.PlainDate.from('2026-01-02');
  const r = evaluate(halotekPolicyV1, {
    customerType: 'end_user',
    purchaseDate,
    reportDate: purchaseDate.add({ days }),
    cause,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('choosing a remedy', () => {
  it('accepts exactly the remedies the decision offered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 800 }),
        fc.constantFrom(...remedyCodes),
        fc.constantFrom('quality', 'human_damage'),
        (days, code, cause) => {
          const decision = decisionOn(days, cause);
          const offered = decision.remedies.some((r) => r.code === code);
          expect(chooseRemedy(decision, code).ok).toBe(offered);
        },
      ),
    );
  });

  it('explains a refusal with the choices and the clause that decided', () => {
    expect(chooseRemedy(decisionOn(30), 'refund')).toMatchObject({
      ok: false,
      error: {
        code: 'REMEDY_NOT_OFFERED',
        offered: ['replacement', 'service_center'],
        clause: { id: 'end_user.60_days' },
      },
    });
  });
});

describe('at the dealer', () => {
  it('refunds within 7 days, replaces within 60, and cites the clause that forbids the rest', () => {
    expect(dealerMayPerform(decisionOn(7), 'refund')).toEqual({ ok: true });
    expect(dealerMayPerform(decisionOn(7), 'replacement')).toEqual({ ok: true });
    expect(dealerMayPerform(decisionOn(8), 'refund')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Terminal clients 2') as string },
    });
    expect(dealerMayPerform(decisionOn(60), 'replacement')).toEqual({ ok: true });
    expect(dealerMayPerform(decisionOn(61), 'replacement')).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Terminal clients 3') as string },
    });
    expect(dealerMayPerform(decisionOn(2, 'human_damage'), 'refund')).toMatchObject({
      ok: false,
      error: { clause: { id: 'end_user.human_damage' } },
    });
  });
});
