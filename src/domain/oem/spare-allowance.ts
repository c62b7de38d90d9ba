import type { OemPolicy } from '../policy/schema.js';

export type SpareAllowanceError = { code: 'SPARE_RATE_OUT_OF_RANGE' | 'INVALID_QUANTITY'; message: string };

const pct = (bps: number) => `${(bps / 100).toFixed(2).replace(/0$/, '')} %`;

/**
 * Spare units shipped with an OEM order: quantity × rate, rounded up (a started unit is a unit), the
 * rate within the policy's range. Integer arithmetic on basis points, so 2000 × 0.5 % is exactly 10.
 */
export function spareAllowance(
  quantity: number,
  spareRateBps: number,
  policy: Pick<OemPolicy, 'spareRateBps'>,
): { spareUnits: number } | SpareAllowanceError {
  if (!Number.isSafeInteger(quantity) || quantity <= 0) {
    return {
      code: 'INVALID_QUANTITY',
      message: `an order is for a whole number of units above zero, not ${quantity}`,
    };
  }
  const { min, max } = policy.spareRateBps;
  if (!Number.isInteger(spareRateBps) || spareRateBps < min || spareRateBps > max) {
    return {
      code: 'SPARE_RATE_OUT_OF_RANGE',
      message: `the spare rate must be between ${pct(min)} and ${pct(max)} (${min}–${max} basis points)`,
    };
  }
  return { spareUnits: Math.ceil((quantity * spareRateBps) / 10_000) };
}
