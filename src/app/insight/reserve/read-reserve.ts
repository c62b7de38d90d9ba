import { inArray, type SQL, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import { products } from '../../../db/schema.js';
import { type Actor, authorize } from '../../../domain/access/access.js';
import { calendarDateIn, parsePlainDate, type Temporal } from '../../../domain/calendar.js';
import {
  forecastReserve,
  type LifeTableRow,
  type WeibullFit,
  weibullMonthRate,
} from '../../../domain/insight/reserve/forecast.js';
import {
  type Cohort,
  type ProductHistory,
  warrantyMonthsOf,
} from '../../../domain/insight/reserve/history.js';
import { seededRandom } from '../../../domain/insight/reserve/random.js';
import type { PolicyVersion } from '../../../domain/policy/schema.js';
import { forbidden } from '../../access.js';
import { AppError } from '../../errors.js';
import type { PolicySource } from '../../policies/policy-source.js';
import {
  type ClaimCosts,
  costPerClaim,
  observedClaimCosts,
  warrantyClaimCondition,
} from './cost-per-claim.js';

/*
 * The warranty reserve as finance books it: per product and in total, the expected cost of the
 * warranty claims still to come on units sold and still in warranty, with a 90 % interval, from the
 * claim rate by month of life (life table and Weibull, domain/insight/reserve) and the observed cost
 * of a claim (cost-per-claim.ts). The database does the counting — units by product, warranty and
 * month of life on the day; claims by product, warranty and month of life when reported — so a
 * million purchases come back as a few hundred rows.
 */

export type ReserveDeps = {
  db: Database;
  policies: PolicySource;
  storeTimeZone: string;
  now: () => Temporal.Instant;
};

/** The bootstrap's size, level and seed: the same data always gives the same interval. */
export const RESERVE_REPLICATES = 500;
export const RESERVE_LEVEL = 0.9;
export const RESERVE_SEED = 19;

type Money = { amountMinor: number; currency: string };

export type ReserveProductView = {
  product: { id: string; sku: string; name: { en: string; zh: string } };
  warrantyMonths: number;
  unitsInForce: number;
  unitMonthsToCome: number;
  claimsObserved: number;
  expectedClaims: number;
  costPerClaim: Money & {
    basis: 'product' | 'all_products';
    claims: number;
    reimbursementsMinor: number;
    makerCostsMinor: number;
    oemCreditsMinor: number;
  };
  provision: Money;
  interval: { low: Money; high: Money };
  weibull: {
    shape: number;
    scaleMonths: number;
    expectedClaims: number;
    provision: Money;
  } | null;
  lifeTable: (LifeTableRow & { weibullRate: number | null })[];
};

export type ReserveView = {
  asOf: string;
  currency: string;
  level: number;
  replicates: number;
  seed: number;
  otherCurrencyRows: number;
  total: {
    unitsInForce: number;
    expectedClaims: number;
    provision: Money;
    interval: { low: Money; high: Money };
    weibullProvision: Money;
  };
  products: ReserveProductView[];
};

export type ReserveQuery = {
  asOf?: string | undefined;
  productId?: string | undefined;
  currency?: string | undefined;
};

/** Which policy version a purchase day falls under, as a SQL CASE over the versions' first days. */
function versionIndexOf(day: SQL, versions: readonly PolicyVersion[]): SQL {
  if (versions.length === 0) return sql`-1`;
  const branches = versions
    .map((v, i) => ({ v, i }))
    .reverse()
    .map(({ v, i }) => sql`when ${day} >= ${v.effectiveFrom}::date then ${sql.raw(String(i))}`);
  return sql`(case ${sql.join(branches, sql` `)} else -1 end)`;
}

/** The month of life `day` falls in for a purchase on `purchase` (history.ts `ageInMonths`, in SQL). */
function monthOfLife(purchase: SQL, day: SQL): SQL {
  const rough = sql`((extract(year from ${day})::int - extract(year from ${purchase})::int) * 12
    + extract(month from ${day})::int - extract(month from ${purchase})::int)`;
  return sql`(${rough} - case when (${purchase} + make_interval(months => ${rough}))::date > ${day} then 1 else 0 end)`;
}

type Counts = {
  units: { productId: string; version: number; age: number; units: number; lived: number }[];
  claims: { productId: string; version: number; age: number; claims: number }[];
};

/** Units and claims counted by product, policy version and month of life, up to `asOf`. */
export async function countHistory(
  db: Database | Transaction,
  input: { asOf: string; productId?: string | undefined; versions: readonly PolicyVersion[] },
): Promise<Counts> {
  const asOf = sql`${input.asOf}::date`;
  const product = input.productId ? sql`and product_id = ${input.productId}` : sql``;
  const units = rowsOf(
    await db.execute(sql`
      with by_day as (
        select product_id, purchase_date as d, count(*)::int as n
        from purchases
        where verification <> 'rejected' and purchase_date <= ${asOf} ${product}
        group by product_id, purchase_date
      ), aged as (
        select product_id, d, n, ${versionIndexOf(sql`d`, input.versions)} as version,
               ${monthOfLife(sql`d`, asOf)} as age
        from by_day
      )
      select product_id, version, age, sum(n)::int as units,
             sum(n * (${asOf} - (d + make_interval(months => age))::date + 1)::float8
                 / ((d + make_interval(months => age + 1))::date - (d + make_interval(months => age))::date))::float8 as lived
      from aged group by product_id, version, age`),
  ).map((r) => ({
    productId: String(r.product_id),
    version: Number(r.version),
    age: Number(r.age),
    units: Number(r.units),
    lived: Number(r.lived),
  }));
  const claimProduct = input.productId ? sql`and p.product_id = ${input.productId}` : sql``;
  const claims = rowsOf(
    await db.execute(sql`
      select product_id, version, age, count(*)::int as claims from (
        select p.product_id, ${versionIndexOf(sql`p.purchase_date`, input.versions)} as version,
               ${monthOfLife(sql`p.purchase_date`, sql`c.reported_on`)} as age
        from claims c join purchases p on p.id = c.purchase_id
        where c.reported_on <= ${asOf} and ${warrantyClaimCondition} ${claimProduct}
      ) x group by product_id, version, age`),
  ).map((r) => ({
    productId: String(r.product_id),
    version: Number(r.version),
    age: Number(r.age),
    claims: Number(r.claims),
  }));
  return { units, claims };
}

/** Each product's history, its warranty in months per policy version (or its own, when it has one). */
export function historiesOf(
  counts: Counts,
  versions: readonly PolicyVersion[],
  overrides: ReadonlyMap<string, { years?: number; months?: number; days?: number } | null>,
): Map<string, ProductHistory> {
  const warrantyOf = (productId: string, version: number) => {
    const own = overrides.get(productId);
    if (own) return warrantyMonthsOf(own);
    const windows = versions[version]?.endUser.windows;
    const last = windows?.[windows.length - 1];
    return last ? warrantyMonthsOf(last.within) : 0;
  };
  const histories = new Map<string, ProductHistory>();
  const historyOf = (productId: string) => {
    const h = histories.get(productId) ?? { cohorts: [], claims: [] };
    histories.set(productId, h);
    return h;
  };
  for (const u of counts.units) {
    const warrantyMonths = warrantyOf(u.productId, u.version);
    if (warrantyMonths <= 0) continue; // sold before any policy: no warranty to reserve for
    const cohort: Cohort = { ageMonths: u.age, warrantyMonths, units: u.units, livedUnitMonths: u.lived };
    historyOf(u.productId).cohorts.push(cohort);
  }
  for (const c of counts.claims) {
    if (c.age < 0 || c.age >= warrantyOf(c.productId, c.version)) continue;
    const h = historyOf(c.productId);
    const at = h.claims.find((x) => x.ageMonths === c.age);
    if (at) at.claims += c.claims;
    else h.claims.push({ ageMonths: c.age, claims: c.claims });
  }
  for (const h of histories.values()) h.claims.sort((a, b) => a.ageMonths - b.ageMonths);
  return histories;
}

export function assertMayReadReserve(actor: Actor): void {
  if (authorize(actor, 'reserve.read', {}) !== 'allowed') throw forbidden();
}

export const asOfInFuture = {
  code: 'AS_OF_IN_FUTURE',
  message: 'the forecast can be made as of today at the latest',
};

/** The reserve as of a store calendar day (today by default), every product or one. */
export async function readReserve(
  deps: ReserveDeps,
  actor: Actor,
  query: ReserveQuery,
): Promise<ReserveView> {
  assertMayReadReserve(actor);
  const today = calendarDateIn(deps.now(), deps.storeTimeZone).toString();
  let asOf = today;
  if (query.asOf !== undefined) {
    const parsed = parsePlainDate(query.asOf);
    if ('code' in parsed) throw new AppError('invalid', parsed.code, parsed.message, { field: 'asOf' });
    asOf = parsed.toString();
    if (asOf > today)
      throw new AppError('invalid', asOfInFuture.code, asOfInFuture.message, { field: 'asOf' });
  }
  const versions = [...(await deps.policies.versions())].sort((a, b) =>
    a.effectiveFrom.localeCompare(b.effectiveFrom),
  );
  const counts = await countHistory(deps.db, { asOf, productId: query.productId, versions });
  const costs = await observedClaimCosts(deps.db, {
    asOf,
    timeZone: deps.storeTimeZone,
    currency: query.currency,
  });
  const productIds = [
    ...new Set([...counts.units.map((u) => u.productId), ...counts.claims.map((c) => c.productId)]),
  ];
  const productRows =
    productIds.length === 0
      ? []
      : await deps.db
          .select({
            id: products.id,
            sku: products.sku,
            nameEn: products.nameEn,
            nameZh: products.nameZh,
            warrantyOverride: products.warrantyOverride,
          })
          .from(products)
          .where(inArray(products.id, productIds));
  productRows.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const histories = historiesOf(
    counts,
    versions,
    new Map(productRows.map((p) => [p.id, p.warrantyOverride])),
  );
  const shown = productRows.filter((p) => histories.has(p.id));
  return reserveView(asOf, costs, shown, histories);
}

function reserveView(
  asOf: string,
  costs: ClaimCosts,
  shown: readonly { id: string; sku: string; nameEn: string; nameZh: string }[],
  histories: ReadonlyMap<string, ProductHistory>,
): ReserveView {
  const currency = costs.currency;
  const money = (amountMinor: number): Money => ({ amountMinor, currency });
  const perClaim = shown.map((p) => costPerClaim(costs, p.id));
  const reserve = forecastReserve(
    shown.map((p, i) => ({
      history: histories.get(p.id) ?? { cohorts: [], claims: [] },
      costPerClaimMinor: perClaim[i]?.minor ?? 0,
    })),
    { replicates: RESERVE_REPLICATES, level: RESERVE_LEVEL, random: seededRandom(RESERVE_SEED) },
  );
  const weibullView = (fit: WeibullFit | null, expected: number | null, provision: number | null) =>
    fit && expected !== null && provision !== null
      ? {
          shape: fit.shape,
          scaleMonths: fit.scaleMonths,
          expectedClaims: expected,
          provision: money(provision),
        }
      : null;
  const views = shown.map((p, i): ReserveProductView => {
    const r = reserve.products[i];
    if (!r) throw new Error('a product without its forecast');
    const own = costs.byProduct.get(p.id);
    const basis = perClaim[i]?.basis ?? 'all_products';
    const source = basis === 'product' && own ? own : costs.all;
    const history = histories.get(p.id);
    return {
      product: { id: p.id, sku: p.sku, name: { en: p.nameEn, zh: p.nameZh } },
      warrantyMonths: Math.max(0, ...(history?.cohorts.map((c) => c.warrantyMonths) ?? [])),
      unitsInForce: r.unitsInForce,
      unitMonthsToCome: r.unitMonthsToCome,
      claimsObserved: r.claimsObserved,
      expectedClaims: r.expectedClaims,
      costPerClaim: {
        amountMinor: Math.round(perClaim[i]?.minor ?? 0),
        currency,
        basis,
        claims: source.claims,
        reimbursementsMinor: source.reimbursementsMinor,
        makerCostsMinor: source.makerCostsMinor,
        oemCreditsMinor: source.oemCreditsMinor,
      },
      provision: money(r.provisionMinor),
      interval: { low: money(r.interval.lowMinor), high: money(r.interval.highMinor) },
      weibull: weibullView(r.weibull, r.weibullExpectedClaims, r.weibullProvisionMinor),
      lifeTable: r.lifeTable.map((row) => ({
        ...row,
        weibullRate: r.weibull ? weibullMonthRate(r.weibull, row.ageMonths) : null,
      })),
    };
  });
  return {
    asOf,
    currency,
    level: RESERVE_LEVEL,
    replicates: RESERVE_REPLICATES,
    seed: RESERVE_SEED,
    otherCurrencyRows: costs.otherCurrencyRows,
    total: {
      unitsInForce: views.reduce((s, v) => s + v.unitsInForce, 0),
      expectedClaims: views.reduce((s, v) => s + v.expectedClaims, 0),
      provision: money(reserve.provisionMinor),
      interval: { low: money(reserve.interval.lowMinor), high: money(reserve.interval.highMinor) },
      weibullProvision: money(reserve.weibullProvisionMinor),
    },
    products: views,
  };
}
