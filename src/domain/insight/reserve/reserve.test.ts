import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../../calendar.js';
import { claimsToCome, fitWeibull, forecastReserve, lifeTable } from './forecast.js';
import { ageInMonths, type Cohort, historyOfRecords, livedFraction, type ProductHistory } from './history.js';
import { poissonCdf, poissonQuantile, seededRandom } from './random.js';

const options = (seed: number) => ({ replicates: 200, level: 0.9, random: seededRandom(seed) });

const cohortArb = fc.record({
  ageMonths: fc.integer({ min: 0, max: 30 }),
  warrantyMonths: fc.integer({ min: 1, max: 24 }),
  units: fc.integer({ min: 1, max: 500 }),
  lived: fc.double({ min: 0.01, max: 1, noNaN: true }),
});
const historyArb: fc.Arbitrary<ProductHistory> = fc
  .record({
    cohorts: fc.array(cohortArb, { minLength: 1, maxLength: 12 }),
    claims: fc.array(
      fc.record({ ageMonths: fc.integer({ min: 0, max: 23 }), claims: fc.integer({ min: 0, max: 40 }) }),
      {
        maxLength: 10,
      },
    ),
  })
  .map(({ cohorts, claims }) => {
    const oldest = Math.max(...cohorts.map((c) => Math.min(c.ageMonths, c.warrantyMonths - 1)));
    const byAge = new Map<number, number>();
    for (const c of claims)
      if (c.ageMonths <= oldest) byAge.set(c.ageMonths, (byAge.get(c.ageMonths) ?? 0) + c.claims);
    return {
      cohorts: cohorts.map((c) => ({
        ageMonths: c.ageMonths,
        warrantyMonths: c.warrantyMonths,
        units: c.units,
        livedUnitMonths: c.units * c.lived,
      })),
      claims: [...byAge.entries()].map(([ageMonths, n]) => ({ ageMonths, claims: n })),
    };
  });
const costArb = fc.integer({ min: 0, max: 100_000 });

