/*
 * `npm run bench:reserve`: the warranty reserve back-tested. A history with a known claim process
 * (bench/reserve-history.ts: five products, Weibull claim rates from early failures to wear-out, one
 * launched late, one with rare claims; four years of sales) goes into an embedded database. At each
 * cut-off month m the forecast is made with only what was known on its last day — the app's own SQL
 * counting (countHistory, with asOf) and the domain's forecast — and compared with the claims that
 * units sold by then made after it, under their warranty. The cost of a claim is set to 1, so the
 * figures are claims: the provision is that count times the observed cost per claim.
 * Writes bench/results/reserve-backtest.md.
 *
 *   RESERVE_SEED=19   the history's seed (the forecast's bootstrap has its own, RESERVE_SEED in the app)
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import {
  countHistory,
  historiesOf,
  RESERVE_LEVEL,
  RESERVE_REPLICATES,
  RESERVE_SEED,
} from '../src/app/insight/reserve/read-reserve.js';
import { createPglite, openDatabase } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { ensureBuiltInPolicies } from '../src/db/policies.js';
import { Temporal } from '../src/domain/calendar.js';
import { forecastReserve } from '../src/domain/insight/reserve/forecast.js';
import { ageInMonths, livedFraction, monthStart } from '../src/domain/insight/reserve/history.js';
import { seededRandom } from '../src/domain/insight/reserve/random.js';
import { builtInPolicyVersions } from '../src/domain/policy/halotek.js';
import { scaleOf, simulateHistory, truthProducts, WARRANTY_MONTHS } from './reserve-history.js';

const SEED = Number(process.env.RESERVE_SEED ?? 19);
const START = Temporal.PlainDate.from('2022-12-01');
const MONTHS = 48;
const CUTS = [18, 24, 30, 36];

type Row = {
  cut: number;
  asOf: string;
  sku: string;
  unitsInForce: number;
  truth: number;
  actual: number;
  lifeTable: number;
  low: number;
  high: number;
  weibull: number | null;
  shape: number | null;
  scale: number | null;
};

const relative = (forecast: number, actual: number) => (actual > 0 ? (forecast - actual) / actual : NaN);
const pct = (x: number) => (Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)} %`);
const num = (x: number | null, digits = 1) => (x === null ? '—' : x.toFixed(digits));

async function main(): Promise<void> {
  const started = performance.now();
  const end = monthStart(START, MONTHS).subtract({ days: 1 });
  const history = simulateHistory(START, MONTHS, seededRandom(SEED));
  const pglite = await createPglite();
  const handle = await openDatabase({ pglite });
  const rows: Row[] = [];
  try {
    await migrateDatabase(handle);
    await ensureBuiltInPolicies(handle.db);
    const { insertHistory } = await import('./reserve-history.js');
    const ids = await insertHistory(handle.db, history, end);
    const skuOf = new Map([...ids.entries()].map(([sku, id]) => [id, sku]));
    const versions = [...builtInPolicyVersions].sort((a, b) =>
      a.effectiveFrom.localeCompare(b.effectiveFrom),
    );
    console.log(
      `${history.sales.length} sales, ${history.claims.length} claims in warranty; end ${end.toString()}`,
    );

    for (const cut of CUTS) {
      const asOf = monthStart(START, cut).subtract({ days: 1 });
      const counts = await countHistory(handle.db, { asOf: asOf.toString(), versions });
      const histories = historiesOf(counts, versions, new Map());
      const order = [...histories.keys()].sort((a, b) =>
        (skuOf.get(a) ?? '').localeCompare(skuOf.get(b) ?? ''),
      );
      const reserve = forecastReserve(
        order.map((id) => ({
          history: histories.get(id) ?? { cohorts: [], claims: [] },
          costPerClaimMinor: 1,
        })),
        { replicates: RESERVE_REPLICATES, level: RESERVE_LEVEL, random: seededRandom(RESERVE_SEED) },
      );
      order.forEach((id, i) => {
        const sku = skuOf.get(id) ?? '';
        const truth = truthProducts.find((p) => p.sku === sku);
        const r = reserve.products[i];
        if (!truth || !r) return;
        const H = (t: number) => Math.pow(Math.min(t, WARRANTY_MONTHS) / scaleOf(truth), truth.shape);
        let expected = 0;
        for (const s of history.sales) {
          if (s.sku !== sku || s.purchaseDate > asOf.toString()) continue;
          const p = Temporal.PlainDate.from(s.purchaseDate);
          const age = ageInMonths(p, asOf) + livedFraction(p, asOf);
          if (age < WARRANTY_MONTHS) expected += H(WARRANTY_MONTHS) - H(age);
        }
        const actual = history.claims.filter(
          (c) => c.sku === sku && c.purchaseDate <= asOf.toString() && c.reportedOn > asOf.toString(),
        ).length;
        rows.push({
          cut,
          asOf: asOf.toString(),
          sku,
          unitsInForce: r.unitsInForce,
          truth: expected,
          actual,
          lifeTable: r.expectedClaims,
          low: r.interval.lowMinor,
          high: r.interval.highMinor,
          weibull: r.weibullExpectedClaims,
          shape: r.weibull?.shape ?? null,
          scale: r.weibull?.scaleMonths ?? null,
        });
      });
      const total = rows.filter((r) => r.cut === cut);
      rows.push({
        cut,
        asOf: asOf.toString(),
        sku: 'total',
        unitsInForce: total.reduce((s, r) => s + r.unitsInForce, 0),
        truth: total.reduce((s, r) => s + r.truth, 0),
        actual: total.reduce((s, r) => s + r.actual, 0),
        lifeTable: total.reduce((s, r) => s + r.lifeTable, 0),
        low: reserve.interval.lowMinor,
        high: reserve.interval.highMinor,
        weibull: total.reduce((s, r) => s + (r.weibull ?? 0), 0),
        shape: null,
        scale: null,
      });
      console.log(`cut at month ${cut} (${asOf.toString()}) done`);
    }
  } finally {
    await handle.close();
  }

  const products = rows.filter((r) => r.sku !== 'total' && r.actual > 0);
  const totals = rows.filter((r) => r.sku === 'total');
  const mape = (rs: Row[], f: (r: Row) => number | null) =>
    rs.reduce((s, r) => s + Math.abs(relative(f(r) ?? 0, r.actual)), 0) / rs.length;
  const covered = (rs: Row[]) => rs.filter((r) => r.actual >= r.low && r.actual <= r.high).length;
  const allProducts = rows.filter((r) => r.sku !== 'total');
  const [l1, l5, l15] = loadavg();
  const lines = [
    '# Warranty reserve back-test',
    '',
    '<!-- Written by `npm run bench:reserve` (bench/reserve-backtest.ts). -->',
    '',
    `History: ${history.sales.length.toLocaleString('en')} sales over ${MONTHS} months from ${START.toString()}, ` +
      `${history.claims.length.toLocaleString('en')} warranty claims (seed ${SEED}), from a known Weibull claim ` +
      `rate per product (bench/reserve-history.ts); warranty ${WARRANTY_MONTHS} months (the built-in policy). ` +
      `At each cut-off the forecast sees only sales and claims up to its day, counted by the app's SQL ` +
      `(\`countHistory\` on PGlite), and is compared with the claims those units made after it. Cost per claim = 1: ` +
      `figures are claims. Interval: ${RESERVE_LEVEL * 100} % from ${RESERVE_REPLICATES} bootstrap replicates.`,
    '',
    '## Summary',
    '',
    '| measure | life table (the provision) | Weibull |',
    '| --- | ---: | ---: |',
    `| MAPE per product and cut-off (${products.length} with claims after) | ${pct(mape(products, (r) => r.lifeTable))} | ${pct(mape(products, (r) => r.weibull))} |`,
    `| MAPE of the total, per cut-off (${totals.length}) | ${pct(mape(totals, (r) => r.lifeTable))} | ${pct(mape(totals, (r) => r.weibull))} |`,
    `| what happened fell in the 90 % interval, per product and cut-off | ${covered(allProducts)} of ${allProducts.length} | — |`,
    `| … for the total | ${covered(totals)} of ${totals.length} | — |`,
    `| the truth's own error (known rates, Poisson luck only), MAPE per product | ${pct(mape(products, (r) => r.truth))} | |`,
    '',
    '## Per cut-off and product',
    '',
    '`truth`: claims the known process expects from the units in force; `actual`: claims they made after the cut-off.',
    '',
    '| cut-off (month, day) | product | units in force | truth | actual | life table | 90 % interval | in it | error | Weibull (k, λ months) | Weibull error |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | --- | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.cut}, ${r.asOf} | ${r.sku === 'total' ? '**total**' : r.sku} | ${r.unitsInForce.toLocaleString('en')} | ${num(r.truth)} | ${r.actual} | ${num(r.lifeTable)} | ${r.low}–${r.high} | ${r.actual >= r.low && r.actual <= r.high ? 'yes' : '**no**'} | ${pct(relative(r.lifeTable, r.actual))} | ${num(r.weibull)}${r.shape === null ? '' : ` (${r.shape.toFixed(2)}, ${num(r.scale, 0)})`} | ${pct(relative(r.weibull ?? 0, r.actual))} |`,
    ),
    '',
    '## The truth',
    '',
    '| product | shape k | scale λ (months) | claims per unit in warranty | sales from month |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...truthProducts.map(
      (p) =>
        `| ${p.sku} | ${p.shape} | ${scaleOf(p).toFixed(0)} | ${p.claimsPerUnitInWarranty} | ${p.launchMonth} |`,
    ),
    '',
    `Run ${new Date().toISOString().slice(0, 10)} in ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${l1?.toFixed(1)} / ${l5?.toFixed(1)} / ${l15?.toFixed(1)} (other helpers' tests share the 2 cores).`,
    '',
  ];
  const file = path.join(import.meta.dirname, 'results', 'reserve-backtest.md');
  writeFileSync(file, lines.join('\n'));
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
