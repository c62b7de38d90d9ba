import { asc, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../../db/client.js';
import { products } from '../../../db/schema.js';
import { rowsOf } from '../../../db/rows.js';
import type { Actor } from '../../../domain/access/access.js';
import { calendarDateIn, parsePlainDate, Temporal } from '../../../domain/calendar.js';
import { csvCell } from '../../../domain/csv.js';
import type { Money } from '../../../domain/money.js';
import {
  type CostCell,
  costCategories,
  monthsBetween,
  type ProductFigures,
  productFigures,
  type RowCategory,
  rowCategories,
  type VolumeCell,
} from '../../../domain/warranty-cost/report.js';
import { assertAllowed } from '../../access.js';
import { AppError } from '../../errors.js';
import { decimalAmount } from '../../oem/maker-costs.js';
import { allCostRows, type CostRowSource, costRowsOf, type RowFilter } from './cost-rows.js';
import { warrantyCostSettings } from './cost-settings.js';

/*
 * The cost of warranty (issue 19), per product and month in the maker's currency: the one place it is
 * computed. The report, its drill-down, its CSV and the observed cost per claim (which the reserve
 * forecast multiplies by the claims still to come) all read the rows of cost-rows.ts. Rows in another
 * currency than the maker's are not converted: they are counted apart, so nobody mistakes the total
 * for complete.
 */

export type CostDeps = { db: Database; now: () => Temporal.Instant; storeTimeZone: string };

export type CostQuery = {
  from?: string | undefined;
  to?: string | undefined;
  productId?: string | undefined;
};

/** The longest range one report covers: five years of months. */
export const MAX_REPORT_MONTHS = 60;

export type CostReport = {
  currency: string;
  from: string;
  to: string;
  months: string[];
  products: { id: string; sku: string; name: { en: string; zh: string } }[];
  cells: CostCell[];
  volumes: VolumeCell[];
  figures: ProductFigures[];
  totals: {
    costMinor: number;
    incomeMinor: number;
    unitsSold: number;
    claims: number;
    byCategory: Record<RowCategory, number>;
  };
  /** Rows left out because they are in another currency than the maker's, per source and currency. */
  excluded: { source: CostRowSource; currency: string; rows: number; amountMinor: number }[];
};

const notFound = { code: 'NOT_FOUND', message: 'not found' };

/** The range asked for, or the last twelve months to today (the store's calendar). */
export function reportRange(
  query: CostQuery,
  deps: Pick<CostDeps, 'now' | 'storeTimeZone'>,
): { from: string; to: string } {
  const today = calendarDateIn(deps.now(), deps.storeTimeZone);
  const to = query.to ?? today.toString();
  const from = query.from ?? today.subtract({ months: 11 }).with({ day: 1 }).toString();
  const fromDay = plainDay(from);
  const toDay = plainDay(to);
  if (Temporal.PlainDate.compare(fromDay, toDay) > 0) {
    throw new AppError('invalid', 'RANGE_REVERSED', 'the range ends before it starts', { from, to });
  }
  if (monthsBetween(from, to).length > MAX_REPORT_MONTHS) {
    throw new AppError('invalid', 'RANGE_TOO_LONG', `a report covers at most ${MAX_REPORT_MONTHS} months`, {
      from,
      to,
    });
  }
  return { from, to };
}

const int = (v: unknown): number => Number(v);

function plainDay(text: string): Temporal.PlainDate {
  const day = parsePlainDate(text);
  if ('code' in day) throw new AppError('invalid', day.code, day.message);
  return day;
}

type Grouped = {
  category: RowCategory;
  productId: string;
  month: string;
  currency: string;
  source: CostRowSource;
  amountMinor: number;
  rows: number;
};

async function groupedRows(db: Database | Transaction, f: RowFilter): Promise<Grouped[]> {
  const result = await db.execute(sql`
    select r.category, r.product_id, to_char(r.day, 'YYYY-MM') as month, r.currency, r.source,
           sum(r.amount_minor)::bigint as amount_minor, count(*)::int as n
      from (${allCostRows(f)}) r
     group by 1, 2, 3, 4, 5`);
  return rowsOf(result).map((r) => ({
    category: r.category as RowCategory,
    productId: String(r.product_id),
    month: String(r.month),
    currency: String(r.currency),
    source: r.source as CostRowSource,
    amountMinor: int(r.amount_minor),
    rows: int(r.n),
  }));
}

async function volumes(db: Database | Transaction, f: RowFilter): Promise<VolumeCell[]> {
  const byProduct = f.productId ? sql`and product_id = ${f.productId}::uuid` : sql``;
  const byClaimProduct = f.productId ? sql`and p.product_id = ${f.productId}::uuid` : sql``;
  const [sold, claimed] = await Promise.all([
    db.execute(sql`
      select product_id, to_char(purchase_date, 'YYYY-MM') as month, count(*)::int as n
        from purchases
       where verification <> 'rejected' and purchase_date between ${f.from}::date and ${f.to}::date ${byProduct}
       group by 1, 2`),
    db.execute(sql`
      select p.product_id, to_char(c.reported_on, 'YYYY-MM') as month, count(*)::int as n
        from claims c join purchases p on p.id = c.purchase_id
       where c.status <> 'withdrawn' and c.reported_on between ${f.from}::date and ${f.to}::date ${byClaimProduct}
       group by 1, 2`),
  ]);
  const cells = new Map<string, VolumeCell>();
  const cell = (productId: string, month: string): VolumeCell => {
    const key = `${productId} ${month}`;
    let c = cells.get(key);
    if (!c) {
      c = { productId, month, unitsSold: 0, claims: 0 };
      cells.set(key, c);
    }
    return c;
  };
  for (const r of rowsOf(sold)) cell(String(r.product_id), String(r.month)).unitsSold += int(r.n);
  for (const r of rowsOf(claimed)) cell(String(r.product_id), String(r.month)).claims += int(r.n);
  return [...cells.values()];
}

/** The report's numbers, without the access check: what the report and the cost per claim share. */
export async function computeCostReport(
  db: Database | Transaction,
  args: { from: string; to: string; productId?: string | undefined; storeTimeZone: string },
): Promise<CostReport> {
  const { currency } = await warrantyCostSettings(db);
  const f: RowFilter = args;
  const [grouped, volumeCells, productRows] = await Promise.all([
    groupedRows(db, f),
    volumes(db, f),
    db
      .select({ id: products.id, sku: products.sku, nameEn: products.nameEn, nameZh: products.nameZh })
      .from(products)
      .orderBy(asc(products.sku)),
  ]);
  const cellMap = new Map<string, CostCell>();
  const excluded = new Map<string, CostReport['excluded'][number]>();
  for (const g of grouped) {
    if (g.currency !== currency) {
      const key = `${g.source} ${g.currency}`;
      const e = excluded.get(key) ?? { source: g.source, currency: g.currency, rows: 0, amountMinor: 0 };
      e.rows += g.rows;
      e.amountMinor += g.amountMinor;
      excluded.set(key, e);
      continue;
    }
    const key = `${g.productId} ${g.month} ${g.category}`;
    const c = cellMap.get(key) ?? {
      productId: g.productId,
      month: g.month,
      category: g.category,
      amountMinor: 0,
      rows: 0,
    };
    c.amountMinor += g.amountMinor;
    c.rows += g.rows;
    cellMap.set(key, c);
  }
  const cells = [...cellMap.values()].sort(
    (a, b) =>
      a.productId.localeCompare(b.productId) ||
      a.month.localeCompare(b.month) ||
      rowCategories.indexOf(a.category) - rowCategories.indexOf(b.category),
  );
  const figures = productFigures(cells, volumeCells);
  const present = new Set(figures.map((fig) => fig.productId));
  const shown = productRows.filter((p) => present.has(p.id));
  const order = new Map(shown.map((p, i) => [p.id, i]));
  figures.sort((a, b) => (order.get(a.productId) ?? 0) - (order.get(b.productId) ?? 0));
  const byCategory = Object.fromEntries(rowCategories.map((c) => [c, 0])) as Record<RowCategory, number>;
  for (const c of cells) byCategory[c.category] += c.amountMinor;
  return {
    currency,
    from: args.from,
    to: args.to,
    months: monthsBetween(args.from, args.to),
    products: shown.map((p) => ({ id: p.id, sku: p.sku, name: { en: p.nameEn, zh: p.nameZh } })),
    cells,
    volumes: volumeCells.sort(
      (a, b) => a.productId.localeCompare(b.productId) || a.month.localeCompare(b.month),
    ),
    figures,
    totals: {
      costMinor: costCategories.reduce((sum, c) => sum + byCategory[c], 0),
      incomeMinor: byCategory.paid_service,
      unitsSold: volumeCells.reduce((sum, v) => sum + v.unitsSold, 0),
      claims: volumeCells.reduce((sum, v) => sum + v.claims, 0),
      byCategory,
    },
    excluded: [...excluded.values()].sort(
      (a, b) => a.source.localeCompare(b.source) || a.currency.localeCompare(b.currency),
    ),
  };
}

/** The cost of warranty per product and month: admins, QA and sales (warrantyCost.read). */
export async function costReport(deps: CostDeps, actor: Actor, query: CostQuery): Promise<CostReport> {
  assertAllowed(actor, 'warrantyCost.read', {}, notFound);
  const range = reportRange(query, deps);
  return computeCostReport(deps.db, {
    ...range,
    productId: query.productId,
    storeTimeZone: deps.storeTimeZone,
  });
}

/**
 * The observed cost of warranty per claim, per product, over a range: every cost of the report divided
 * by the claims reported (withdrawn ones aside). What the reserve forecast multiplies its expected
 * claims by. No access check: its caller's use case makes its own.
 */
export async function costPerClaimByProduct(
  db: Database | Transaction,
  args: { from: string; to: string; storeTimeZone: string; productId?: string | undefined },
): Promise<{ productId: string; claims: number; cost: Money; costPerClaim: Money | null }[]> {
  const report = await computeCostReport(db, args);
  return report.figures.map((f) => ({
    productId: f.productId,
    claims: f.claims,
    cost: { amountMinor: f.costMinor, currency: report.currency },
    costPerClaim:
      f.costPerClaimMinor === null ? null : { amountMinor: f.costPerClaimMinor, currency: report.currency },
  }));
}

/** The most rows one drill-down lists; the answer says when there were more. */
export const DRILL_DOWN_LIMIT = 500;

export type CostRowView = {
  category: RowCategory;
  source: CostRowSource;
  sourceId: string;
  reference: string | null;
  day: string;
  product: { id: string; sku: string };
  amount: Money;
};

export type CostRowsQuery = CostQuery & { category: RowCategory; month?: string | undefined };

/**
 * The rows behind a cell (a product, a month and a category), or behind a column or a row of the
 * table when the product or the month is left out: each with its source and the reference people use.
 */
export async function costRows(
  deps: CostDeps,
  actor: Actor,
  query: CostRowsQuery,
): Promise<{ currency: string; rows: CostRowView[]; total: Money; truncated: boolean }> {
  assertAllowed(actor, 'warrantyCost.read', {}, notFound);
  let { from, to } = reportRange(query, deps);
  if (query.month) {
    const start = `${query.month}-01`;
    const startDay = plainDay(start);
    const end = startDay.add({ months: 1 }).subtract({ days: 1 }).toString();
    if (start > from) from = start;
    if (end < to) to = end;
  }
  const { currency } = await warrantyCostSettings(deps.db);
  if (from > to) return { currency, rows: [], total: { amountMinor: 0, currency }, truncated: false };
  const f: RowFilter = { from, to, productId: query.productId, storeTimeZone: deps.storeTimeZone };
  const result = await deps.db.execute(sql`
    select r.*, to_char(r.day, 'YYYY-MM-DD') as day_text, pr.sku,
           sum(r.amount_minor) over ()::bigint as total, count(*) over ()::int as n
      from (${costRowsOf(query.category, f)}) r
      join products pr on pr.id = r.product_id
     where r.currency = ${currency}
     order by r.day, r.reference, r.source_id
     limit ${DRILL_DOWN_LIMIT}`);
  const rows = rowsOf(result);
  return {
    currency,
    rows: rows.map((r) => ({
      category: r.category as RowCategory,
      source: r.source as CostRowSource,
      sourceId: String(r.source_id),
      reference: typeof r.reference === 'string' ? r.reference : null,
      day: String(r.day_text),
      product: { id: String(r.product_id), sku: String(r.sku) },
      amount: { amountMinor: int(r.amount_minor), currency },
    })),
    total: { amountMinor: rows[0] ? int(rows[0].total) : 0, currency },
    truncated: rows[0] ? int(rows[0].n) > rows.length : false,
  };
}

export const COST_CSV_COLUMNS = [
  'month',
  'product_sku',
  'product_name',
  'units_sold',
  'claims',
  ...costCategories,
  'total_cost',
  'paid_service_income',
  'currency',
] as const;

/** The table as CSV, one line per product and month: amounts in the currency's decimals. */
export async function costReportCsv(deps: CostDeps, actor: Actor, query: CostQuery): Promise<string> {
  const report = await costReport(deps, actor, query);
  const amount = (minor: number) => csvCell(decimalAmount({ amountMinor: minor, currency: report.currency }));
  const lines: string[] = [COST_CSV_COLUMNS.join(',')];
  for (const p of report.products) {
    for (const month of report.months) {
      const cells = report.cells.filter((c) => c.productId === p.id && c.month === month);
      const volume = report.volumes.find((v) => v.productId === p.id && v.month === month);
      if (cells.length === 0 && !volume) continue;
      const of = (category: RowCategory) =>
        cells.filter((c) => c.category === category).reduce((s, c) => s + c.amountMinor, 0);
      const cost = costCategories.reduce((s, c) => s + of(c), 0);
      lines.push(
        [
          csvCell(month),
          csvCell(p.sku, 'text'),
          csvCell(p.name.en, 'text'),
          csvCell(volume?.unitsSold ?? 0),
          csvCell(volume?.claims ?? 0),
          ...costCategories.map((c) => amount(of(c))),
          amount(cost),
          amount(of('paid_service')),
          csvCell(report.currency),
        ].join(','),
      );
    }
  }
  // A byte order mark, as the lists' exports: a spreadsheet then reads the Chinese names as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
