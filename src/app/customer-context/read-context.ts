import { and, asc, desc, eq, exists, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import {
  auditEvents,
  claims,
  dealers,
  endUsers,
  maintenanceOrders,
  products,
  purchases,
  quotes,
  serviceCenters,
  units,
  users,
} from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { VerificationState } from '../../domain/purchases/verification.js';
import { assertAllowed } from '../access.js';
import { claimNotFound, claimOwners, claimViews } from '../claims/claim-view.js';
import { AppError } from '../errors.js';
import { loadOrder, orderNotFound, ownersOfOrder } from '../maintenance/maintenance-order-records.js';

/*
 * The customer behind a claim or an order (issue 15): who they are and how to reach them, their other
 * purchases and claims, the orders and quotes linked to them, and the object's own history. Every list
 * is narrowed in its query to what the reader may see: a dealer its own sales and the claims on them,
 * a technician what went through its center; never another customer's, whatever the links say.
 */

const LIST_LIMIT = 50;
const HISTORY_LIMIT = 200;

type Named = { sku: string; name: { en: string; zh: string } };

export type CustomerContext = {
  customer: { id: string; name: string; email: string | null; phone: string | null };
  purchases: {
    id: string;
    purchaseDate: string;
    product: Named;
    serial: string | null;
    dealerName: string | null;
    /** The dealer's name in Chinese, where the maker gave one. */
    dealerNameZh: string | null;
    verification: VerificationState;
  }[];
  claims: { id: string; reportedOn: string; status: string; product: Named; purchaseId: string }[];
  maintenanceOrders: {
    id: string;
    claimId: string;
    maintenanceNumber: string;
    state: string;
    serviceCenter: { en: string; zh: string };
  }[];
  quotes: {
    id: string;
    claimId: string;
    maintenanceOrderId: string | null;
    state: string;
    totalMinor: number;
    currency: string;
  }[];
  history: {
    id: number;
    at: string;
    actor: { kind: 'user' | 'system' | 'guest' | 'other'; id: string | null; name: string | null };
    action: string;
    entityType: string;
    /** What changed, for staff only: a dealer or technician sees who did what, when. */
    data: Record<string, unknown> | null;
  }[];
};

/** Actor references are `user:<id>`, `system` or `guest`: resolved to a display name where a user. */
export function actorOfReference(
  ref: string,
  name: string | null,
): CustomerContext['history'][number]['actor'] {
  if (ref.startsWith('user:')) return { kind: 'user', id: ref.slice(5), name };
  if (ref === 'system' || ref === 'guest') return { kind: ref, id: null, name: null };
  return { kind: 'other', id: null, name: ref };
}

const isStaff = (actor: Actor) => actor.role === 'admin' || actor.role === 'support';

/** Claims with an order at the technician's center: what a technician knows of a customer. */
const claimAtCenter = (db: Database, centerId: string, claimId: SQL | typeof claims.id) =>
  exists(
    db
      .select({ one: sql`1` })
      .from(maintenanceOrders)
      .where(and(eq(maintenanceOrders.claimId, claimId), eq(maintenanceOrders.serviceCenterId, centerId))),
  );

async function contextOf(
  db: Database,
  actor: Actor,
  endUserId: string,
  entity: { type: string; id: string },
): Promise<CustomerContext> {
  const [customer] = await db
    .select({ id: endUsers.id, name: endUsers.name, email: endUsers.email, phone: endUsers.phone })
    .from(endUsers)
    .where(eq(endUsers.id, endUserId));
  if (!customer) throw new Error('an object names a customer who does not exist');

  // What narrows purchases and claims to the reader's own: a dealer its sales, a technician its center.
  const purchaseScope: SQL | undefined =
    actor.role === 'dealer'
      ? eq(purchases.dealerId, actor.scope.dealerId)
      : actor.role === 'technician'
        ? exists(
            db
              .select({ one: sql`1` })
              .from(claims)
              .innerJoin(maintenanceOrders, eq(maintenanceOrders.claimId, claims.id))
              .where(
                and(
                  eq(claims.purchaseId, purchases.id),
                  eq(maintenanceOrders.serviceCenterId, actor.scope.serviceCenterId),
                ),
              ),
          )
        : isStaff(actor)
          ? undefined
          : sql`false`;
  const claimScope: SQL | undefined =
    actor.role === 'dealer'
      ? eq(purchases.dealerId, actor.scope.dealerId)
      : actor.role === 'technician'
        ? claimAtCenter(db, actor.scope.serviceCenterId, claims.id)
        : isStaff(actor)
          ? undefined
          : sql`false`;

  const purchaseRows = await db
    .select({
      id: purchases.id,
      purchaseDate: purchases.purchaseDate,
      sku: products.sku,
      nameEn: products.nameEn,
      nameZh: products.nameZh,
      serial: units.serial,
      dealerName: dealers.name,
      dealerNameZh: dealers.nameZh,
      verification: purchases.verification,
    })
    .from(purchases)
    .innerJoin(products, eq(products.id, purchases.productId))
    .leftJoin(units, eq(units.id, purchases.unitId))
    .leftJoin(dealers, eq(dealers.id, purchases.dealerId))
    .where(and(eq(purchases.endUserId, endUserId), purchaseScope))
    .orderBy(desc(purchases.purchaseDate), desc(purchases.id))
    .limit(LIST_LIMIT);

  const claimRows = await db
    .select({
      id: claims.id,
      reportedOn: claims.reportedOn,
      status: claims.status,
      purchaseId: claims.purchaseId,
      sku: products.sku,
      nameEn: products.nameEn,
      nameZh: products.nameZh,
    })
    .from(claims)
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .innerJoin(products, eq(products.id, purchases.productId))
    .where(and(eq(claims.endUserId, endUserId), claimScope))
    .orderBy(desc(claims.createdAt), desc(claims.id))
    .limit(LIST_LIMIT);

  const orderFilter = listFilter(actor, 'maintenanceOrders.read');
  const orderRows =
    orderFilter.kind === 'none' || (orderFilter.kind === 'scope' && !orderFilter.owners.serviceCenterId)
      ? []
      : await db
          .select({
            id: maintenanceOrders.id,
            claimId: maintenanceOrders.claimId,
            maintenanceNumber: maintenanceOrders.maintenanceNumber,
            state: maintenanceOrders.state,
            en: serviceCenters.nameEn,
            zh: serviceCenters.nameZh,
          })
          .from(maintenanceOrders)
          .innerJoin(claims, eq(claims.id, maintenanceOrders.claimId))
          .innerJoin(serviceCenters, eq(serviceCenters.id, maintenanceOrders.serviceCenterId))
          .where(
            and(
              eq(claims.endUserId, endUserId),
              orderFilter.kind === 'scope'
                ? eq(maintenanceOrders.serviceCenterId, orderFilter.owners.serviceCenterId ?? '')
                : undefined,
            ),
          )
          .orderBy(desc(maintenanceOrders.createdAt), desc(maintenanceOrders.id))
          .limit(LIST_LIMIT);

  const quoteFilter = listFilter(actor, 'quotes.read');
  const quoteRows =
    quoteFilter.kind === 'none' || (quoteFilter.kind === 'scope' && !quoteFilter.owners.serviceCenterId)
      ? []
      : await db
          .select({
            id: quotes.id,
            claimId: quotes.claimId,
            maintenanceOrderId: quotes.maintenanceOrderId,
            state: quotes.state,
            totalMinor: quotes.totalMinor,
            currency: quotes.currency,
          })
          .from(quotes)
          .innerJoin(claims, eq(claims.id, quotes.claimId))
          .leftJoin(maintenanceOrders, eq(maintenanceOrders.id, quotes.maintenanceOrderId))
          .where(
            and(
              eq(claims.endUserId, endUserId),
              quoteFilter.kind === 'scope'
                ? eq(maintenanceOrders.serviceCenterId, quoteFilter.owners.serviceCenterId ?? '')
                : undefined,
            ),
          )
          .orderBy(desc(quotes.createdAt), desc(quotes.id))
          .limit(LIST_LIMIT);

  const events = await db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      actor: auditEvents.actor,
      action: auditEvents.action,
      entityType: auditEvents.entityType,
      data: auditEvents.data,
      actorName: users.name,
    })
    .from(auditEvents)
    .leftJoin(users, eq(auditEvents.actor, sql`'user:' || ${users.id}`))
    .where(and(eq(auditEvents.entityType, entity.type), eq(auditEvents.entityId, entity.id)))
    .orderBy(asc(auditEvents.id))
    .limit(HISTORY_LIMIT);

  const staff = isStaff(actor);
  return {
    customer,
    purchases: purchaseRows.map((p) => ({
      id: p.id,
      purchaseDate: p.purchaseDate,
      product: { sku: p.sku, name: { en: p.nameEn, zh: p.nameZh } },
      serial: p.serial,
      dealerName: p.dealerName,
      dealerNameZh: p.dealerNameZh,
      verification: p.verification,
    })),
    claims: claimRows.map((c) => ({
      id: c.id,
      reportedOn: c.reportedOn,
      status: c.status,
      purchaseId: c.purchaseId,
      product: { sku: c.sku, name: { en: c.nameEn, zh: c.nameZh } },
    })),
    maintenanceOrders: orderRows.map((o) => ({
      id: o.id,
      claimId: o.claimId,
      maintenanceNumber: o.maintenanceNumber,
      state: o.state,
      serviceCenter: { en: o.en, zh: o.zh },
    })),
    quotes: quoteRows,
    history: events.map((e) => ({
      id: e.id,
      at: e.occurredAt.toISOString(),
      actor: actorOfReference(e.actor, e.actorName),
      action: e.action,
      entityType: e.entityType,
      data: staff ? e.data : null,
    })),
  };
}

/** The context of a claim, for those the access table lets see its customer ('claims.context'). */
export async function claimContext(
  deps: { db: Database },
  actor: Actor,
  claimId: string,
): Promise<CustomerContext> {
  const [view] = await claimViews(deps.db, eq(claims.id, claimId));
  if (!view) throw new AppError('not_found', claimNotFound.code, claimNotFound.message);
  assertAllowed(actor, 'claims.context', claimOwners(view), claimNotFound);
  return contextOf(deps.db, actor, view.endUserId, { type: 'claim', id: claimId });
}

/** The context of a maintenance order ('maintenanceOrders.context'). */
export async function orderContext(
  deps: { db: Database },
  actor: Actor,
  orderId: string,
): Promise<CustomerContext> {
  const loaded = await loadOrder(deps.db, orderId);
  if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
  assertAllowed(actor, 'maintenanceOrders.context', ownersOfOrder(loaded), orderNotFound);
  return contextOf(deps.db, actor, loaded.customer.id, { type: 'maintenance_order', id: orderId });
}
