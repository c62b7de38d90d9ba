import { asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.js';
import {
  claims,
  endUsers,
  maintenanceOrderEvents,
  maintenanceOrders,
  products,
  purchases,
  serviceCenters,
} from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';
import { contactMatches } from '../../domain/contact.js';
import { type OrderCommitmentStatus, orderCommitmentStatus } from '../../domain/maintenance/deadlines.js';
import { parseMaintenanceNumber } from '../../domain/maintenance/maintenance-number.js';
import type { MaintenanceMode, MaintenanceState } from '../../domain/maintenance/state-machine.js';
import type { DecisionWindow } from '../../domain/policy/evaluate.js';
import type { RemedyCode } from '../../domain/policy/schema.js';
import { AppError } from '../errors.js';
import { calendarOf, centerToday } from '../maintenance/maintenance-order-records.js';
import { claimOfGuestLink } from './guest-links.js';

/**
 * What a guest sees of their claim: where it stands, never who they are — a forwarded link must not
 * leak a name, an address or a phone number.
 */
export type ClaimTracking = {
  claim: {
    reportedOn: string;
    status: string;
    window: DecisionWindow;
    paid: boolean;
    remedies: RemedyCode[];
    chosenRemedy: RemedyCode | null;
    product: { sku: string; name: { en: string; zh: string } };
  };
  maintenanceOrder: {
    maintenanceNumber: string;
    mode: MaintenanceMode;
    state: MaintenanceState;
    receivedOn: string | null;
    dueOn: string | null;
    returnTracking: string | null;
    serviceCenter: { name: { en: string; zh: string }; city: string; phone: string };
    commitment: { status: OrderCommitmentStatus; dueOn: string | null };
    /** Each move with the note the customer is told; who made it stays internal. */
    timeline: { state: MaintenanceState; on: string; note: string | null }[];
  } | null;
};

/*
 * A look-up is the busiest thing a guest does (see bench/results/latest.md), so it costs two queries:
 * the claim with its product, contacts and latest order, then that order's timeline.
 */
async function trackingRow(db: Database, where: SQL, statement: 'track_by_number' | 'track_by_claim') {
  const latest = alias(maintenanceOrders, 'latest_order');
  const latestOrderId = db
    .select({ id: latest.id })
    .from(latest)
    .where(eq(latest.claimId, claims.id))
    .orderBy(desc(latest.createdAt))
    .limit(1);
  const [row] = await db
    .select({
      claim: claims,
      sku: products.sku,
      nameEn: products.nameEn,
      nameZh: products.nameZh,
      contacts: {
        email: endUsers.email,
        phone: endUsers.phone,
        buyerEmail: purchases.buyerEmail,
        buyerPhone: purchases.buyerPhone,
      },
      order: maintenanceOrders,
      center: serviceCenters,
    })
    .from(claims)
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .innerJoin(products, eq(products.id, purchases.productId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .leftJoin(maintenanceOrders, sql`${maintenanceOrders.id} = (${latestOrderId})`)
    .leftJoin(serviceCenters, eq(serviceCenters.id, maintenanceOrders.serviceCenterId))
    .where(where)
    .limit(1)
    // Named, so that PostgreSQL plans this six-table join once per connection, not on every look-up.
    .prepare(statement)
    .execute();
  return row;
}

async function trackingOf(
  db: Database,
  row: NonNullable<Awaited<ReturnType<typeof trackingRow>>>,
  now: Temporal.Instant,
): Promise<ClaimTracking> {
  const { claim, order, center } = row;
  const timeline = order
    ? await db
        .select({
          state: maintenanceOrderEvents.toState,
          on: maintenanceOrderEvents.on,
          note: maintenanceOrderEvents.note,
        })
        .from(maintenanceOrderEvents)
        .where(eq(maintenanceOrderEvents.orderId, order.id))
        .orderBy(asc(maintenanceOrderEvents.id))
        .prepare('track_timeline')
        .execute()
    : [];
  return {
    claim: {
      reportedOn: claim.reportedOn,
      status: claim.status,
      window: claim.decision.window,
      paid: claim.decision.paid,
      remedies: claim.decision.remedies.map((r) => r.code),
      chosenRemedy: claim.chosenRemedy,
      product: { sku: row.sku, name: { en: row.nameEn, zh: row.nameZh } },
    },
    maintenanceOrder:
      order && center
        ? {
            maintenanceNumber: order.maintenanceNumber,
            mode: order.mode,
            state: order.state,
            receivedOn: order.receivedOn,
            dueOn: order.dueOn,
            returnTracking: order.returnTracking,
            serviceCenter: {
              name: { en: center.nameEn, zh: center.nameZh },
              city: center.city,
              phone: center.phone,
            },
            commitment: {
              status: orderCommitmentStatus(order, centerToday(center, now), calendarOf(center)),
              dueOn: order.dueOn,
            },
            timeline,
          }
        : null,
  };
}

/** A guest follows the tracking link they were sent when they reported the problem. */
export async function trackClaimByLink(
  deps: { db: Database; now: () => Temporal.Instant },
  token: string,
): Promise<ClaimTracking> {
  const claimId = await claimOfGuestLink(deps.db, { token, purpose: 'claim.track', now: deps.now() });
  const row = await trackingRow(deps.db, eq(claims.id, claimId), 'track_by_claim');
  if (!row) throw new AppError('not_found', 'GUEST_LINK_NOT_FOUND', 'this link is not valid');
  return trackingOf(deps.db, row, deps.now());
}

const NO_MATCH = 'no maintenance order with this number and contact';

/**
 * A guest without the link gives the maintenance number and the e-mail address or phone number the
 * order was registered with. A wrong contact and an unknown number get the same answer, so the form
 * cannot be used to find out which numbers exist; the route limits how often anyone may try.
 */
export async function trackByMaintenanceNumber(
  deps: { db: Database; now: () => Temporal.Instant },
  input: { maintenanceNumber: string; contact: string },
): Promise<ClaimTracking> {
  const number = parseMaintenanceNumber(input.maintenanceNumber);
  if (typeof number !== 'string') throw new AppError('invalid', number.code, number.message);
  const ofNumber = deps.db
    .select({ claimId: maintenanceOrders.claimId })
    .from(maintenanceOrders)
    .where(eq(maintenanceOrders.maintenanceNumber, number));
  const row = await trackingRow(deps.db, inArray(claims.id, ofNumber), 'track_by_number');
  const { email, phone, buyerEmail, buyerPhone } = row?.contacts ?? {};
  if (!row || !contactMatches(input.contact, [email, phone, buyerEmail, buyerPhone])) {
    throw new AppError('not_found', 'MAINTENANCE_ORDER_NOT_FOUND', NO_MATCH);
  }
  return trackingOf(deps.db, row, deps.now());
}
