import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { scalarOf } from '../../db/rows.js';
import {
  claims,
  endUsers,
  maintenanceOrderEvents,
  maintenanceOrders,
  outbox,
  purchases,
  serviceCenters,
} from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { chooseRemedy } from '../../domain/claims/remedy-choice.js';
import { cityById } from '../../domain/geo/cities.js';
import { isValidPoint, nearest, type Point } from '../../domain/geo/nearest.js';
import { maintenanceNumberFor } from '../../domain/maintenance/maintenance-number.js';
import type { MaintenanceMode, MaintenanceState } from '../../domain/maintenance/state-machine.js';
import type { RemedyCode } from '../../domain/policy/schema.js';
import type { ServiceCenterKind } from '../../domain/reference-data.js';
import { assertAllowed } from '../access.js';
import { assertPurchaseVerified } from '../purchases/assert-purchase-verified.js';
import { auditActor, recordAudit } from '../audit.js';
import { assertClaimCleared } from '../risk/clearance.js';
import { holdingForReview } from '../risk/reviews.js';
import { AppError } from '../errors.js';
import { issueGuestLink } from '../guest/guest-links.js';
import { type MessageKey, sealLink } from '../outbox/sealed-links.js';
import {
  centerToday,
  customerRecipient,
  loadOrder,
  type MaintenanceOrderView,
  orderView,
} from './maintenance-order-records.js';
import { orderIssuedMessage } from './messages.js';
import { recordOrderEvent } from './order-events.js';

export type CustomerLocation = { cityId: string } | { latitude: number; longitude: number };

export type IssueMaintenanceOrderInput = {
  claimId: string;
  mode: MaintenanceMode;
  /** Where the customer is, to find the nearest center. */
  location: CustomerLocation;
};

export type IssueMaintenanceOrderDeps = {
  db: Database;
  now: () => Temporal.Instant;
  /** Where the tracking link in the message points. */
  publicUrl: URL;
  /** Seals the tracking link in the customer's message. */
  messageKey: MessageKey;
  /** The calendar the fraud signals count days in. */
  storeTimeZone: string;
};

const claimNotFound = { code: 'CLAIM_NOT_FOUND', message: 'no such claim' } as const;

/** The policy's two ways of free repair in the one-year window, and the remedy each one is. */
const remedyOfMode: Record<MaintenanceMode, RemedyCode> = {
  walk_in: 'maintenance_order',
  mail_in: 'mail_in_repair',
};
const maintenanceRemedies: readonly RemedyCode[] = Object.values(remedyOfMode);

/**
 * The customer brings a walk-in product to a service center; mailed-in parts may go to a center or to
 * a maintenance office ("the bad parts can be sent to the nearest maintenance office").
 */
const kindsFor: Record<MaintenanceMode, readonly ServiceCenterKind[]> = {
  walk_in: ['center'],
  mail_in: ['center', 'office'],
};

/** An order is open until it is closed or cancelled; a claim has at most one open order. */
const finishedStates: MaintenanceState[] = ['closed', 'cancelled'];

function pointOf(location: CustomerLocation): { point: Point; cityId: string | null } {
  if ('cityId' in location) {
    const city = cityById(location.cityId);
    if (!city) {
      throw new AppError('invalid', 'UNKNOWN_CITY', `no city "${location.cityId}" in the list of cities`);
    }
    return { point: city, cityId: city.id };
  }
  const point = { latitude: location.latitude, longitude: location.longitude };
  if (!isValidPoint(point)) {
    throw new AppError(
      'invalid',
      'INVALID_LOCATION',
      'latitude must be within ±90 and longitude within ±180',
    );
  }
  return { point, cityId: null };
}

async function nextMaintenanceNumber(tx: Transaction): Promise<string> {
  // A sequence, not max()+1: unique across processes without a lock, and never handed out twice.
  const value = scalarOf(await tx.execute(sql`select nextval('maintenance_number_seq')::text as n`), 'n');
  return maintenanceNumberFor(BigInt(String(value)));
}

/**
 * Staff, or the customer, issue a maintenance order for a claim whose decision offers free repair:
 * the nearest service center gets it, with a maintenance number at once. The order, its first event,
 * the audit event, a fresh tracking link and the message telling the customer where to go or where to
 * send the parts are written in one transaction.
 */
