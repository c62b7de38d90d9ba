import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from '../../db/client.js';
import { maintenanceOrderEvents, maintenanceOrders, outbox, quotes } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn, parsePlainDate, Temporal } from '../../domain/calendar.js';
import { receiptDay } from '../../domain/maintenance/receipt-day.js';
import { serviceCommitmentDueOn } from '../../domain/maintenance/service-commitment.js';
import {
  type MaintenanceState,
  type TransitionError,
  transitionMaintenanceOrder,
} from '../../domain/maintenance/state-machine.js';
import type { QuoteState } from '../../domain/paid-service/quote.js';
import { assertAllowed } from '../access.js';
import { auditActor, recordAudit } from '../audit.js';
import { requestRating } from '../insight/ratings.js';
import type { MessageKey } from '../outbox/sealed-links.js';
import { AppError } from '../errors.js';
import { assertVersion, versionConflict } from '../optimistic-lock.js';
import {
  calendarOf,
  centerToday,
  customerRecipient,
  type LoadedOrder,
  loadOrder,
  type MaintenanceOrderView,
  orderNotFound,
  orderView,
  ownersOfOrder,
} from './maintenance-order-records.js';
import { type NotifiedMove, orderMovedMessage } from './messages.js';
import { recordOrderEvent } from './order-events.js';

export type MoveMaintenanceOrderInput = {
  orderId: string;
  to: MaintenanceState;
  /** The version the caller read: a move made on a stale screen is refused, not applied blindly. */
  expectedVersion: number;
  /** What the customer is told with this move (the timeline shows it). */
  note?: string | undefined;
  diagnosis?: string | undefined;
  /** Inspection found damage caused by misuse: only with a move to paidService. */
  humanDamage?: boolean | undefined;
  /** The carrier's tracking number of a mail-in return. */
  returnTracking?: string | undefined;
  /**
   * With a move to received: the day it arrived (YYYY-MM-DD in the center's calendar), when earlier than
   * today; never in the future, never before the order was issued. The service clock counts from it.
   */
  receivedOn?: string | undefined;
};

export type MaintenanceOrderDeps = { db: Database; now: () => Temporal.Instant };
/** A move may send the customer a rating link (a return): what the link needs. */
export type MoveMaintenanceOrderDeps = MaintenanceOrderDeps & {
  messageKey: MessageKey;
  publicUrl: URL;
  storeTimeZone: string;
};

const notifiedMoves: readonly MaintenanceState[] = [
  'received',
  'paidService',
  'repaired',
  'returned',
] satisfies NotifiedMove[];
const isNotified = (state: MaintenanceState): state is NotifiedMove => notifiedMoves.includes(state);

/** A quote the customer said yes to; what sales does with it afterwards does not undo that. */
const acceptedQuoteStates: readonly QuoteState[] = ['accepted', 'repaired', 'invoiced'];

function refusal(error: TransitionError): AppError {
  switch (error.code) {
    case 'ILLEGAL_TRANSITION':
      return new AppError('conflict', error.code, error.message, {
        from: error.from,
        to: error.to,
        allowed: error.allowed,
      });
    case 'PAID_SERVICE_OFFER_PENDING':
      return new AppError('conflict', error.code, error.message);
    case 'RETURN_TRACKING_REQUIRED':
    case 'HUMAN_DAMAGE_NOT_FOUND':
      // The move is possible; the request lacks what it needs.
      return new AppError('invalid', error.code, error.message);
  }
}

/**
 * Loads an order for a change by staff: its center's technicians, or support. Another center's order
 * is a 404; a version other than the one the caller read is a 409 before anything is decided.
 */
export async function loadOrderForChange(
  tx: Transaction,
  actor: Actor,
  orderId: string,
  expectedVersion: number,
): Promise<LoadedOrder> {
  const loaded = await loadOrder(tx, orderId);
  if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
  assertAllowed(actor, 'maintenanceOrders.move', ownersOfOrder(loaded), orderNotFound);
  assertVersion('maintenance order', loaded.order, expectedVersion);
  return loaded;
}

