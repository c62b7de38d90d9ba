import { desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.js';
import { preparedStatement } from '../../db/prepared.js';
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
    timeline: TimelineEntry[];
  } | null;
};

/** A move, or a contact with the customer (with what they were told): the customer was on the call. */
type TimelineEntry = { kind: 'move' | 'contact'; state: MaintenanceState; on: string; note: string | null };

/*
 * A look-up is the busiest thing a guest does (see bench/results/latest.md), so it is one statement,
 * built once: the claim with its product, contacts, latest order, that order's center and its timeline
 * (as JSON, in the order of the moves).
 */
function trackingStatement(name: string, where: (db: Database) => SQL | undefined) {
  return preparedStatement(name, (db, statementName) => {
    const latest = alias(maintenanceOrders, 'latest_order');
    const latestOrderId = db
      .select({ id: latest.id })
      .from(latest)
      .where(eq(latest.claimId, claims.id))
      .orderBy(desc(latest.createdAt))
      .limit(1);
    const e = maintenanceOrderEvents;
    return db
      .select({
        // Only what a guest is shown: each column is also a type parser set up per answer.
        claim: {
          reportedOn: claims.reportedOn,
          status: claims.status,
          decision: claims.decision,
          chosenRemedy: claims.chosenRemedy,
        },
        sku: products.sku,
        nameEn: products.nameEn,
        nameZh: products.nameZh,
        contacts: {
          email: endUsers.email,
          phone: endUsers.phone,
          buyerEmail: purchases.buyerEmail,
          buyerPhone: purchases.buyerPhone,
        },
        order: {
          id: maintenanceOrders.id,
          maintenanceNumber: maintenanceOrders.maintenanceNumber,
          mode: maintenanceOrders.mode,
          state: maintenanceOrders.state,
          receivedOn: maintenanceOrders.receivedOn,
          dueOn: maintenanceOrders.dueOn,
          returnedOn: maintenanceOrders.returnedOn,
          returnTracking: maintenanceOrders.returnTracking,
        },
        center: {
          nameEn: serviceCenters.nameEn,
          nameZh: serviceCenters.nameZh,
          city: serviceCenters.city,
          phone: serviceCenters.phone,
          timeZone: serviceCenters.timeZone,
          businessDays: serviceCenters.businessDays,
          closedOn: serviceCenters.closedOn,
          openOn: serviceCenters.openOn,
        },
        timeline: sql<TimelineEntry[]>`coalesce((
          select json_agg(json_build_object('kind', ${e.kind}, 'state', ${e.toState}, 'on', ${e.on}, 'note', ${e.note}) order by ${e.at}, ${e.id})
          from ${e} where ${e.orderId} = ${maintenanceOrders.id}), '[]'::json)`,
      })
      .from(claims)
      .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
      .innerJoin(products, eq(products.id, purchases.productId))
      .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
      .leftJoin(maintenanceOrders, sql`${maintenanceOrders.id} = (${latestOrderId})`)
      .leftJoin(serviceCenters, eq(serviceCenters.id, maintenanceOrders.serviceCenterId))
      .where(where(db))
      .limit(1)
      .prepare(statementName);
  });
}

const trackByClaimId = trackingStatement('track_by_claim', () => eq(claims.id, sql.placeholder('claimId')));
/** Exported for the bench's bare twin (bench/baseline-server.ts): the look-up's one statement. */
export const trackByNumber = trackingStatement('track_by_number', (db) => {
  // Its own alias: the joined order is the claim's latest, not necessarily the one with this number.
  const numbered = alias(maintenanceOrders, 'numbered_order');
  return inArray(
    claims.id,
    db
      .select({ claimId: numbered.claimId })
      .from(numbered)
      .where(eq(numbered.maintenanceNumber, sql.placeholder('number'))),
  );
});

type TrackingRow = Awaited<ReturnType<ReturnType<typeof trackByClaimId>['execute']>>[number];

function trackingOf(row: TrackingRow, now: Temporal.Instant): ClaimTracking {
  const { claim, order, center } = row;
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
            timeline: row.timeline,
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
  const [row] = await trackByClaimId(deps.db).execute({ claimId });
  if (!row) throw new AppError('not_found', 'GUEST_LINK_NOT_FOUND', 'this link is not valid');
  return trackingOf(row, deps.now());
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
  const [row] = await trackByNumber(deps.db).execute({ number });
  const { email, phone, buyerEmail, buyerPhone } = row?.contacts ?? {};
  if (!row || !contactMatches(input.contact, [email, phone, buyerEmail, buyerPhone])) {
    throw new AppError('not_found', 'MAINTENANCE_ORDER_NOT_FOUND', NO_MATCH);
  }
  return trackingOf(row, deps.now());
}
