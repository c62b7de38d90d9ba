import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { claims, maintenanceOrderEvents, maintenanceOrders } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import type { MaintenanceState } from '../../domain/maintenance/state-machine.js';
import { assertAllowed, forbidden } from '../access.js';
import { AppError } from '../errors.js';
import {
  loadOrder,
  type MaintenanceOrderDetail,
  type MaintenanceOrderView,
  orderNotFound,
  orderView,
  ownersOfOrder,
  selectLoadedOrders,
  type TimelineEntry,
} from './maintenance-order-records.js';

export type ReadMaintenanceOrdersDeps = { db: Database; now: () => Temporal.Instant };

export type MaintenanceOrderFilters = {
  state?: MaintenanceState | undefined;
  serviceCenterId?: string | undefined;
  /** Only orders still open (neither closed nor cancelled): a queue, not the history. */
  open?: boolean | undefined;
  limit?: number | undefined;
};

/**
 * Written out, not bound: the partial indexes of open orders (`maintenance_orders_open_*`) are used only
 * when the query states their predicate in the same words.
 */
const isOpen = sql`${maintenanceOrders.state} not in ('closed', 'cancelled')`;

/** A list is one page of the queue: enough for a center's day, never the whole table. */
const DEFAULT_LIMIT = 200;

/**
 * Maintenance orders the actor may see, filtered in the query: a technician gets its center's queue,
 * a customer their own orders, staff everything. The nearest deadline comes first; orders not yet
 * received (no deadline) follow, oldest first. Years of closed orders would fill a page ahead of the
 * open ones, so the queues ask for `open` orders; the order is an index's, and a page stops the scan.
 */
export async function listMaintenanceOrders(
  deps: ReadMaintenanceOrdersDeps,
  actor: Actor,
  filters: MaintenanceOrderFilters = {},
): Promise<MaintenanceOrderView[]> {
  const filter = listFilter(actor, 'maintenanceOrders.read');
  if (filter.kind === 'none') throw forbidden();
  const conditions: SQL[] = [];
  if (filter.kind === 'scope') {
    const { serviceCenterId, endUserId } = filter.owners;
    if (serviceCenterId) conditions.push(eq(maintenanceOrders.serviceCenterId, serviceCenterId));
    else if (endUserId) conditions.push(eq(claims.endUserId, endUserId));
    // A scoped role with neither scope owns no order.
    else return [];
  }
  if (filters.state) conditions.push(eq(maintenanceOrders.state, filters.state));
  if (filters.open) conditions.push(isOpen);
  if (filters.serviceCenterId)
    conditions.push(eq(maintenanceOrders.serviceCenterId, filters.serviceCenterId));
  const rows = await selectLoadedOrders(deps.db)
    .where(and(...conditions))
    .orderBy(
      sql`${maintenanceOrders.dueOn} asc nulls last`,
      asc(maintenanceOrders.createdAt),
      asc(maintenanceOrders.id),
    )
    .limit(filters.limit ?? DEFAULT_LIMIT);
  const now = deps.now();
  return rows.map((row) => orderView(row, now));
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
  return { ...orderView(loaded, deps.now()), timeline: await timelineOf(deps.db, orderId) };
}
