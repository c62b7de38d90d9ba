import { Temporal } from '../../calendar.js';

/*
 * Ages in whole months since purchase, as the reserve counts them, and the history of one product
 * grouped the way the database groups it: units by the month of life they are in on the day of the
 * forecast, claims by the month of life they were reported in. The database computes the same groups
 * in SQL (app/insight/reserve); `historyOfRecords` is the naive count the tests compare it with.
 */

/**
 * Month `k` of a unit's life runs from purchase + k months (inclusive) to purchase + k + 1 months
 * (exclusive), months added as the calendar adds them (31 January + 1 month = 28 or 29 February).
 */
export function monthStart(purchase: Temporal.PlainDate, k: number): Temporal.PlainDate {
  return purchase.add({ months: k }, { overflow: 'constrain' });
}

/** The month of life `day` falls in (0 for the first month); negative before the purchase. */
export function ageInMonths(purchase: Temporal.PlainDate, day: Temporal.PlainDate): number {
  if (Temporal.PlainDate.compare(day, purchase) < 0) return -1;
  const rough = (day.year - purchase.year) * 12 + (day.month - purchase.month);
  let k = Math.max(0, rough - 1);
  while (Temporal.PlainDate.compare(monthStart(purchase, k + 1), day) <= 0) k++;
  return k;
}

/** How much of its month of life a unit has lived by the end of `day`: in (0, 1]. */
export function livedFraction(purchase: Temporal.PlainDate, day: Temporal.PlainDate): number {
  const k = ageInMonths(purchase, day);
  const start = monthStart(purchase, k);
  const length = start.until(monthStart(purchase, k + 1), { largestUnit: 'days' }).days;
  const lived = start.until(day, { largestUnit: 'days' }).days + 1;
  return lived / length;
}

/**
 * Units sold that share the month of life they are in on the forecast day and the length of their
 * warranty: `units` of them, who together have lived `livedUnitMonths` of that month (each between
 * 0 and 1). A unit whose warranty is over (ageMonths ≥ warrantyMonths) is no longer in force, but its
 * months under warranty still count as observed.
 */
export type Cohort = {
  ageMonths: number;
  warrantyMonths: number;
  units: number;
  livedUnitMonths: number;
};

/** Warranty claims reported in one month of life. */
export type ClaimsAtAge = { ageMonths: number; claims: number };

export type ProductHistory = { cohorts: Cohort[]; claims: ClaimsAtAge[] };

export type SaleRecord = { purchaseDate: string; warrantyMonths: number };
export type ClaimRecord = { purchaseDate: string; reportedOn: string };

/**
 * The naive count: each sale and each claim on or before `asOf`, one by one. A claim reported after
 * its unit's warranty is no warranty claim and is left out, as the database leaves out paid claims.
 */
export function historyOfRecords(
  sales: readonly SaleRecord[],
  claims: readonly (ClaimRecord & { warrantyMonths: number })[],
  asOf: Temporal.PlainDate,
): ProductHistory {
  const cohorts = new Map<string, Cohort>();
  for (const sale of sales) {
    const purchase = Temporal.PlainDate.from(sale.purchaseDate);
    if (Temporal.PlainDate.compare(purchase, asOf) > 0) continue;
    const ageMonths = ageInMonths(purchase, asOf);
    const key = `${ageMonths} ${sale.warrantyMonths}`;
    const c = cohorts.get(key) ?? {
      ageMonths,
      warrantyMonths: sale.warrantyMonths,
      units: 0,
      livedUnitMonths: 0,
    };
    c.units += 1;
    c.livedUnitMonths += livedFraction(purchase, asOf);
    cohorts.set(key, c);
  }
  const byAge = new Map<number, number>();
  for (const claim of claims) {
    const purchase = Temporal.PlainDate.from(claim.purchaseDate);
    const reported = Temporal.PlainDate.from(claim.reportedOn);
    if (Temporal.PlainDate.compare(reported, asOf) > 0) continue;
    const age = ageInMonths(purchase, reported);
    if (age < 0 || age >= claim.warrantyMonths) continue;
    byAge.set(age, (byAge.get(age) ?? 0) + 1);
  }
  return {
    cohorts: [...cohorts.values()].sort(
      (a, b) => a.ageMonths - b.ageMonths || a.warrantyMonths - b.warrantyMonths,
    ),
    claims: [...byAge.entries()]
      .sort(([a], [b]) => a - b)
      .map(([ageMonths, claims]) => ({ ageMonths, claims })),
  };
}

/**
 * A warranty's length in months of life: one year is 12. Days round up to whole months (30 days to
 * the month), so a 400-day warranty is 14 months and the reserve never cuts a warranty short.
 */
export function warrantyMonthsOf(length: {
  years?: number | undefined;
  months?: number | undefined;
  days?: number | undefined;
}): number {
  return (length.years ?? 0) * 12 + (length.months ?? 0) + Math.ceil((length.days ?? 0) / 30);
}
