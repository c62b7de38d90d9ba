/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** Wilson's score interval for a proportion: sound at small counts and near 0, unlike p ± z·se. */
export function wilsonInterval(successes: number, trials: number, z = Z95): { lower: number; upper: number } {
  if (trials <= 0) return { lower: 0, upper: 1 };
  // Reports of one lot can add up past what shipped (each is checked against its order's lot alone):
  // that lot is all defective, not a square root of a negative number.
  const p = Math.min(1, successes / trials);
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = p + z2 / (2 * trials);
  const margin = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    lower: Math.max(0, (centre - margin) / denominator),
    upper: Math.min(1, (centre + margin) / denominator),
  };
}

export type LotSignal = {
  defects: number;
  units: number;
  rate: number;
  lower: number;
  upper: number;
  spareRate: number;
  flagged: boolean;
};

/**
 * A lot is flagged when even the lower bound of its defect rate's 95 % interval is above the spare
 * rate: the spares will very likely not be enough, and QA should look before clients run out.
 */
export function lotDefectSignal(defects: number, units: number, spareRateBps: number): LotSignal {
  const { lower, upper } = wilsonInterval(defects, units);
  const spareRate = spareRateBps / 10_000;
  return {
    defects,
    units,
    rate: units > 0 ? defects / units : 0,
    lower,
    upper,
    spareRate,
    flagged: units > 0 && lower > spareRate,
  };
}

/** One order's share of a lot: the units it shipped from the lot, and that order's spare rate. */
export type LotShipment = { units: number; spareRateBps: number };

export type LotRate = LotSignal & { unitsShipped: number; spareRateBps: number };

/**
 * A lot's signal across every order that shipped from it: its units are added up, and its defects are
 * compared with the lowest spare rate among those orders — the client with the fewest spares runs out
 * first, so that is the rate a batch problem must be caught below.
 */
export function lotRate(shipments: readonly LotShipment[], defects: number): LotRate {
  const unitsShipped = shipments.reduce((s, o) => s + o.units, 0);
  const spareRateBps = shipments.length === 0 ? 0 : Math.min(...shipments.map((o) => o.spareRateBps));
  return lotRateOfTotals({ unitsShipped, spareRateBps, defects });
}

/** The same signal from a lot's running totals: its shipments' units added up and their lowest spare rate. */
export function lotRateOfTotals(totals: {
  unitsShipped: number;
  spareRateBps: number;
  defects: number;
}): LotRate {
  const { unitsShipped, spareRateBps, defects } = totals;
  return { ...lotDefectSignal(defects, unitsShipped, spareRateBps), unitsShipped, spareRateBps };
}
