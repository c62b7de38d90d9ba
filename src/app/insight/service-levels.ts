import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';
import { products, serviceCenters } from '../../db/schema.js';
import { type Actor, authorize } from '../../domain/access/access.js';
import { calendarDateIn, parsePlainDate, Temporal } from '../../domain/calendar.js';
import { csvCell } from '../../domain/csv.js';
import {
  type CenterWeek,
  type OpenByAge,
  type OrderFacts,
  serviceLevels,
} from '../../domain/insight/service-levels.js';
import type { BusinessCalendar } from '../../domain/maintenance/service-commitment.js';
import type { MaintenanceState } from '../../domain/maintenance/state-machine.js';
import { forbidden } from '../access.js';
import { type CsvColumn, csvLine } from '../lists/csv-export.js';
import { AppError } from '../errors.js';

export type InsightDeps = { db: Database; now: () => Temporal.Instant; storeTimeZone: string };

export type ServiceLevelFilter = {
  from?: string | undefined;
  to?: string | undefined;
  productId?: string | undefined;
  serviceCenterId?: string | undefined;
};

/** The longest period one request may span: a year of weeks, which keeps every query in bounds. */
export const MAX_PERIOD_DAYS = 366;
/** Without a period: the last twelve weeks up to today. */
export const DEFAULT_PERIOD_DAYS = 83;

type Named = { id: string; name: { en: string; zh: string } };

export type ServiceLevelReport = {
  period: { from: string; to: string; asOf: string };
  centers: (Named & { city: string; committedServiceDays: number })[];
  /** What the product filter offers. */
  products: (Named & { sku: string })[];
  weeks: CenterWeek[];
  openByAge: OpenByAge[];
  claimsByMonth: { month: string; window: string; remedy: string | null; claims: number }[];
  dealerRemedies: {
    dealer: { id: string; name: string };
    refunds: number;
    replacements: number;
    refunded: { amountMinor: number; currency: string }[];
  }[];
  ratings: {
    byCenter: { centerId: string; ratings: number; average: number }[];
    byTechnician: {
      technician: { id: string; name: string };
      centerId: string | null;
      ratings: number;
      average: number;
    }[];
    byDealer: { dealerId: string; ratings: number; average: number }[];
  };
};

function dayOf(input: string, field: string): Temporal.PlainDate {
  const day = parsePlainDate(input);
  if ('code' in day) throw new AppError('invalid', day.code, day.message, { field });
  return day;
}

/** The period asked for, checked: from ≤ to, at most MAX_PERIOD_DAYS, defaulting to the last twelve weeks. */
export function periodOf(
  filter: ServiceLevelFilter,
  today: Temporal.PlainDate,
): { from: Temporal.PlainDate; to: Temporal.PlainDate; asOf: Temporal.PlainDate } {
  const to = filter.to === undefined ? today : dayOf(filter.to, 'to');
  const from =
    filter.from === undefined ? to.subtract({ days: DEFAULT_PERIOD_DAYS }) : dayOf(filter.from, 'from');
  if (Temporal.PlainDate.compare(from, to) > 0) {
    throw new AppError('invalid', 'PERIOD_REVERSED', 'the period starts after it ends', { field: 'from' });
  }
  if (from.until(to, { largestUnit: 'days' }).days >= MAX_PERIOD_DAYS) {
    throw new AppError(
      'invalid',
      'PERIOD_TOO_LONG',
      `a period spans at most ${MAX_PERIOD_DAYS} days; ask for the years one at a time`,
      { field: 'from', maxDays: MAX_PERIOD_DAYS },
    );
  }
  const asOf = Temporal.PlainDate.compare(to, today) < 0 ? to : today;
  return { from, to, asOf };
}

const str = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));
const num = (v: unknown): number => Number(v);

/**
 * The service-level dashboard (issue 19 item 1): per center and week, the claims per month by window
 * and chosen remedy, the dealers' refunds and replacements, and the customers' ratings. Support, QA and
 * admins (`insight.read`). The center filter narrows the orders, their claims and their ratings; a
 * dealer's remedy is done at no center, so the dealers' part follows the period and product only.
 */
