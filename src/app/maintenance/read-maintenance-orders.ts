import { and, asc, eq, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import {
  claims,
  endUsers,
  maintenanceOrderEvents,
  maintenanceOrders,
  products,
  purchases,
  serviceCenters,
  users,
} from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { dueSoonDays } from '../../domain/maintenance/sla-days.js';
import type { MaintenanceState } from '../../domain/maintenance/state-machine.js';
import { assertAllowed, forbidden } from '../access.js';
import { AppError } from '../errors.js';
import { type CsvColumn, csvExport, EXPORT_PAGE_SIZE } from '../lists/csv-export.js';
import type { CursorScope, SortOrder } from '../lists/cursor.js';
import { keysetQuery, type Page, pageOf, type SortKey } from '../lists/keyset.js';
import { maintenanceOrderSorts, slaFilterValues } from '../lists/sorts.js';
import { ownerCondition } from '../ownership/owner-filter.js';
import { maintenanceOrderTextMatch } from '../search/predicates.js';
import {
  calendarOf,
  centerToday,
  loadedOrderColumns,
  loadOrder,
  type MaintenanceOrderDetail,
  type MaintenanceOrderView,
  orderNotFound,
  orderView,
  ownersOfOrder,
  type TimelineEntry,
} from './maintenance-order-records.js';

export type ReadMaintenanceOrdersDeps = { db: Database; now: () => Temporal.Instant };

export type MaintenanceOrderSort = (typeof maintenanceOrderSorts)[number];
export type SlaFilter = (typeof slaFilterValues)[number];

export type MaintenanceOrderFilters = {
  state?: MaintenanceState | undefined;
  serviceCenterId?: string | undefined;
  /** Only orders still open (neither closed nor cancelled): a queue, not the history. */
  open?: boolean | undefined;
  /** Only finished work: returned or closed orders (a technician's history). */
  finished?: boolean | undefined;
  /** Where the order's service commitment stands today, as its center counts days. */
  sla?: SlaFilter | undefined;
  productId?: string | undefined;
  /** Only orders issued at least this many days ago. */
  minAgeDays?: number | undefined;
  q?: string | undefined;
  /** me, none, or a user's id (app/ownership/owner-filter.ts). */
  owner?: string | undefined;
  sort?: MaintenanceOrderSort | undefined;
  order?: SortOrder | undefined;
};

export type MaintenanceOrderListQuery = MaintenanceOrderFilters & {
  limit?: number | undefined;
  cursor?: string | undefined;
};

/**
 * Written out, not bound: the partial indexes of open orders (`maintenance_orders_open_*`) are used only
 * when the query states their predicate in the same words.
 */
const isOpen = sql`${maintenanceOrders.state} not in ('closed', 'cancelled')`;

/** Not yet received orders have no deadline: they sort after every dated one. */
const dueKey = sql`coalesce(${maintenanceOrders.dueOn}, 'infinity'::date)`;

const sortKeys: Record<MaintenanceOrderSort, SortKey> = {
  dueOn: { expr: dueKey, type: 'date' },
  createdAt: { expr: maintenanceOrders.createdAt, type: 'timestamptz' },
  state: { expr: maintenanceOrders.state, type: 'text' },
  maintenanceNumber: { expr: maintenanceOrders.maintenanceNumber, type: 'text' },
};

/** A list is one page of the queue: enough for a center's day, never the whole table. */
const DEFAULT_LIMIT = 200;

/**
 * The SLA filter as a condition: per center, since each counts "today" in its own time zone and
 * "due soon" by its own working days (the same rule as each order's commitment status).
 */
async function slaCondition(
  deps: ReadMaintenanceOrdersDeps,
  sla: SlaFilter,
  centerId?: string,
): Promise<SQL> {
  const o = maintenanceOrders;
  const notCancelled = sql`${o.state} <> 'cancelled'`;
  if (sla === 'not_started') return sql`(${notCancelled} and ${o.dueOn} is null)`;
  if (sla === 'met') {
    return sql`(${notCancelled} and ${o.returnedOn} is not null and ${o.dueOn} is not null and ${o.returnedOn} <= ${o.dueOn})`;
  }
  const centers = await deps.db
    .select({
      id: serviceCenters.id,
      timeZone: serviceCenters.timeZone,
      businessDays: serviceCenters.businessDays,
      closedOn: serviceCenters.closedOn,
      openOn: serviceCenters.openOn,
    })
    .from(serviceCenters)
    .where(centerId ? eq(serviceCenters.id, centerId) : undefined);
  const now = deps.now();
  const perCenter = centers.map((c) => {
    const today = centerToday(c, now);
    const todayText = today.toString();
    const soon = dueSoonDays(today, calendarOf(c));
    const soonList =
      soon.length > 0
        ? sql.join(
            soon.map((d) => sql`cast(${d} as date)`),
            sql`, `,
          )
        : null;
    const held = sql`${o.returnedOn} is null and ${o.dueOn} is not null`;
    let condition: SQL;
    if (sla === 'missed') {
      condition = sql`((${o.returnedOn} is not null and ${o.dueOn} is not null and ${o.returnedOn} > ${o.dueOn}) or (${held} and ${o.dueOn} < cast(${todayText} as date)))`;
    } else if (sla === 'due_soon') {
      condition = soonList ? sql`(${held} and ${o.dueOn} in (${soonList}))` : sql`false`;
    } else {
      condition = soonList
        ? sql`(${held} and ${o.dueOn} >= cast(${todayText} as date) and ${o.dueOn} not in (${soonList}))`
        : sql`(${held} and ${o.dueOn} >= cast(${todayText} as date))`;
    }
    return sql`(${o.serviceCenterId} = ${c.id} and ${condition})`;
  });
  if (perCenter.length === 0) return sql`false`;
  return sql`(${notCancelled} and (${sql.join(perCenter, sql` or `)}))`;
}

/** The actor's scope and the filters as one condition; `false` when the actor's scope holds none. */
async function ordersWhere(
  deps: ReadMaintenanceOrdersDeps,
  actor: Actor,
  filters: MaintenanceOrderFilters,
): Promise<SQL | undefined | false> {
  const filter = listFilter(actor, 'maintenanceOrders.read');
  if (filter.kind === 'none') throw forbidden();
  const conditions: SQL[] = [];
  if (filter.kind === 'scope') {
    const { serviceCenterId, endUserId } = filter.owners;
    if (serviceCenterId) conditions.push(eq(maintenanceOrders.serviceCenterId, serviceCenterId));
    else if (endUserId) conditions.push(eq(claims.endUserId, endUserId));
    // A scoped role with neither scope owns no order.
    else return false;
  }
  if (filters.state) conditions.push(eq(maintenanceOrders.state, filters.state));
  if (filters.open) conditions.push(isOpen);
  if (filters.finished) conditions.push(inArray(maintenanceOrders.state, ['returned', 'closed']));
  const byOwner = ownerCondition(actor, filters.owner, maintenanceOrders.ownerId);
  if (byOwner) conditions.push(byOwner);
  if (filters.serviceCenterId)
    conditions.push(eq(maintenanceOrders.serviceCenterId, filters.serviceCenterId));
  if (filters.productId) conditions.push(eq(purchases.productId, filters.productId));
  if (filters.minAgeDays !== undefined) {
    const before = new Date(deps.now().epochMilliseconds - filters.minAgeDays * 86_400_000);
    conditions.push(lte(maintenanceOrders.createdAt, before));
  }
  if (filters.sla) conditions.push(await slaCondition(deps, filters.sla, filters.serviceCenterId));
  if (filters.q) conditions.push(maintenanceOrderTextMatch(filters.q));
  return and(...conditions);
}

/**
 * Maintenance orders the actor may see, filtered in the query, one keyset page at a time: a
 * technician gets its center's queue, a customer their own orders, support and staff every center's.
 * By default the nearest deadline comes first; orders not yet received (no deadline) follow. Years of
 * closed orders would fill a page ahead of the open ones, so the queues ask for `open` orders.
 */
export async function listMaintenanceOrders(
  deps: ReadMaintenanceOrdersDeps,
  actor: Actor,
  query: MaintenanceOrderListQuery = {},
): Promise<Page<MaintenanceOrderView>> {
  const where = await ordersWhere(deps, actor, query);
  if (where === false) return { items: [], nextCursor: null };
  const limit = query.limit ?? DEFAULT_LIMIT;
  const sort = query.sort ?? 'dueOn';
  const scope: CursorScope = { list: 'maintenance-orders', sort, order: query.order ?? 'asc' };
  const k = keysetQuery({
    scope,
    key: sortKeys[sort],
    id: maintenanceOrders.id,
    limit,
    cursor: query.cursor,
  });
  const rows = await deps.db
    .select({ ...loadedOrderColumns, keyText: k.keyText })
    .from(maintenanceOrders)
    .innerJoin(serviceCenters, eq(serviceCenters.id, maintenanceOrders.serviceCenterId))
    .innerJoin(claims, eq(claims.id, maintenanceOrders.claimId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .innerJoin(products, eq(products.id, purchases.productId))
    .leftJoin(users, eq(users.id, maintenanceOrders.ownerId))
    .where(and(where, k.after))
    .orderBy(...k.orderBy)
    .limit(limit + 1);
  const now = deps.now();
  return pageOf(
    rows.map(({ keyText, ...row }) => ({ keyText, id: row.order.id, row })),
    limit,
    scope,
    (r) => orderView(r.row, now, actor),
  );
}

const orderColumns: CsvColumn<MaintenanceOrderView>[] = [
  { header: 'order_id', cell: (o) => o.id },
  { header: 'maintenance_number', cell: (o) => o.maintenanceNumber, text: true },
  { header: 'state', cell: (o) => o.state },
  { header: 'sla', cell: (o) => o.commitment.status },
  { header: 'due_on', cell: (o) => o.dueOn },
  { header: 'received_on', cell: (o) => o.receivedOn },
  { header: 'returned_on', cell: (o) => o.returnedOn },
  { header: 'service_center_en', cell: (o) => o.serviceCenter.name.en, text: true },
  { header: 'service_center_zh', cell: (o) => o.serviceCenter.name.zh, text: true },
  { header: 'sku', cell: (o) => o.product.sku, text: true },
  { header: 'product_en', cell: (o) => o.product.name.en, text: true },
  { header: 'product_zh', cell: (o) => o.product.name.zh, text: true },
  { header: 'customer', cell: (o) => o.customer.name, text: true },
  { header: 'customer_phone', cell: (o) => o.customer.phone, text: true },
  { header: 'customer_email', cell: (o) => o.customer.email, text: true },
  { header: 'created_at', cell: (o) => o.createdAt },
];

/** What the filter selects as CSV, in the list's sort, read page by page. */
export async function exportMaintenanceOrders(
  deps: ReadMaintenanceOrdersDeps,
  actor: Actor,
  filters: MaintenanceOrderFilters,
) {
  const where = await ordersWhere(deps, actor, filters);
  return csvExport(
    async (upTo) => {
      if (where === false) return 0;
      const ids = await deps.db
        .select({ id: maintenanceOrders.id })
        .from(maintenanceOrders)
        .innerJoin(claims, eq(claims.id, maintenanceOrders.claimId))
        .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
        .where(where)
        .limit(upTo);
      return ids.length;
    },
    orderColumns,
    (cursor) => listMaintenanceOrders(deps, actor, { ...filters, limit: EXPORT_PAGE_SIZE, cursor }),
  );
}

export async function timelineOf(db: Database | Transaction, orderId: string): Promise<TimelineEntry[]> {
  const events = await db
    .select()
    .from(maintenanceOrderEvents)
    .where(eq(maintenanceOrderEvents.orderId, orderId))
    // By when it happened: contacts carried over from the audit log (migration 0025) came in late.
    .orderBy(asc(maintenanceOrderEvents.at), asc(maintenanceOrderEvents.id));
  return events.map((e) => ({
    kind: e.kind,
    fromState: e.fromState,
    state: e.toState,
    on: e.on,
    at: e.at.toISOString(),
    note: e.note,
  }));
}

/** One order with its timeline; another center's or customer's order is a 404. */
export async function getMaintenanceOrder(
  deps: ReadMaintenanceOrdersDeps,
  actor: Actor,
  orderId: string,
): Promise<MaintenanceOrderDetail> {
  const loaded = await loadOrder(deps.db, orderId);
  if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
  assertAllowed(actor, 'maintenanceOrders.read', ownersOfOrder(loaded), orderNotFound);
  return { ...orderView(loaded, deps.now(), actor), timeline: await timelineOf(deps.db, orderId) };
}
