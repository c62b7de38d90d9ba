import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_MINOR } from '../money.js';
import { MAX_TAX_RATE_BASIS_POINTS, taxBreakdown, type TaxBreakdown } from './tax.js';

const breakdown = (lines: number[], rate: number, pricesIncludeTax: boolean) =>
  taxBreakdown(lines, { rateBasisPoints: rate, pricesIncludeTax }) as TaxBreakdown;

describe('tax on a document', () => {
  it('adds tax to prices without it, rounded half up to the minor unit', () => {
    expect(breakdown([10_000, 5_000], 1300, false)).toEqual({
      subtotalMinor: 15_000,
      taxMinor: 1_950,
      totalMinor: 16_950,
    });
    // 0.5 fen rounds up: 1 × 5000 bps = 0.5 → 1.
    expect(breakdown([1], 5000, false)).toEqual({ subtotalMinor: 1, taxMinor: 1, totalMinor: 2 });
  });

  it('shows the tax contained in prices that include it, the total unchanged', () => {
    // 113.00 with 13 % inside is 100.00 + 13.00.
    expect(breakdown([11_300], 1300, true)).toEqual({
      subtotalMinor: 10_000,
      taxMinor: 1_300,
      totalMinor: 11_300,
    });
  });

  it('refuses a rate out of range, a negative line and a total past the largest amount', () => {
    expect(taxBreakdown([100], { rateBasisPoints: -1, pricesIncludeTax: false })).toMatchObject({
      code: 'INVALID_AMOUNT',
    });
    expect(taxBreakdown([100], { rateBasisPoints: 10_001, pricesIncludeTax: true })).toMatchObject({
      code: 'INVALID_AMOUNT',
    });
    expect(taxBreakdown([-5], { rateBasisPoints: 0, pricesIncludeTax: true })).toMatchObject({
      code: 'INVALID_AMOUNT',
    });
    expect(taxBreakdown([MAX_AMOUNT_MINOR], { rateBasisPoints: 1, pricesIncludeTax: false })).toMatchObject({
      code: 'AMOUNT_OUT_OF_RANGE',
    });
  });

  const lines = fc.array(fc.integer({ min: 0, max: 10_000_000_000 }), { minLength: 1, maxLength: 20 });
  const rate = fc.oneof(
    fc.integer({ min: 0, max: MAX_TAX_RATE_BASIS_POINTS }),
    fc.constantFrom(0, 1, 600, 1300, 9_999, MAX_TAX_RATE_BASIS_POINTS),
  );

  it('always adds up: subtotal + tax = total, none negative, the lines’ sum kept on its side', () => {
    fc.assert(
      fc.property(lines, rate, fc.boolean(), (ls, r, inclusive) => {
        const b = breakdown(ls, r, inclusive);
        const sum = ls.reduce((a, x) => a + x, 0);
        expect(b.subtotalMinor + b.taxMinor).toBe(b.totalMinor);
        expect(b.taxMinor).toBeGreaterThanOrEqual(0);
        expect(b.subtotalMinor).toBeGreaterThanOrEqual(0);
        expect(inclusive ? b.totalMinor : b.subtotalMinor).toBe(sum);
        if (r === 0) expect(b.taxMinor).toBe(0);
      }),
    );
  });

  it('rounds the tax to the nearest minor unit of the exact figure', () => {
    fc.assert(
      fc.property(lines, rate, fc.boolean(), (ls, r, inclusive) => {
        const b = breakdown(ls, r, inclusive);
        // Exact, in 1/10000ths of a minor unit: the tax the rate really makes, against the one printed.
        const exactTaxTimesBase = inclusive
          ? (BigInt(b.totalMinor) * BigInt(r) * 10_000n) / BigInt(10_000 + r)
          : BigInt(b.subtotalMinor) * BigInt(r);
        const printed = BigInt(b.taxMinor) * 10_000n;
        const diff = printed > exactTaxTimesBase ? printed - exactTaxTimesBase : exactTaxTimesBase - printed;
        // Within half a minor unit (and one more part in 10^4 for the integer division above).
        expect(diff <= 5_001n).toBe(true);
      }),
    );
  });
});
