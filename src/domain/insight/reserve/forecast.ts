import type { Cohort, ProductHistory } from './history.js';
import { gammaDraw, poissonQuantile, type Random } from './random.js';

/*
 * The warranty reserve: how much the claims still to come will cost on units sold and still within
 * their warranty. Pure: the history is counted by the caller, "today" is in it, the randomness of the
 * interval comes from a seeded generator passed in.
 *
 * Claim rate by age. A unit is "at risk" in each month of its life that it has lived under warranty:
 * a unit sold four and a half months ago has been observed for months 0–3 and half of month 4, and
 * says nothing yet about month 10 (it is right-censored). The life table divides, month by month,
 * the claims reported in that month of life by the unit-months at risk in it. A unit may claim more
 * than once; a claim does not take it out of the table.
 *
 * The Weibull is a smooth curve through the same data: a claim rate h(t) = (k/λ)(t/λ)^(k−1) at age t
 * months. Shape k below 1: claims come early and then fade (infant failures); k = 1: a constant rate;
 * above 1: claims grow with age (wear). Scale λ: the age by which a unit has had, on average, one
 * claim. Fitted by maximum likelihood over the same unit-months at risk (each month's claims a
 * Poisson count with mean Σ of the Weibull's cumulative rate over the exposure), so censored units
 * count for the months they were seen and no more.
 *
 * The forecast: for each unit in force, the rate of each month of warranty it has still to live,
 * summed, times the observed cost of one claim. Months older than any unit yet seen take the rate of
 * the oldest month observed (the life table cannot see further; the Weibull extrapolates instead).
 *
 * The interval: a parametric bootstrap. Each replicate draws every month's rate from its Gamma(claims
 * + ½, unit-months) (the Jeffreys posterior: a month with no claims still has a rate it cannot rule
 * out), sums the claims still expected, and draws their count from the Poisson; the cost of the count
 * gives one replicate. The interval is the central `level` of the replicates, widened to hold the
 * point estimate. So it covers both what the rate may be and the luck of the draw.
 */

export type LifeTableRow = {
  ageMonths: number;
  /** Unit-months at risk in this month of life. */
  unitMonths: number;
  claims: number;
  /** Claims per unit-month; null when no unit has been seen at this age. */
  rate: number | null;
};

export type WeibullFit = {
  /** k: below 1 claims fade with age, 1 constant, above 1 they grow. */
  shape: number;
  /** λ in months: the age by which a unit has had one claim on average. */
  scaleMonths: number;
  logLikelihood: number;
};

function monthsOfWarranty(cohorts: readonly Cohort[]): number {
  return cohorts.reduce((m, c) => Math.max(m, c.warrantyMonths), 0);
}

/** Exposure per month of life: whole unit-months, and partial ones (units, their mean fraction lived). */
type Exposure = { full: number; partial: { units: number; fraction: number }[] };

function exposures(cohorts: readonly Cohort[], months: number): Exposure[] {
  const out: Exposure[] = Array.from({ length: months }, () => ({ full: 0, partial: [] }));
  for (const c of cohorts) {
    if (c.units <= 0) continue;
    const whole = Math.min(c.ageMonths, c.warrantyMonths);
    for (let a = 0; a < whole; a++) (out[a] as Exposure).full += c.units;
    if (c.ageMonths < c.warrantyMonths) {
      (out[c.ageMonths] as Exposure).partial.push({ units: c.units, fraction: c.livedUnitMonths / c.units });
    }
  }
  return out;
}

const unitMonthsOf = (e: Exposure) => e.full + e.partial.reduce((s, p) => s + p.units * p.fraction, 0);

/** Claims per unit-month at risk, month by month of life, up to the longest warranty among the units. */
export function lifeTable(history: ProductHistory): LifeTableRow[] {
  const months = monthsOfWarranty(history.cohorts);
  const ex = exposures(history.cohorts, months);
  const claims = new Map(history.claims.map((c) => [c.ageMonths, c.claims]));
  return ex.map((e, ageMonths) => {
    const unitMonths = unitMonthsOf(e);
    const d = claims.get(ageMonths) ?? 0;
    return { ageMonths, unitMonths, claims: d, rate: unitMonths > 0 ? d / unitMonths : null };
  });
}

/** The Weibull's cumulative rate H(t) = (t/λ)^k, by t^k and c = λ^(−k). */
function weibullTerms(ex: readonly Exposure[], k: number): number[] {
  return ex.map((e, a) => {
    const base = Math.pow(a, k);
    let g = e.full * (Math.pow(a + 1, k) - base);
    for (const p of e.partial) g += p.units * (Math.pow(a + p.fraction, k) - base);
    return g;
  });
}

/** The fewest claims (in two months of life at least) a Weibull is fitted to. */
export const MIN_CLAIMS_TO_FIT = 5;