/** Writes the change only if nobody else did in between: the version is the lock. */
export async function updateAtVersion(
  tx: Transaction,
  orderId: string,
  expectedVersion: number,
  set: PgUpdateSetSource<typeof maintenanceOrders>,
  now: Temporal.Instant,
): Promise<void> {
  const updated = await tx
    .update(maintenanceOrders)
    .set({
      ...set,
      version: sql`${maintenanceOrders.version} + 1`,
      updatedAt: new Date(now.epochMilliseconds),
    })
    .where(and(eq(maintenanceOrders.id, orderId), eq(maintenanceOrders.version, expectedVersion)))
    .returning({ id: maintenanceOrders.id });
  if (updated.length === 1) return;
  const [current] = await tx
    .select({ version: maintenanceOrders.version })
    .from(maintenanceOrders)
    .where(eq(maintenanceOrders.id, orderId));
  if (!current) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
  throw versionConflict('maintenance order', current.version);
}

async function hasAcceptedQuote(tx: Transaction, orderId: string): Promise<boolean> {
  const [quote] = await tx
    .select({ id: quotes.id })
    .from(quotes)
    .where(and(eq(quotes.maintenanceOrderId, orderId), inArray(quotes.state, [...acceptedQuoteStates])))
    .limit(1);
  return quote !== undefined;
}

/** The day the order was issued, in its center's calendar: the day of its first timeline entry. */
async function issuedOn(tx: Transaction, loaded: LoadedOrder): Promise<Temporal.PlainDate> {
  const [first] = await tx
    .select({ on: maintenanceOrderEvents.on })
    .from(maintenanceOrderEvents)
    .where(eq(maintenanceOrderEvents.orderId, loaded.order.id))
    .orderBy(asc(maintenanceOrderEvents.at), asc(maintenanceOrderEvents.id))
    .limit(1);
  return first
    ? Temporal.PlainDate.from(first.on)
    : calendarDateIn(
        Temporal.Instant.fromEpochMilliseconds(loaded.order.createdAt.getTime()),
        loaded.center.timeZone,
      );
}

const blankToUndefined = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

/**
 * A technician (or support) moves an order through the state machine: receiving starts the service
 * commitment in the center's calendar, a misuse finding turns the order into paid service (repair
 * waits for the customer's accepted quote), a mail-in return carries its tracking number. The move,
 * its timeline entry, the audit event and the customer's message stand or fall together.
 */
