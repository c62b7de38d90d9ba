import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addAmounts, MAX_AMOUNT_MINOR, MAX_UNITS, minorDigits, money, multiplyAmount, sum } from './money.js';

describe('money', () => {
  it('is whole minor units of one currency', () => {
    expect(money(1234, 'CNY')).toEqual({ amountMinor: 1234, currency: 'CNY' });
    expect(money(12.5, 'CNY')).toMatchObject({ code: 'INVALID_AMOUNT' });
    expect(money(1, 'yuan')).toMatchObject({ code: 'INVALID_AMOUNT' });
    expect(
      sum(
        [
          { amountMinor: 1, currency: 'CNY' },
          { amountMinor: 2, currency: 'CNY' },
        ],
        'CNY',
      ),
    ).toEqual({
      amountMinor: 3,
      currency: 'CNY',
    });
    expect(sum([{ amountMinor: 1, currency: 'USD' }], 'CNY')).toMatchObject({ code: 'CURRENCY_MISMATCH' });
    expect(sum([], 'CNY')).toEqual({ amountMinor: 0, currency: 'CNY' });
    expect(minorDigits('CNY')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
  });
});

describe('money arithmetic stays in range', () => {
  const MAX = BigInt(MAX_AMOUNT_MINOR);
  const whole = fc.oneof(
    fc.integer({ min: -1_000, max: 1_000 }),
    fc.integer({ min: 0, max: MAX_UNITS }),
    fc.constantFrom(
      0,
      1,
      MAX_AMOUNT_MINOR,
      MAX_AMOUNT_MINOR + 1,
      2 ** 31,
      2 ** 53 - 1,
      -(2 ** 53 - 1),
      MAX_UNITS,
    ),
    fc.maxSafeInteger(),
    fc.maxSafeNat(),
  );

  it('multiplies exactly, and refuses exactly when the exact product leaves 0 … MAX_AMOUNT_MINOR', () => {
    fc.assert(
      fc.property(whole, whole, (a, b) => {
        const exact = BigInt(a) * BigInt(b);
        const result = multiplyAmount(a, b);
        if (exact < 0n || exact > MAX) {
          expect(result).toMatchObject({ code: 'AMOUNT_OUT_OF_RANGE' });
        } else {
          expect(result).toBe(Number(exact));
          expect(BigInt(result as number)).toBe(exact);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('adds exactly, and refuses exactly when the exact sum leaves 0 … MAX_AMOUNT_MINOR', () => {
    fc.assert(
      fc.property(fc.array(whole, { maxLength: 8 }), (amounts) => {
        const exact = amounts.reduce((t, a) => t + BigInt(a), 0n);
        const result = addAmounts(amounts);
        if (exact < 0n || exact > MAX) expect(result).toMatchObject({ code: 'AMOUNT_OUT_OF_RANGE' });
        else expect(result).toBe(Number(exact));
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses what is not a whole number', () => {
    expect(multiplyAmount(1.5, 2)).toMatchObject({ code: 'INVALID_AMOUNT' });
    expect(multiplyAmount(2 ** 53, 1)).toMatchObject({ code: 'INVALID_AMOUNT' });
    expect(addAmounts([Number.NaN])).toMatchObject({ code: 'INVALID_AMOUNT' });
  });
});