describe('the reserve forecast', () => {
  it('is never negative, and its interval holds the point estimate', () => {
    fc.assert(
      fc.property(historyArb, costArb, fc.integer(), (history, cost, seed) => {
        const reserve = forecastReserve([{ history, costPerClaimMinor: cost }], options(seed));
        for (const p of [...reserve.products, reserve]) {
          expect(p.provisionMinor).toBeGreaterThanOrEqual(0);
          expect(p.interval.lowMinor).toBeGreaterThanOrEqual(0);
          expect(p.interval.lowMinor).toBeLessThanOrEqual(p.provisionMinor);
          expect(p.interval.highMinor).toBeGreaterThanOrEqual(p.provisionMinor);
        }
        expect(reserve.weibullProvisionMinor).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60 },
    );
  });

  it('is zero, interval and all, with no units in force', () => {
    fc.assert(
      fc.property(historyArb, costArb, fc.integer(), (history, cost, seed) => {
        const expired = history.cohorts.map((c) => ({ ...c, ageMonths: c.warrantyMonths + c.ageMonths }));
        const reserve = forecastReserve(
          [
            { history: { ...history, cohorts: expired }, costPerClaimMinor: cost },
            { history, costPerClaimMinor: cost, inForce: [] },
          ],
          options(seed),
        );
        expect(reserve.products.map((p) => p.unitsInForce)).toEqual([0, 0]);
        expect(reserve.provisionMinor).toBe(0);
        expect(reserve.interval).toEqual({ lowMinor: 0, highMinor: 0 });
        expect(reserve.weibullProvisionMinor).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('never goes down when more units are in force at the same rates', () => {
    fc.assert(
      fc.property(historyArb, cohortArb, costArb, fc.integer(), (history, extra, cost, seed) => {
        const more: Cohort = {
          ageMonths: extra.ageMonths,
          warrantyMonths: extra.warrantyMonths,
          units: extra.units,
          livedUnitMonths: extra.units * extra.lived,
        };
        const base = forecastReserve([{ history, costPerClaimMinor: cost }], options(seed));
        const bigger = forecastReserve(
          [{ history, costPerClaimMinor: cost, inForce: [...history.cohorts, more] }],
          options(seed),
        );
        expect(bigger.provisionMinor).toBeGreaterThanOrEqual(base.provisionMinor);
        expect(bigger.interval.lowMinor).toBeGreaterThanOrEqual(base.interval.lowMinor);
        expect(bigger.interval.highMinor).toBeGreaterThanOrEqual(base.interval.highMinor);
        expect(bigger.weibullProvisionMinor).toBeGreaterThanOrEqual(base.weibullProvisionMinor);
      }),
      { numRuns: 60 },
    );
  });

  it('forecasts zero for a product with no claims, with an upper bound that says how sure that is', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 100_000 }), fc.integer(), (history, cost, seed) => {
        const noClaims = { ...history, claims: [] };
        const [product] = forecastReserve(
          [{ history: noClaims, costPerClaimMinor: cost }],
          options(seed),
        ).products;
        expect(product?.provisionMinor).toBe(0);
        expect(product?.weibull).toBeNull();
        expect(product?.interval.lowMinor).toBe(0);
        expect(product?.interval.highMinor).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 40 },
    );
    // A known case: 1,000 units seen for 6 months without a claim, each with 6 months still to come.
    const history: ProductHistory = {
      cohorts: [{ ageMonths: 5, warrantyMonths: 12, units: 1000, livedUnitMonths: 1000 }],
      claims: [],
    };
    const [product] = forecastReserve([{ history, costPerClaimMinor: 10_000 }], {
      replicates: 2000,
      level: 0.9,
      random: seededRandom(7),
    }).products;
    expect(product?.provisionMinor).toBe(0);
    // Month 5 (1,000 unit-months, no claim) carries forward to months 6–11 (6,000 unit-months): its
    // Jeffreys rate's 95th percentile is Gamma(½)'s, 1.92, per 1,000 unit-months, so ~11.5 claims
    // expected at most, ~13 with the Poisson's luck: 130,000 at 10,000 a claim.
    expect(product?.interval.highMinor).toBeGreaterThanOrEqual(100_000);
    expect(product?.interval.highMinor).toBeLessThanOrEqual(160_000);
  });

  it('gives the same interval for the same seed', () => {
    fc.assert(
      fc.property(historyArb, costArb, fc.integer(), (history, cost, seed) => {
        const a = forecastReserve([{ history, costPerClaimMinor: cost }], options(seed));
        const b = forecastReserve([{ history, costPerClaimMinor: cost }], options(seed));
        expect(a).toEqual(b);
      }),
      { numRuns: 20 },
    );
  });
});

const dayArb = fc
  .integer({ min: 0, max: 1200 })
  .map((n) => Temporal.PlainDate.from('2023-01-01').add({ days: n }));

describe('the life table', () => {
  it('matches a naive count of unit-months at risk and claims, unit by unit and day by day', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            bought: dayArb,
            claimsAfter: fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 3 }),
          }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        dayArb,
        fc.integer({ min: 1, max: 24 }),
        (units, asOf, warrantyMonths) => {
          const sales = units.map((u) => ({ purchaseDate: u.bought.toString(), warrantyMonths }));
          const claims = units.flatMap((u) =>
            u.claimsAfter.map((d) => ({
              purchaseDate: u.bought.toString(),
              reportedOn: u.bought.add({ days: d }).toString(),
              warrantyMonths,
            })),
          );
          const table = lifeTable(historyOfRecords(sales, claims, asOf));
          // Naive: walk each unit's days up to asOf, each day a 1/(days in that month of life) share.
          const atRisk = new Array<number>(warrantyMonths).fill(0);
          const counted = new Array<number>(warrantyMonths).fill(0);
          for (const u of units) {
            for (let day = u.bought; Temporal.PlainDate.compare(day, asOf) <= 0; day = day.add({ days: 1 })) {
              const a = ageInMonths(u.bought, day);
              if (a >= warrantyMonths) break;
              const start = u.bought.add({ months: a });
              atRisk[a] = (atRisk[a] ?? 0) + 1 / start.until(u.bought.add({ months: a + 1 })).days;
            }
          }
          for (const c of claims) {
            const reported = Temporal.PlainDate.from(c.reportedOn);
            if (Temporal.PlainDate.compare(reported, asOf) > 0) continue;
            const a = ageInMonths(Temporal.PlainDate.from(c.purchaseDate), reported);
            if (a < warrantyMonths) counted[a] = (counted[a] ?? 0) + 1;
          }
          const seen = units.some((u) => Temporal.PlainDate.compare(u.bought, asOf) <= 0);
          expect(table).toHaveLength(seen ? warrantyMonths : 0);
          for (const row of table) {
            expect(row.unitMonths).toBeCloseTo(atRisk[row.ageMonths] ?? 0, 6);
            expect(row.claims).toBe(counted[row.ageMonths]);
            if (row.unitMonths > 0) expect(row.rate).toBeCloseTo(row.claims / row.unitMonths, 9);
            else expect(row.rate).toBeNull();
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);

  it('counts months of life as the calendar adds them (31 January + 1 month = 29 February)', () => {
    const p = Temporal.PlainDate.from('2024-01-31');
    expect(ageInMonths(p, Temporal.PlainDate.from('2024-02-28'))).toBe(0);
    expect(ageInMonths(p, Temporal.PlainDate.from('2024-02-29'))).toBe(1);
    expect(ageInMonths(p, Temporal.PlainDate.from('2024-03-30'))).toBe(1);
    expect(ageInMonths(p, Temporal.PlainDate.from('2024-03-31'))).toBe(2);
    expect(livedFraction(p, Temporal.PlainDate.from('2024-01-31'))).toBeCloseTo(1 / 29, 12);
  });
});

describe('the Weibull fit', () => {
  it('finds the shape and scale of a large known process', () => {
    // Units of every age 0–35 months, 2,000 each; claims expected exactly under k = 1.6, λ = 60 months.
    const k = 1.6;
    const lambda = 60;
    const H = (t: number) => Math.pow(t / lambda, k);
    const cohorts: Cohort[] = Array.from({ length: 36 }, (_, age) => ({
      ageMonths: age,
      warrantyMonths: 36,
      units: 2000,
      livedUnitMonths: 1000,
    }));
    const claims = Array.from({ length: 36 }, (_, a) => {
      const full = cohorts.filter((c) => c.ageMonths > a).length * 2000 * (H(a + 1) - H(a));
      const half = 2000 * (H(a + 0.5) - H(a));
      return { ageMonths: a, claims: Math.round((full + half) * 100) };
    });
    // Claims multiplied by 100 and units too: the rate is unchanged, the count large enough to be exact.
    const fit = fitWeibull({
      cohorts: cohorts.map((c) => ({ ...c, units: c.units * 100, livedUnitMonths: c.livedUnitMonths * 100 })),
      claims,
    });
    expect(fit?.shape).toBeCloseTo(k, 2);
    expect(fit?.scaleMonths).toBeCloseTo(lambda, 0);
  });

  it('has no fit without claims, with too few, or with all of them in one month', () => {
    const cohorts: Cohort[] = [{ ageMonths: 6, warrantyMonths: 12, units: 100, livedUnitMonths: 50 }];
    expect(fitWeibull({ cohorts, claims: [] })).toBeNull();
    expect(
      fitWeibull({
        cohorts,
        claims: [
          { ageMonths: 1, claims: 2 },
          { ageMonths: 3, claims: 2 },
        ],
      }),
    ).toBeNull();
    expect(fitWeibull({ cohorts, claims: [{ ageMonths: 2, claims: 9 }] })).toBeNull();
    expect(
      fitWeibull({
        cohorts,
        claims: [
          { ageMonths: 1, claims: 3 },
          { ageMonths: 3, claims: 2 },
        ],
      }),
    ).not.toBeNull();
  });
});

describe('the rates applied', () => {
  it('count a hand-worked case', () => {
    // 10 units in month 2 of 12, having lived 4 unit-months of it: 6 unit-months left in month 2,
    // then 10 units × months 3–11. Rate 0.01 in months 0–2, 0.02 after.
    const rates = [0.01, 0.01, 0.01, 0.02];
    expect(
      claimsToCome([{ ageMonths: 2, warrantyMonths: 12, units: 10, livedUnitMonths: 4 }], rates),
    ).toBeCloseTo(6 * 0.01 + 10 * 9 * 0.02, 12);
  });
});

describe('the Poisson quantile', () => {
  it('inverts the distribution function (exactly below a mean of 50) and never decreases with the mean', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (u, mean, more) => {
          const n = poissonQuantile(u, mean);
          if (mean > 0 && mean < 50) {
            expect(poissonCdf(n, mean)).toBeGreaterThanOrEqual(u);
            if (n > 0) expect(poissonCdf(n - 1, mean)).toBeLessThan(u);
          } else if (mean >= 50) {
            // Cornish–Fisher: within one count of the exact quantile.
            expect(poissonCdf(n + 1, mean)).toBeGreaterThanOrEqual(u);
            if (n > 1) expect(poissonCdf(n - 2, mean)).toBeLessThan(u);
          }
          expect(poissonQuantile(u, mean + more)).toBeGreaterThanOrEqual(n);
        },
      ),
      { numRuns: 300 },
    );
  });
});
