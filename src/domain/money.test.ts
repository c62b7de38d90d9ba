import { describe, expect, it } from 'vitest';
import { minorDigits, money, sum } from './money.js';

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
