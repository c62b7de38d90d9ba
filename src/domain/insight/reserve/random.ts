/*
 * The randomness of the reserve's interval, made deterministic: a seeded generator passed in by the
 * caller (the same seed gives the same interval), a gamma draw for a claim rate, and the Poisson
 * quantile for a count of claims still to come. Pure: no clock, no global random.
 */

/** A uniform draw in [0, 1). */
export type Random = () => number;

/** mulberry32: a small seeded generator, good enough for a bootstrap (not for secrets). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw, by inversion of one uniform. */
function normal(random: Random): number {
  return normalQuantile(Math.min(Math.max(random(), 1e-16), 1 - 1e-16));
}

/**
 * A Gamma(shape, 1) draw: Marsaglia and Tsang (shape below 1 by the boost u^(1/shape)); from shape 20
 * on, Wilson and Hilferty's cube of a normal, one uniform a draw (the rate of a month with 20 claims or
 * more is then within a fraction of a percent of its Gamma).
 */
export function gammaDraw(shape: number, random: Random): number {
  if (!(shape > 0)) throw new RangeError(`a gamma shape must be positive, not ${shape}`);
  if (shape >= 20) {
    const z = normalQuantile(Math.min(Math.max(random(), 1e-16), 1 - 1e-16));
    const v = 1 / (9 * shape);
    return shape * Math.pow(Math.max(0, 1 - v + z * Math.sqrt(v)), 3);
  }
  if (shape < 1) {
    const boost = Math.pow(Math.max(random(), Number.MIN_VALUE), 1 / shape);
    return gammaDraw(shape + 1, random) * boost;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(Math.max(u, Number.MIN_VALUE)) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const g = 7;
  const p = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = p[0] ?? 0;
  const t = z + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += (p[i] ?? 0) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized upper incomplete gamma Q(s, x) (series below s + 1, continued fraction above). */
function upperGamma(s: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + s * Math.log(x) - logGamma(s));
  if (x < s + 1) {
    let sum = 1 / s;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (s + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - front * sum);
  }
  // Lentz's continued fraction.
  const tiny = 1e-300;
  let b = x + 1 - s;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, front * h);
}

/** P(N ≤ n) for N ~ Poisson(mean). */
export function poissonCdf(n: number, mean: number): number {
  if (n < 0) return 0;
  if (mean <= 0) return 1;
  return upperGamma(Math.floor(n) + 1, mean);
}

/** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/**
 * The smallest n with P(N ≤ n) ≥ u, for N ~ Poisson(mean): a draw by inversion of one uniform. For a
 * fixed u it never decreases as the mean grows, so more units in force never lower a simulated count.
 * Small means sum the probabilities from 0; large ones start from the Cornish–Fisher guess and step
 * by the probabilities' recurrence, so a draw costs a few steps whatever the mean.
 */
export function poissonQuantile(u: number, mean: number): number {
  if (mean <= 0 || u <= 0) return 0;
  if (mean < 50) {
    let pmf = Math.exp(-mean);
    let cdf = pmf;
    let n = 0;
    while (cdf < u && n < 10_000) {
      n++;
      pmf *= mean / n;
      cdf += pmf;
      if (pmf === 0 && cdf < u) return n; // u within rounding of 1
    }
    return n;
  }
  // Cornish–Fisher with continuity: within a count of the exact quantile for means of 50 and more (the
  // error is O(1/mean)), and increasing in the mean for a fixed u, since mean ≥ 50 > z²/4.
  const z = normalQuantile(Math.min(Math.max(u, 1e-16), 1 - 1e-16));
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * z + (z * z - 1) / 6 - 0.5));
}