/**
 * Maximum likelihood with right-censoring: each month's claims d_a ~ Poisson(c · g_a(k)), g_a the
 * exposure's share of t^k. For a fixed shape the best c is D / Σ g_a; the shape is then found by a
 * golden-section search of the profile likelihood over k in [0.05, 20]. Null with fewer than
 * MIN_CLAIMS_TO_FIT claims or claims in one month only (nothing to fit a curve to).
 */
export function fitWeibull(history: ProductHistory): WeibullFit | null {
  const months = monthsOfWarranty(history.cohorts);
  const ex = exposures(history.cohorts, months);
  const d = ex.map((_, a) => history.claims.find((c) => c.ageMonths === a)?.claims ?? 0);
  const D = d.reduce((s, x) => s + x, 0);
  // Two parameters want more than a couple of claims: below MIN_CLAIMS_TO_FIT, or all in one month,
  // the curve would be whatever bends through them (a shape of 20 from two claims), not a finding.
  if (D < MIN_CLAIMS_TO_FIT || d.filter((x) => x > 0).length < 2) return null;
  const profile = (logK: number) => {
    const g = weibullTerms(ex, Math.exp(logK));
    const G = g.reduce((s, x) => s + x, 0);
    if (!(G > 0)) return -Infinity;
    let l = -D * Math.log(G) + D * Math.log(D) - D;
    for (let a = 0; a < months; a++) {
      const da = d[a] ?? 0;
      if (da === 0) continue;
      const ga = g[a] ?? 0;
      if (!(ga > 0)) return -Infinity;
      l += da * Math.log(ga);
    }
    return l;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - phi * (hi - lo);
  let x2 = lo + phi * (hi - lo);
  let f1 = profile(x1);
  let f2 = profile(x2);
  for (let i = 0; i < 100 && hi - lo > 1e-9; i++) {
    if (f1 < f2) {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = profile(x2);
    } else {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = profile(x1);
    }
  }
  const logK = (lo + hi) / 2;
  const k = Math.exp(logK);
  const G = weibullTerms(ex, k).reduce((s, x) => s + x, 0);
  const c = D / G;
  const logLikelihood = profile(logK) - d.reduce((s, x) => s + logFactorial(x), 0);
  return { shape: k, scaleMonths: Math.pow(c, -1 / k), logLikelihood };
}

function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/** The Weibull's claim rate per unit-month at age t months (the curve the screen draws). */
export function weibullRate(fit: WeibullFit, ageMonths: number): number {
  const { shape: k, scaleMonths: l } = fit;
  return (k / l) * Math.pow(Math.max(ageMonths, 1e-9) / l, k - 1);
}

/** The Weibull's claims per unit-month over month `ageMonths` of life: H(a + 1) − H(a). */
export function weibullMonthRate(fit: WeibullFit, ageMonths: number): number {
  return weibullCumulative(fit, ageMonths + 1) - weibullCumulative(fit, ageMonths);
}

function weibullCumulative(fit: WeibullFit, t: number): number {
  return Math.pow(Math.max(t, 0) / fit.scaleMonths, fit.shape);
}

/** Rates for every month of warranty: observed, or the oldest observed carried forward, or 0. */
function filledRates(rows: readonly LifeTableRow[], rates: readonly (number | null)[]): number[] {
  let last = 0;
  return rows.map((_, a) => {
    const r = rates[a];
    if (r !== null && r !== undefined) last = r;
    return last;
  });
}

/**
 * Claims still expected from the units in force, given a rate for every month of warranty (past the
 * last rate given, the last one holds).
 */
export function claimsToCome(cohorts: readonly Cohort[], given: readonly number[]): number {
  const last = given.length > 0 ? (given[given.length - 1] ?? 0) : 0;
  const rates = { at: (a: number) => (a < given.length ? (given[a] ?? 0) : last) };
  let total = 0;
  for (const c of cohorts) {
    if (c.units <= 0 || c.ageMonths >= c.warrantyMonths) continue;
    total += Math.max(0, c.units - c.livedUnitMonths) * rates.at(c.ageMonths);
    for (let a = c.ageMonths + 1; a < c.warrantyMonths; a++) total += c.units * rates.at(a);
  }
  return total;
}

function weibullClaimsToCome(cohorts: readonly Cohort[], fit: WeibullFit): number {
  let total = 0;
  for (const c of cohorts) {
    if (c.units <= 0 || c.ageMonths >= c.warrantyMonths) continue;
    const lived = c.ageMonths + c.livedUnitMonths / c.units;
    total += c.units * (weibullCumulative(fit, c.warrantyMonths) - weibullCumulative(fit, lived));
  }
  return total;
}

export type ReserveOptions = {
  /** Bootstrap replicates (1,000 is plenty for a 90 % interval). */
  replicates: number;
  /** The interval's coverage, e.g. 0.9. */
  level: number;
  random: Random;
};

export type ProductReserveInput = {
  history: ProductHistory;
  /** The observed cost of one warranty claim, in minor units of the report's currency. */
  costPerClaimMinor: number;
  /**
   * The units the reserve is for, when not those of the history (the rates always come from the
   * history): what a finance team would ask of "these units, at these rates".
   */
  inForce?: readonly Cohort[] | undefined;
};

export type ProductReserve = {
  lifeTable: LifeTableRow[];
  weibull: WeibullFit | null;
  unitsInForce: number;
  /** Unit-months of warranty still to live. */
  unitMonthsToCome: number;
  claimsObserved: number;
  /** Claims still expected, by the life table. */
  expectedClaims: number;
  /** The provision: expected claims × cost per claim, in minor units. */
  provisionMinor: number;
  interval: { lowMinor: number; highMinor: number };
  /** The same forecast by the fitted Weibull; null when nothing to fit. */
  weibullExpectedClaims: number | null;
  weibullProvisionMinor: number | null;
};

export type Reserve = {
  products: ProductReserve[];
  provisionMinor: number;
  interval: { lowMinor: number; highMinor: number };
  weibullProvisionMinor: number;
};

function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] ?? 0;
}

