import { addAmounts, MAX_AMOUNT_MINOR, type MoneyError } from '../money.js';

/**
 * Tax on a quote or an invoice, as the instance sets it: one rate in basis points (1300 = 13 %) and
 * whether the prices on the lines already include it. Pure integers: no amount passes through floating
 * point, and the three figures a document prints always add up (subtotal + tax = total).
 */
export type TaxSetting = {
  /** 0 … MAX_TAX_RATE_BASIS_POINTS; 1300 is 13 %. */
  rateBasisPoints: number;
  /** true: a line's price is what the customer pays, tax included (the tax is shown as contained in it). */
  pricesIncludeTax: boolean;
};

/** 100 %: no tax is higher, and an inclusive price divided by (1 + rate) stays well defined. */
export const MAX_TAX_RATE_BASIS_POINTS = 10_000;

/** China's VAT on repair services (修理修配劳务), 13 %, already in the prices customers are quoted. */
export const DEFAULT_TAX_SETTING: TaxSetting = { rateBasisPoints: 1300, pricesIncludeTax: true };

export type TaxBreakdown = {
  /** Before tax. */
  subtotalMinor: number;
  taxMinor: number;
  /** What the customer pays. */
  totalMinor: number;
};

/** a × b / c rounded half up, on non-negative integers, exactly. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/**
 * The document's figures from its lines' rounded totals (minor units):
 * - prices without tax: subtotal = the lines' sum, tax = subtotal × rate rounded half up, total = both;
 * - prices with tax: total = the lines' sum (what the customer accepted), subtotal = total ÷ (1 + rate)
 *   rounded half up, tax = the difference.
 * A total past MAX_AMOUNT_MINOR, a negative line, or a rate out of range is an error, never a rounding.
 */
export function taxBreakdown(
  lineTotalsMinor: readonly number[],
  setting: TaxSetting,
): TaxBreakdown | MoneyError {
  const { rateBasisPoints: rate } = setting;
  if (!Number.isSafeInteger(rate) || rate < 0 || rate > MAX_TAX_RATE_BASIS_POINTS) {
    return { code: 'INVALID_AMOUNT', message: `a tax rate of ${rate} basis points is out of range` };
  }
  if (lineTotalsMinor.some((a) => !Number.isSafeInteger(a) || a < 0)) {
    return { code: 'INVALID_AMOUNT', message: 'a line total is not a whole, non-negative amount' };
  }
  const sum = addAmounts(lineTotalsMinor);
  if (typeof sum !== 'number') return sum;
  const lines = BigInt(sum);
  const bps = BigInt(rate);
  if (setting.pricesIncludeTax) {
    const subtotal = divideHalfUp(lines * 10_000n, 10_000n + bps);
    return { subtotalMinor: Number(subtotal), taxMinor: Number(lines - subtotal), totalMinor: sum };
  }
  const tax = divideHalfUp(lines * bps, 10_000n);
  const total = lines + tax;
  if (total > BigInt(MAX_AMOUNT_MINOR)) {
    return {
      code: 'AMOUNT_OUT_OF_RANGE',
      message: `the total with tax is past ${MAX_AMOUNT_MINOR} minor units, the most an amount may be`,
    };
  }
  return { subtotalMinor: sum, taxMinor: Number(tax), totalMinor: Number(total) };
}
