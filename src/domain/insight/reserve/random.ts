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

/** A standard normal draw (Box–Muller; two uniforms). */
function normal(random: Random): number {
  const u = Math.max(random(), Number.MIN_VALUE);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A Gamma(shape, 1) draw (Marsaglia and Tsang; shape below 1 by the boost u^(1/shape)). */
export function gammaDraw(shape: number, random: Random): number {
  if (!(shape > 0)) throw new RangeError(`a gamma shape must be positive, not ${shape}`);
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

/**
 * The smallest n with P(N ≤ n) ≥ u, for N ~ Poisson(mean): a draw by inversion of one uniform. For a
 * fixed u it never decreases as the mean grows, so more units in force never lower a simulated count.
 */
export function poissonQuantile(u: number, mean: number): number {
  if (mean <= 0) return 0;
  let high = Math.ceil(mean + 12 * Math.sqrt(mean) + 12);
  while (poissonCdf(high, mean) < u) high *= 2;
  let low = -1; // P(N ≤ low) < u for low = -1
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (poissonCdf(mid, mean) >= u) high = mid;
    else low = mid;
  }
  return high;
}
