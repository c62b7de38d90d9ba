import { eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import {
  claims,
  endUsers,
  type MaintenanceEventKind,
  type MaintenanceOrder,
  maintenanceOrders,
  products,
  purchases,
  type ServiceCenter,
  serviceCenters,
  users,
} from '../../db/schema.js';
import { type Actor, authorize, type Owners } from '../../domain/access/access.js';
import { calendarDateIn, type Temporal } from '../../domain/calendar.js';
import { type OrderCommitmentStatus, orderCommitmentStatus } from '../../domain/maintenance/deadlines.js';
import type { BusinessCalendar } from '../../domain/maintenance/service-commitment.js';
import {
  allowedMoves,
  type MaintenanceMode,
  type MaintenanceState,
} from '../../domain/maintenance/state-machine.js';
import type { ServiceCenterKind } from '../../domain/reference-data.js';

/*
 * What every maintenance-order use case shares: how an order is loaded with what it is judged by (its
 * center, its customer, its product), who owns it, and how it is shown.
 */

export const orderNotFound = {
  code: 'MAINTENANCE_ORDER_NOT_FOUND',
  message: 'no such maintenance order',
} as const;

export type MaintenanceOrderView = {
  id: string;
  claimId: string;
  maintenanceNumber: string;
  mode: MaintenanceMode;
  state: MaintenanceState;
  /** What a move may send as `expectedVersion`. */
  version: number;
  /**
   * Where the reader may move the order next: the state machine's moves when the access table lets the
   * reader move this order (maintenanceOrders.move), none otherwise (a customer, QA, a closed order).
   */
  allowedMoves: MaintenanceState[];
  serviceCenter: {
    id: string;
    kind: ServiceCenterKind;
    name: { en: string; zh: string };
    city: string;
    address: string;
    phone: string;
    timeZone: string;
  };
  customer: { name: string; email: string | null; phone: string | null };
  product: { sku: string; name: { en: string; zh: string } };
  receivedOn: string | null;
  dueOn: string | null;
  contactedOn: string | null;
  returnedOn: string | null;
  returnTracking: string | null;
  diagnosis: string | null;
  humanDamageFound: boolean;
  commitment: { status: OrderCommitmentStatus; dueOn: string | null };
  /** Who works the order (app/ownership), or nobody yet. */
  owner: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
};

export type TimelineEntry = {
  kind: MaintenanceEventKind;
  fromState: MaintenanceState | null;
  state: MaintenanceState;
  on: string;
  at: string;
  note: string | null;
};

export type MaintenanceOrderDetail = MaintenanceOrderView & { timeline: TimelineEntry[] };

export type LoadedOrder = {
  order: MaintenanceOrder;
  center: ServiceCenter;
  customer: { id: string; name: string; email: string | null; phone: string | null };
  product: { id: string; sku: string; nameEn: string; nameZh: string };
  owner: { id: string; name: string } | null;
};

/** The columns a view needs, joined once: the list and the single order read the same shape. */
export const loadedOrderColumns = {
  order: maintenanceOrders,
  center: serviceCenters,
  customer: { id: endUsers.id, name: endUsers.name, email: endUsers.email, phone: endUsers.phone },
  product: { id: products.id, sku: products.sku, nameEn: products.nameEn, nameZh: products.nameZh },
  owner: { id: users.id, name: users.name },
};

export function selectLoadedOrders(db: Database | Transaction) {
  return db
    .select(loadedOrderColumns)
    .from(maintenanceOrders)
    .innerJoin(serviceCenters, eq(serviceCenters.id, maintenanceOrders.serviceCenterId))
    .innerJoin(claims, eq(claims.id, maintenanceOrders.claimId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .innerJoin(products, eq(products.id, purchases.productId))
    .leftJoin(users, eq(users.id, maintenanceOrders.ownerId));
}

export async function loadOrder(
  db: Database | Transaction,
  orderId: string,
): Promise<LoadedOrder | undefined> {
  const [row] = await selectLoadedOrders(db).where(eq(maintenanceOrders.id, orderId)).limit(1);
  return row;
}

/** An order is its center's and its customer's. */
export function ownersOfOrder(loaded: LoadedOrder): Owners {
  return { serviceCenterId: loaded.order.serviceCenterId, endUserId: loaded.customer.id };
}

/** The center's working calendar: its weekdays, with its holidays and make-up working days. */
export function calendarOf(
  center: Pick<ServiceCenter, 'businessDays' | 'closedOn' | 'openOn'>,
): BusinessCalendar {
  return { businessDays: center.businessDays, closedOn: center.closedOn, openOn: center.openOn };
}

/** Today as the center counts it: its SLA clock runs in its own time zone. */
export function centerToday(
  center: Pick<ServiceCenter, 'timeZone'>,
  now: Temporal.Instant,
): Temporal.PlainDate {
  return calendarDateIn(now, center.timeZone);
}

/** The moves this actor may make on the order: the table's, if the access table lets it move the order. */
/**
 * The moves the reader may make next: the state machine's, when the access table lets the reader move
 * this order, else none. For 'system' (an event, read by integrations rather than a person) the state
 * machine's moves.
 */
export function movesFor(actor: Actor | 'system', loaded: LoadedOrder): MaintenanceState[] {
  if (actor !== 'system' && authorize(actor, 'maintenanceOrders.move', ownersOfOrder(loaded)) !== 'allowed')
    return [];
  return [...allowedMoves(loaded.order.state)];
}

export function orderView(
  loaded: LoadedOrder,
  now: Temporal.Instant,
  actor: Actor | 'system',
): MaintenanceOrderView {
  const { order, center, customer, product, owner } = loaded;
  return {
    id: order.id,
    claimId: order.claimId,
    maintenanceNumber: order.maintenanceNumber,
    mode: order.mode,
    state: order.state,
    version: order.version,
    allowedMoves: movesFor(actor, loaded),
    serviceCenter: {
      id: center.id,
      kind: center.kind,
      name: { en: center.nameEn, zh: center.nameZh },
      city: center.city,
      address: center.address,
      phone: center.phone,
      timeZone: center.timeZone,
    },
    customer: { name: customer.name, email: customer.email, phone: customer.phone },
    product: { sku: product.sku, name: { en: product.nameEn, zh: product.nameZh } },
    receivedOn: order.receivedOn,
    dueOn: order.dueOn,
    contactedOn: order.contactedOn,
    returnedOn: order.returnedOn,
    returnTracking: order.returnTracking,
    diagnosis: order.diagnosis,
    humanDamageFound: order.humanDamageFound,
    commitment: {
      status: orderCommitmentStatus(order, centerToday(center, now), calendarOf(center)),
      dueOn: order.dueOn,
    },
    owner: owner?.id ? { id: owner.id, name: owner.name } : null,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

/** Where a message to the customer goes: e-mail when known, else the phone (kept for an SMS channel). */
export function customerRecipient(customer: { email: string | null; phone: string | null }): string | null {
  return customer.email ?? customer.phone;
}
