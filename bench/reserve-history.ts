/*
 * Sales and warranty claims with a known claim process, for the reserve's back-test. The scale data
 * (bench/generate.ts) cannot serve as a truth: it gives one purchase in five one repair claim and
 * squeezes its day into whatever of the first year has passed by the day of generation, so a young
 * unit claims as surely as an old one and the claims' ages depend on when the data was made. Here each
 * product has a Weibull claim rate h(t) = (k/λ)(t/λ)^(k−1) per month of life, and each unit's claims
 * in its warranty are drawn from it (a Poisson count of H(12) = (12/λ)^k, at ages drawn by inverting H),
 * seeded, so the same seed gives the same history.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.js';
import { endUsers, products } from '../src/db/schema.js';
import { decideEntitlement } from '../src/app/entitlements/evaluate-entitlement.js';
import { Temporal } from '../src/domain/calendar.js';
import { monthStart } from '../src/domain/insight/reserve/history.js';
import { poissonQuantile, type Random } from '../src/domain/insight/reserve/random.js';
import { builtInPolicyVersions } from '../src/domain/policy/halotek.js';

export type TruthProduct = {
  sku: string;
  nameEn: string;
  nameZh: string;
  /** Weibull shape k and the share of units with a claim by the end of a 12-month warranty, H(12). */
  shape: number;
  claimsPerUnitInWarranty: number;
  /** Units sold per month, and the month (from the start) its sales begin. */
  unitsPerMonth: number;
  launchMonth: number;
};

export const WARRANTY_MONTHS = 12;

export const truthProducts: readonly TruthProduct[] = [
  {
    sku: 'RSV-EARLY',
    nameEn: 'Panel, early failures',
    nameZh: '早期故障屏',
    shape: 0.6,
    claimsPerUnitInWarranty: 0.1,
    unitsPerMonth: 400,
    launchMonth: 0,
  },
  {
    sku: 'RSV-FLAT',
    nameEn: 'Headset, constant rate',
    nameZh: '恒定故障耳机',
    shape: 1,
    claimsPerUnitInWarranty: 0.05,
    unitsPerMonth: 600,
    launchMonth: 0,
  },
  {
    sku: 'RSV-WEAR',
    nameEn: 'Charger, wear-out',
    nameZh: '磨损型充电模块',
    shape: 2.5,
    claimsPerUnitInWarranty: 0.08,
    unitsPerMonth: 300,
    launchMonth: 6,
  },
  {
    sku: 'RSV-NEW',
    nameEn: 'Inverter, launched late',
    nameZh: '新上市逆变器',
    shape: 1.5,
    claimsPerUnitInWarranty: 0.04,
    unitsPerMonth: 250,
    launchMonth: 20,
  },
  {
    sku: 'RSV-RARE',
    nameEn: 'Monitor, rare claims',
    nameZh: '少故障巡检仪',
    shape: 1,
    claimsPerUnitInWarranty: 0.005,
    unitsPerMonth: 150,
    launchMonth: 0,
  },
];

/** λ from H(12) = (12/λ)^k. */
export const scaleOf = (p: TruthProduct) =>
  WARRANTY_MONTHS / Math.pow(p.claimsPerUnitInWarranty, 1 / p.shape);

export type Sale = { sku: string; purchaseDate: string };
export type Claim = { sku: string; purchaseDate: string; reportedOn: string };

/** The day at `t` months of life (fractional), months as the calendar adds them. */
function dayAtAge(purchase: Temporal.PlainDate, t: number): Temporal.PlainDate {
  const k = Math.floor(t);
  const start = monthStart(purchase, k);
  const length = start.until(monthStart(purchase, k + 1), { largestUnit: 'days' }).days;
  return start.add({ days: Math.min(length - 1, Math.floor((t - k) * length)) });
}

/**
 * Sales day by day from `start` for `months` months, and every claim they make in warranty — also
 * those after the end of the history, which the back-test needs as "what happened after".
 */