export async function issueMaintenanceOrder(
  deps: IssueMaintenanceOrderDeps,
  actor: Actor,
  input: IssueMaintenanceOrderInput,
): Promise<MaintenanceOrderView> {
  const { point, cityId } = pointOf(input.location);
  const now = deps.now();
  return holdingForReview(deps.db, () =>
    deps.db.transaction(async (tx) => {
      // Locking the claim makes two issues for it wait for each other, so the second sees the first order.
      const [claim] = await tx
        .select({
          id: claims.id,
          purchaseId: claims.purchaseId,
          status: claims.status,
          decision: claims.decision,
          chosenRemedy: claims.chosenRemedy,
          endUserId: claims.endUserId,
          dealerId: purchases.dealerId,
          customerName: endUsers.name,
          email: endUsers.email,
          phone: endUsers.phone,
        })
        .from(claims)
        .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
        .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
        .where(eq(claims.id, input.claimId))
        .for('update', { of: claims });
      if (!claim) throw new AppError('not_found', claimNotFound.code, claimNotFound.message);
      assertAllowed(
        actor,
        'maintenanceOrders.issue',
        { endUserId: claim.endUserId, dealerId: claim.dealerId },
        claimNotFound,
      );

      const remedy = remedyOfMode[input.mode];
      const offered = chooseRemedy(claim.decision, remedy);
      if (!offered.ok) {
        throw new AppError('conflict', offered.error.code, offered.error.message, {
          offered: offered.error.offered,
          clause: offered.error.clause,
        });
      }
      if (claim.status === 'resolved' || claim.status === 'withdrawn') {
        throw new AppError('conflict', 'CLAIM_CLOSED', `this claim is ${claim.status}`, {
          status: claim.status,
        });
      }
      if (claim.chosenRemedy && !maintenanceRemedies.includes(claim.chosenRemedy)) {
        throw new AppError(
          'conflict',
          'REMEDY_ALREADY_CHOSEN',
          `the customer chose ${claim.chosenRemedy} for this claim, not a repair`,
          { chosenRemedy: claim.chosenRemedy },
        );
      }
      await assertPurchaseVerified(tx, claim.purchaseId);

      const [open] = await tx
        .select({ id: maintenanceOrders.id, maintenanceNumber: maintenanceOrders.maintenanceNumber })
        .from(maintenanceOrders)
        .where(
          and(eq(maintenanceOrders.claimId, claim.id), notInArray(maintenanceOrders.state, finishedStates)),
        )
        .limit(1);
      if (open) {
        throw new AppError(
          'conflict',
          'MAINTENANCE_ORDER_EXISTS',
          `this claim already has maintenance order ${open.maintenanceNumber}`,
          { maintenanceOrderId: open.id, maintenanceNumber: open.maintenanceNumber },
        );
      }
      // A free repair is a pay-out like a refund: a claim a fraud signal holds waits for support.
      await assertClaimCleared(tx, claim, actor, deps.storeTimeZone);

      const centers = await tx.select().from(serviceCenters);
      const kinds = kindsFor[input.mode];
      const found = nearest(
        point,
        centers.filter((c) => kinds.includes(c.kind)),
      );
      if (!found) {
        throw new AppError(
          'conflict',
          'NO_SERVICE_CENTER',
          input.mode === 'walk_in'
            ? 'there is no after-sales service center to walk in to'
            : 'there is no service center or maintenance office to send parts to',
        );
      }
      const center = found.place;

      if (!claim.chosenRemedy) {
        // Issuing the order is the customer's choice of this remedy, recorded on the claim like any other.
        await tx
          .update(claims)
          .set({
            chosenRemedy: remedy,
            status: 'remedy_chosen',
            version: sql`${claims.version} + 1`,
            updatedAt: new Date(now.epochMilliseconds),
          })
          .where(eq(claims.id, claim.id));
      }

      const maintenanceNumber = await nextMaintenanceNumber(tx);
      const [order] = await tx
        .insert(maintenanceOrders)
        .values({
          claimId: claim.id,
          maintenanceNumber,
          serviceCenterId: center.id,
          mode: input.mode,
          state: 'issued',
          customerCity: cityId,
          customerLatitude: point.latitude,
          customerLongitude: point.longitude,
        })
        .returning({ id: maintenanceOrders.id });
      if (!order) throw new Error('insert returned no maintenance order');

      await tx.insert(maintenanceOrderEvents).values({
        orderId: order.id,
        fromState: null,
        toState: 'issued',
        on: centerToday(center, now).toString(),
        at: new Date(now.epochMilliseconds),
        actor: auditActor(actor),
        note: null,
      });
      await recordAudit(tx, actor, {
        action: 'maintenance_order.issued',
        entityType: 'maintenance_order',
        entityId: order.id,
        data: {
          claimId: claim.id,
          maintenanceNumber,
          mode: input.mode,
          serviceCenterId: center.id,
          distanceKm: Math.round(found.distanceKm * 10) / 10,
          from: cityId ? { cityId } : point,
        },
      });

      const tracking = await issueGuestLink(tx, {
        purpose: 'claim.track',
        claimId: claim.id,
        now,
        publicUrl: deps.publicUrl,
      });
      const recipient = customerRecipient(claim);
      if (recipient) {
        const link = sealLink(deps.messageKey, { url: tracking.url, recipient });
        const message = orderIssuedMessage({
          customerName: claim.customerName,
          maintenanceNumber,
          mode: input.mode,
          center,
          trackingUrl: link.shown,
        });
        await tx.insert(outbox).values({
          topic: 'maintenance_order.issued',
          recipient,
          ...message,
          sealedLink: link.sealed,
          payload: { maintenanceOrderId: order.id, claimId: claim.id, maintenanceNumber },
        });
      }

      const loaded = await loadOrder(tx, order.id);
      if (!loaded) throw new Error('the maintenance order just written is missing');
      await recordOrderEvent(tx, { type: 'maintenance_order.issued' }, loaded, now);
      return orderView(loaded, now, actor);
    }),
  );
}