export async function moveMaintenanceOrder(
  deps: MoveMaintenanceOrderDeps,
  actor: Actor,
  input: MoveMaintenanceOrderInput,
): Promise<MaintenanceOrderView> {
  const now = deps.now();
  const note = blankToUndefined(input.note);
  const diagnosis = blankToUndefined(input.diagnosis);
  if (input.humanDamage === true && input.to !== 'paidService') {
    throw new AppError(
      'invalid',
      'HUMAN_DAMAGE_MEANS_PAID_SERVICE',
      'a misuse finding moves the order to paidService; send it with to: "paidService"',
    );
  }
  if (input.receivedOn !== undefined && input.to !== 'received') {
    throw new AppError(
      'invalid',
      'RECEIVED_ON_ONLY_WHEN_RECEIVING',
      'a received-on day goes with the move to received',
      { field: 'receivedOn' },
    );
  }
  const requestedReceipt = input.receivedOn === undefined ? undefined : parsePlainDate(input.receivedOn);
  if (requestedReceipt && 'code' in requestedReceipt) {
    throw new AppError('invalid', requestedReceipt.code, requestedReceipt.message, { field: 'receivedOn' });
  }
  return deps.db.transaction(async (tx) => {
    const loaded = await loadOrderForChange(tx, actor, input.orderId, input.expectedVersion);
    const { order, center } = loaded;
    const today = centerToday(center, now);
    let on = today;
    if (input.to === 'received') {
      const received = receiptDay({
        requested: requestedReceipt,
        today,
        issuedOn: await issuedOn(tx, loaded),
      });
      if (!(received instanceof Temporal.PlainDate)) {
        const { code, message, ...details } = received;
        throw new AppError('invalid', code, message, { field: 'receivedOn', ...details });
      }
      // The move happens on the day it arrived: the timeline and the service clock both say so.
      on = received;
    }

    const result = transitionMaintenanceOrder(
      {
        state: order.state,
        mode: order.mode,
        receivedOn: order.receivedOn,
        humanDamageFound: order.humanDamageFound,
        returnTracking: order.returnTracking,
      },
      { to: input.to, on, returnTracking: input.returnTracking, humanDamage: input.humanDamage },
    );
    if (!result.ok) throw refusal(result.error);
    if (
      order.state === 'paidService' &&
      input.to === 'repairing' &&
      !(await hasAcceptedQuote(tx, order.id))
    ) {
      throw new AppError(
        'conflict',
        'PAID_SERVICE_OFFER_PENDING',
        'the customer has not accepted the paid-service quote for this order yet',
      );
    }

    const next = result.order;
    const set: Partial<typeof maintenanceOrders.$inferInsert> = {
      state: next.state,
      humanDamageFound: next.humanDamageFound,
    };
    if (diagnosis) set.diagnosis = diagnosis;
    if (result.startsServiceClock) {
      const dueOn = serviceCommitmentDueOn(on, center.committedServiceDays, calendarOf(center));
      if ('code' in dueOn) throw new AppError('conflict', dueOn.code, dueOn.message);
      set.receivedOn = on.toString();
      set.dueOn = dueOn.toString();
    }
    if (next.state === 'returned') {
      set.returnedOn = on.toString();
      set.returnTracking = next.returnTracking;
    }
    await updateAtVersion(tx, order.id, input.expectedVersion, set, now);

    await tx.insert(maintenanceOrderEvents).values({
      orderId: order.id,
      fromState: order.state,
      toState: next.state,
      on: on.toString(),
      at: new Date(now.epochMilliseconds),
      actor: auditActor(actor),
      note: note ?? null,
    });
    await recordAudit(tx, actor, {
      action: 'maintenance_order.moved',
      entityType: 'maintenance_order',
      entityId: order.id,
      data: {
        from: order.state,
        to: next.state,
        on: on.toString(),
        version: input.expectedVersion + 1,
        ...(note ? { note } : {}),
        ...(diagnosis ? { diagnosis } : {}),
        ...(set.dueOn ? { receivedOn: set.receivedOn, dueOn: set.dueOn, recordedOn: today.toString() } : {}),
        ...(set.returnTracking ? { returnTracking: set.returnTracking } : {}),
        ...(next.state === 'paidService' ? { humanDamageFound: true } : {}),
      },
    });

    const recipient = customerRecipient(loaded.customer);
    if (recipient && isNotified(next.state)) {
      await tx.insert(outbox).values({
        topic: `maintenance_order.${next.state}`,
        recipient,
        ...orderMovedMessage({
          customerName: loaded.customer.name,
          maintenanceNumber: order.maintenanceNumber,
          to: next.state,
          on: on.toString(),
          dueOn: set.dueOn ?? order.dueOn,
          returnTracking: set.returnTracking ?? null,
          note: note ?? null,
          centerPhone: center.phone,
        }),
        payload: { maintenanceOrderId: order.id, claimId: order.claimId, state: next.state },
      });
    }

    if (next.state === 'returned') {
      // The customer is asked how it went, once per order, in this same transaction. The technician
      // rated is the one who gave it back (an API key is nobody), else whoever works the order.
      await requestRating(
        tx,
        { messageKey: deps.messageKey, publicUrl: deps.publicUrl, now },
        {
          subject: 'maintenance_order',
          claimId: order.claimId,
          maintenanceOrderId: order.id,
          serviceCenterId: center.id,
          technicianId: actor.role === 'technician' && !actor.keyId ? actor.userId : order.ownerId,
          recipient,
          customerName: loaded.customer.name,
          about: { number: order.maintenanceNumber },
          storeTimeZone: deps.storeTimeZone,
        },
      );
    }

    const moved = await loadOrder(tx, order.id);
    if (!moved) throw new Error('the maintenance order just moved is missing');
    await recordOrderEvent(
      tx,
      { type: 'maintenance_order.moved', change: { from: order.state, to: next.state } },
      moved,
      now,
    );
    if (next.state === 'returned')
      await recordOrderEvent(tx, { type: 'maintenance_order.returned' }, moved, now);
    return orderView(moved, now, actor);
  });
}
