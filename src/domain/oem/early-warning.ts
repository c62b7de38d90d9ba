/** z for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/** Wilson's score interval for a proportion: sound at small counts and near 0, unlike p ± z·se. */
export function wilsonInterval(successes: number, trials: number, z = Z95): { lower: number; upper: number } {
  if (trials <= 0) return { lower: 0, upper: 1 };
  const p = successes / trials;
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