function intervalOf(replicates: readonly number[], point: number, level: number) {
  const sorted = [...replicates].sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return {
    lowMinor: Math.min(point, quantile(sorted, tail)),
    highMinor: Math.max(point, quantile(sorted, 1 - tail)),
  };
}

/**
 * The reserve of each product and their total. The replicates of the products are summed index by
 * index for the total's interval. Every rate is drawn before any count, so the stream of uniforms
 * does not depend on how many units are in force.
 */
export function forecastReserve(inputs: readonly ProductReserveInput[], options: ReserveOptions): Reserve {
  const R = Math.max(1, Math.floor(options.replicates));
  const totals = new Array<number>(R).fill(0);
  const products: ProductReserve[] = [];
  let provision = 0;
  let weibullProvision = 0;
  for (const input of inputs) {
    const { history } = input;
    const cost = Math.max(0, input.costPerClaimMinor);
    const table = lifeTable(history);
    const rates = filledRates(
      table,
      table.map((r) => r.rate),
    );
    const cohorts = (input.inForce ?? history.cohorts).filter((c) => c.ageMonths < c.warrantyMonths);
    const expected = claimsToCome(cohorts, rates);
    const point = Math.round(expected * cost);
    const weibull = fitWeibull(history);
    const weibullExpected = weibull ? weibullClaimsToCome(cohorts, weibull) : null;
    const weibullPoint = weibullExpected === null ? null : Math.round(weibullExpected * cost);

    // Unit-months still to come per month of life: each replicate's claims are their dot product with its rates.
    const months = Math.max(table.length, monthsOfWarranty(cohorts));
    const toCome = Array.from({ length: months }, (_, a) =>
      claimsToCome(
        cohorts,
        Array.from({ length: months + 1 }, (_, b) => (b === a ? 1 : 0)),
      ),
    );
    // Every rate is drawn before any count: the stream of uniforms does not depend on the units in force.
    const means = new Float64Array(R);
    for (let r = 0; r < R; r++) {
      let rate = 0;
      let mean = 0;
      for (let a = 0; a < months; a++) {
        const row = table[a];
        // A month nobody reached takes the rate of the last month seen (as the point estimate does).
        if (row && row.unitMonths > 0) rate = gammaDraw(row.claims + 0.5, options.random) / row.unitMonths;
        mean += (toCome[a] ?? 0) * rate;
      }
      means[r] = mean;
    }
    const draws: number[] = [];
    for (let r = 0; r < R; r++) {
      const u = options.random();
      const mean = means[r] ?? 0;
      const value = poissonQuantile(u, mean) * cost;
      draws.push(value);
      totals[r] = (totals[r] ?? 0) + value;
    }
    products.push({
      lifeTable: table,
      weibull,
      unitsInForce: cohorts.reduce((s, c) => s + c.units, 0),
      unitMonthsToCome: claimsToCome(
        cohorts,
        Array.from({ length: monthsOfWarranty(cohorts) }, () => 1),
      ),
      claimsObserved: history.claims.reduce(
        (s, c) => s + (c.ageMonths < monthsOfWarranty(history.cohorts) ? c.claims : 0),
        0,
      ),
      expectedClaims: expected,
      provisionMinor: point,
      interval: intervalOf(draws.map(Math.round), point, options.level),
      weibullExpectedClaims: weibullExpected,
      weibullProvisionMinor: weibullPoint,
    });
    provision += point;
    weibullProvision += weibullPoint ?? 0;
  }
  return {
    products,
    provisionMinor: provision,
    interval: intervalOf(totals.map(Math.round), provision, options.level),
    weibullProvisionMinor: weibullProvision,
  };
}