export function simulateHistory(start: Temporal.PlainDate, months: number, random: Random) {
  const sales: Sale[] = [];
  const claims: Claim[] = [];
  for (const p of truthProducts) {
    const lambda = scaleOf(p);
    for (let m = p.launchMonth; m < months; m++) {
      const first = monthStart(start, m);
      const days = first.until(monthStart(start, m + 1), { largestUnit: 'days' }).days;
      // Sales grow 2 % a month after launch.
      const units = Math.round(p.unitsPerMonth * Math.pow(1.02, m - p.launchMonth));
      for (let u = 0; u < units; u++) {
        const purchase = first.add({ days: Math.floor(random() * days) });
        sales.push({ sku: p.sku, purchaseDate: purchase.toString() });
        const n = poissonQuantile(random(), p.claimsPerUnitInWarranty);
        for (let c = 0; c < n; c++) {
          // H(t) = (t/λ)^k uniform on [0, H(12)]: t = λ (u H(12))^(1/k).
          const t = lambda * Math.pow(random() * p.claimsPerUnitInWarranty, 1 / p.shape);
          claims.push({
            sku: p.sku,
            purchaseDate: purchase.toString(),
            reportedOn: dayAtAge(purchase, t).toString(),
          });
        }
      }
    }
  }
  return { sales, claims };
}

/** Writes the products, the sales and the claims reported by `end` (later ones are not known yet). */
export async function insertHistory(
  db: Database,
  history: { sales: readonly Sale[]; claims: readonly Claim[] },
  end: Temporal.PlainDate,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const p of truthProducts) {
    const [row] = await db
      .insert(products)
      .values({ sku: p.sku, nameEn: p.nameEn, nameZh: p.nameZh, category: 'dc_power_panel' })
      .returning({ id: products.id });
    if (!row) throw new Error('no product');
    ids.set(p.sku, row.id);
  }
  const [buyer] = await db
    .insert(endUsers)
    .values({ name: 'Back-test buyer', email: 'backtest@example.com' })
    .returning({ id: endUsers.id });
  if (!buyer) throw new Error('no buyer');
  const chunk = 20_000;
  for (let i = 0; i < history.sales.length; i += chunk) {
    const part = history.sales.slice(i, i + chunk);
    await db.execute(sql`
      insert into purchases (product_id, end_user_id, purchase_date, recorded_by)
      select x.product_id, ${buyer.id}, x.d, 'bench'
      from unnest(${sql.param(part.map((s) => ids.get(s.sku)))}::uuid[], ${sql.param(part.map((s) => s.purchaseDate))}::date[]) as x(product_id, d)`);
  }
  // Each claim goes on one of its day's sales of the product (which one does not matter to the rates).
  const known = history.claims.filter((c) => c.reportedOn <= end.toString());
  const decision = (c: Claim) =>
    decideEntitlement(
      builtInPolicyVersions,
      { purchaseDate: c.purchaseDate, reportDate: c.reportedOn, cause: 'quality' },
      { storeTimeZone: 'Asia/Shanghai' },
    );
  for (let i = 0; i < known.length; i += chunk) {
    const part = known.slice(i, i + chunk);
    const decisions = part.map(decision);
    await db.execute(sql`
      insert into claims (purchase_id, end_user_id, reported_on, cause, description, decision, policy_version_id, status)
      select (select p.id from purchases p where p.product_id = x.product_id and p.purchase_date = x.d limit 1),
             ${buyer.id}, x.r, 'quality', 'back-test', x.decision, x.policy, 'resolved'
      from unnest(${sql.param(part.map((c) => ids.get(c.sku)))}::uuid[], ${sql.param(part.map((c) => c.purchaseDate))}::date[],
                  ${sql.param(part.map((c) => c.reportedOn))}::date[], ${sql.param(decisions.map((d) => JSON.stringify(d)))}::jsonb[],
                  ${sql.param(decisions.map((d) => d.policyVersion))}::text[]) as x(product_id, d, r, decision, policy)`);
  }
  return ids;
}
