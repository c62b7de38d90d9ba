/*
 * The cost of warranty, per product and month (issue 19): what the maker paid out for defects, by
 * where the money went, beside what paid service brought in. Pure: the app reads the rows and the
 * units sold, this module names the categories and turns the cells into per-product figures.
 */

/** Where the warranty's money went; each is traceable to its rows (app/insight/cost/cost-rows.ts). */
export const costCategories = [
  /** Refunds a dealer made at the counter and the maker paid back (approved reimbursement claims). */
  'dealer_refund',
  /** Same-type replacements a dealer handed over and the maker paid back. */
  'dealer_replacement',
  /** Parts used on free repairs (maintenance orders under warranty). */
  'repair_parts',
  /** Hours of labour on free repairs, at the rate in force when recorded. */
  'repair_labour',
  /** Units shipped to an OEM client to replace excess defects, at the order's contract price. */
  'oem_replacement',
  /** Credits on an OEM client's next order, in money or in units at the order's contract price. */
  'oem_credit',
  /** Units remade for a confirmed batch defect, and the remake's other costs. */
  'remake',
  /** The remake's air freight. */
  'air_freight',
] as const;
export type CostCategory = (typeof costCategories)[number];

/** Shown apart, as income: paid service invoiced to customers. */
export const incomeCategories = ['paid_service'] as const;
export type IncomeCategory = (typeof incomeCategories)[number];

export const rowCategories = [...costCategories, ...incomeCategories] as const;
export type RowCategory = (typeof rowCategories)[number];

export function isCostCategory(category: string): category is CostCategory {
  return (costCategories as readonly string[]).includes(category);
}

/** One cell of the report: a product, a month (YYYY-MM) and a category, with how many rows made it. */
export type CostCell = {
  productId: string;
  month: string;
  category: RowCategory;
  amountMinor: number;
  rows: number;
};

/** Units sold and claims reported of a product in a month. */
export type VolumeCell = { productId: string; month: string; unitsSold: number; claims: number };

export type ProductFigures = {
  productId: string;
  unitsSold: number;
  claims: number;
  costMinor: number;
  incomeMinor: number;
  byCategory: Record<RowCategory, number>;
  /** Cost ÷ units sold, in minor units rounded half up; null when nothing was sold. */
  costPerUnitSoldMinor: number | null;
  /** Claims per 1,000 units sold, to two decimals; null when nothing was sold. */
  claimsPerThousand: number | null;
  /** Cost ÷ claims, in minor units rounded half up; null without claims. */
  costPerClaimMinor: number | null;
};

/** a ÷ b rounded half up, for non-negative whole numbers; exact past 2^53 in between. */
export function divideRounded(a: number, b: number): number {
  return Number((2n * BigInt(a) + BigInt(b)) / (2n * BigInt(b)));
}

export function emptyByCategory(): Record<RowCategory, number> {
  return Object.fromEntries(rowCategories.map((c) => [c, 0])) as Record<RowCategory, number>;
}

/** Per product: the costs and income of its cells, its volumes, and the per-unit figures. */
export function productFigures(cells: readonly CostCell[], volumes: readonly VolumeCell[]): ProductFigures[] {
  const byProduct = new Map<string, ProductFigures>();
  const of = (productId: string): ProductFigures => {
    let f = byProduct.get(productId);
    if (!f) {
      f = {
        productId,
        unitsSold: 0,
        claims: 0,
        costMinor: 0,
        incomeMinor: 0,
        byCategory: emptyByCategory(),
        costPerUnitSoldMinor: null,
        claimsPerThousand: null,
        costPerClaimMinor: null,
      };
      byProduct.set(productId, f);
    }
    return f;
  };
  for (const c of cells) {
    const f = of(c.productId);
    f.byCategory[c.category] += c.amountMinor;
    if (isCostCategory(c.category)) f.costMinor += c.amountMinor;
    else f.incomeMinor += c.amountMinor;
  }
  for (const v of volumes) {
    const f = of(v.productId);
    f.unitsSold += v.unitsSold;
    f.claims += v.claims;
  }
  for (const f of byProduct.values()) {
    if (f.unitsSold > 0) {
      f.costPerUnitSoldMinor = divideRounded(f.costMinor, f.unitsSold);
      f.claimsPerThousand = divideRounded(f.claims * 100_000, f.unitsSold) / 100;
    }
    if (f.claims > 0) f.costPerClaimMinor = divideRounded(f.costMinor, f.claims);
  }
  return [...byProduct.values()];
}

/** The months (YYYY-MM) from one day's to another's, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const [ty, tm] = [Number(to.slice(0, 4)), Number(to.slice(5, 7))];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}