export async function readServiceLevels(
  deps: InsightDeps,
  actor: Actor,
  filter: ServiceLevelFilter,
): Promise<ServiceLevelReport> {
  if (authorize(actor, 'insight.read', {}) !== 'allowed') throw forbidden();
  const today = calendarDateIn(deps.now(), deps.storeTimeZone);
  const { from, to, asOf } = periodOf(filter, today);
  const f = from.toString();
  const t = to.toString();
  const a = asOf.toString();
  const db = deps.db;
  const product = filter.productId;
  const center = filter.serviceCenterId;
  const productOfClaim = (claim: SQL): SQL =>
    product === undefined
      ? sql`true`
      : sql`exists (select 1 from claims pc join purchases pp on pp.id = pc.purchase_id
                     where pc.id = ${claim} and pp.product_id = ${product})`;
  const orderWhere = sql`${center === undefined ? sql`true` : sql`mo.service_center_id = ${center}`}
    and ${productOfClaim(sql`mo.claim_id`)}`;

  const [productRows, centerRows, orderRows, claimRows, remedyRows, ratingRows] = await Promise.all([
    db
      .select({ id: products.id, sku: products.sku, nameEn: products.nameEn, nameZh: products.nameZh })
      .from(products)
      .orderBy(products.sku),
    db
      .select({
        id: serviceCenters.id,
        nameEn: serviceCenters.nameEn,
        nameZh: serviceCenters.nameZh,
        city: serviceCenters.city,
        committedServiceDays: serviceCenters.committedServiceDays,
        businessDays: serviceCenters.businessDays,
        closedOn: serviceCenters.closedOn,
        openOn: serviceCenters.openOn,
      })
      .from(serviceCenters)
      .orderBy(serviceCenters.nameEn, serviceCenters.id),
    // Each part of the union is read from its own index (never the whole table); an order in several
    // parts comes once, the union comparing whole rows with their id.
    db.execute(sql`
      select service_center_id, state, received_on, due_on, contacted_on, returned_on from (
        ${sql.join(
          [
            sql`mo.received_on between ${f} and ${t}`,
            sql`mo.returned_on between ${f} and ${t}`,
            sql`mo.due_on between ${f} and ${t}`,
            sql`mo.returned_on > ${a} and mo.received_on <= ${a}`,
            sql`mo.returned_on is null and mo.received_on <= ${a} and mo.state not in ('closed', 'cancelled')`,
          ].map(
            (part) => sql`select mo.id, mo.service_center_id, mo.state, mo.received_on, mo.due_on,
                                 mo.contacted_on, mo.returned_on
                            from maintenance_orders mo where ${part} and ${orderWhere}`,
          ),
          sql` union `,
        )}
      ) orders`),
    db.execute(sql`
      select to_char(c.reported_on, 'YYYY-MM') as month, c.decision->>'window' as "window",
             c.chosen_remedy as remedy, count(*)::int as claims
        from claims c
       where c.reported_on between ${f} and ${t}
         and ${productOfClaim(sql`c.id`)}
         and ${
           center === undefined
             ? sql`true`
             : sql`exists (select 1 from maintenance_orders m where m.claim_id = c.id and m.service_center_id = ${center})`
         }
       group by 1, 2, 3
       order by 1, 2, 3`),
    db.execute(sql`
      select r.dealer_id, d.name, r.kind, r.currency, count(*)::int as n,
             coalesce(sum(r.refund_minor), 0)::bigint as refunded
        from dealer_remedies r join dealers d on d.id = r.dealer_id
       where r.performed_on between ${f} and ${t}
         and r.approval in ('none', 'approved')
         and ${productOfClaim(sql`r.claim_id`)}
       group by 1, 2, 3, 4
       order by 2, 1`),
    db.execute(sql`
      select sr.service_center_id, sr.technician_id, u.name as technician_name, sr.dealer_id,
             count(*)::int as n, sum(sr.score)::int as total
        from satisfaction_ratings sr left join users u on u.id = sr.technician_id
       where sr.rated_at is not null
         and sr.rated_at >= ${zonedStart(from, deps.storeTimeZone)}::timestamptz
         and sr.rated_at < ${zonedStart(to.add({ days: 1 }), deps.storeTimeZone)}::timestamptz
         and ${center === undefined ? sql`true` : sql`sr.service_center_id = ${center}`}
         and ${productOfClaim(sql`sr.claim_id`)}
       group by 1, 2, 3, 4`),
  ]);

  const calendars = new Map<string, BusinessCalendar>();
  const centers = centerRows.map((r) => {
    calendars.set(r.id, { businessDays: r.businessDays, closedOn: r.closedOn, openOn: r.openOn });
    return {
      id: r.id,
      name: { en: r.nameEn, zh: r.nameZh },
      city: r.city,
      committedServiceDays: r.committedServiceDays,
    };
  });
  const orders: OrderFacts[] = rowsOf(orderRows).map((r) => ({
    centerId: str(r.service_center_id),
    state: str(r.state) as MaintenanceState,
    receivedOn: strOrNull(r.received_on),
    dueOn: strOrNull(r.due_on),
    contactedOn: strOrNull(r.contacted_on),
    returnedOn: strOrNull(r.returned_on),
  }));
  const levels = serviceLevels({ from: f, to: t, asOf: a, orders, calendars });

  const dealers = new Map<string, ServiceLevelReport['dealerRemedies'][number]>();
  for (const r of rowsOf(remedyRows)) {
    const id = str(r.dealer_id);
    let row = dealers.get(id);
    if (!row) {
      row = { dealer: { id, name: str(r.name) }, refunds: 0, replacements: 0, refunded: [] };
      dealers.set(id, row);
    }
    if (r.kind === 'refund') {
      row.refunds += num(r.n);
      row.refunded.push({ amountMinor: num(r.refunded), currency: str(r.currency) });
    } else {
      row.replacements += num(r.n);
    }
  }

  const byCenter = new Map<string, { n: number; total: number }>();
  const byTechnician = new Map<string, { name: string; centerId: string | null; n: number; total: number }>();
  const byDealer = new Map<string, { n: number; total: number }>();
  const add = <K>(map: Map<K, { n: number; total: number }>, key: K, n: number, total: number) => {
    const row = map.get(key) ?? { n: 0, total: 0 };
    row.n += n;
    row.total += total;
    map.set(key, row);
  };
  for (const r of rowsOf(ratingRows)) {
    const n = num(r.n);
    const total = num(r.total);
    const centerId = strOrNull(r.service_center_id);
    if (centerId) add(byCenter, centerId, n, total);
    const dealerId = strOrNull(r.dealer_id);
    if (dealerId) add(byDealer, dealerId, n, total);
    const technicianId = strOrNull(r.technician_id);
    if (technicianId) {
      const row = byTechnician.get(technicianId) ?? {
        name: str(r.technician_name),
        centerId,
        n: 0,
        total: 0,
      };
      row.n += n;
      row.total += total;
      byTechnician.set(technicianId, row);
    }
  }
  const average = (row: { n: number; total: number }) => Math.round((row.total / row.n) * 100) / 100;

  return {
    period: { from: f, to: t, asOf: a },
    centers,
    products: productRows.map((p) => ({ id: p.id, sku: p.sku, name: { en: p.nameEn, zh: p.nameZh } })),
    weeks: levels.weeks,
    openByAge: levels.openByAge,
    claimsByMonth: rowsOf(claimRows).map((r) => ({
      month: str(r.month),
      window: str(r.window),
      remedy: strOrNull(r.remedy),
      claims: num(r.claims),
    })),
    dealerRemedies: [...dealers.values()],
    ratings: {
      byCenter: [...byCenter].map(([centerId, row]) => ({ centerId, ratings: row.n, average: average(row) })),
      byTechnician: [...byTechnician].map(([id, row]) => ({
        technician: { id, name: row.name },
        centerId: row.centerId,
        ratings: row.n,
        average: average(row),
      })),
      byDealer: [...byDealer].map(([dealerId, row]) => ({ dealerId, ratings: row.n, average: average(row) })),
    },
  };
}

/** The instant a calendar day starts in the store's time zone. */
function zonedStart(day: Temporal.PlainDate, timeZone: string): string {
  return new Date(day.toZonedDateTime({ timeZone }).epochMilliseconds).toISOString();
}

type CsvRow = CenterWeek & { centerName: string };
const csvColumns: readonly CsvColumn<CsvRow>[] = [
  { header: 'center', cell: (w) => w.centerName, text: true },
  { header: 'week_of', cell: (w) => w.weekOf },
  { header: 'received', cell: (w) => w.received },
  { header: 'returned', cell: (w) => w.returned },
  { header: 'median_turnaround_business_days', cell: (w) => w.medianTurnaroundDays },
  { header: 'p90_turnaround_business_days', cell: (w) => w.p90TurnaroundDays },
  { header: 'returned_within_commitment', cell: (w) => w.returnedWithinCommitment },
  {
    header: 'share_within_commitment',
    cell: (w) => (w.shareWithinCommitment === null ? null : w.shareWithinCommitment.toFixed(4)),
  },
  { header: 'median_first_contact_business_days', cell: (w) => w.medianFirstContactDays },
  { header: 'misses', cell: (w) => w.misses },
];

/**
 * The per-center, per-week table as CSV, written as the lists' exports are (app/lists/csv-export.ts):
 * a byte order mark, CRLF lines, centers' names through csvCell's formula guard. A year of weeks of
 * every center is a few thousand rows at most, so it is built whole.
 */
export async function serviceLevelCsv(
  deps: InsightDeps,
  actor: Actor,
  filter: ServiceLevelFilter,
): Promise<string> {
  const report = await readServiceLevels(deps, actor, filter);
  const names = new Map(report.centers.map((c) => [c.id, c.name.en]));
  const header = `\uFEFF${csvColumns.map((c) => csvCell(c.header)).join(',')}\r\n`;
  return (
    header +
    report.weeks
      .map((w) => csvLine(csvColumns, { ...w, centerName: names.get(w.centerId) ?? w.centerId }))
      .join('')
  );
}
