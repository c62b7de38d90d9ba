import { and, asc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.js';
import { scalarOf } from '../db/rows.js';
import { claims, endUsers, maintenanceOrders, outbox, serviceCenters } from '../db/schema.js';
import { recordAudit } from '../app/audit.js';
import { roleRecipient } from '../app/service-messages.js';
import { commitmentMissedEscalation, commitmentReminderMessage } from '../app/maintenance/messages.js';
import { calendarOf, customerRecipient, loadOrder } from '../app/maintenance/maintenance-order-records.js';
import { recordOrderEvent } from '../app/maintenance/order-events.js';
import { calendarDateIn, type Temporal } from '../domain/calendar.js';
import {
  type DeadlineAction,
  type DeadlineCandidate,
  deadlineActions,
  statesUnderCommitment,
} from '../domain/maintenance/deadlines.js';

/** One runner at a time across processes: whoever holds this lock in its transaction runs. */
export const COMMITMENT_DEADLINES_LOCK_KEY = 7_361_205_117;

/**
 * Due soon is at most a few calendar days before the due day (one business day back, over weekends
 * and closed days): orders due further ahead are not even loaded.
 */
const HORIZON_DAYS = 14;

export type CommitmentDeadlinesResult = {
  /** False when another process was running the job: this one did nothing. */
  ran: boolean;
  reminded: number;
  escalated: number;
  failed: number;
};

export type CommitmentDeadlinesDeps = {
  db: Database;
  now: () => Temporal.Instant;
  /** Told when one order's messages could not be written; the others go on. */
  onError?: (orderId: string, error: unknown) => void;
};

const candidateColumns = {
  id: maintenanceOrders.id,
  claimId: maintenanceOrders.claimId,
  maintenanceNumber: maintenanceOrders.maintenanceNumber,
  state: maintenanceOrders.state,
  dueOn: maintenanceOrders.dueOn,
  returnedOn: maintenanceOrders.returnedOn,
  contactedOn: maintenanceOrders.contactedOn,
  dueReminderSentAt: maintenanceOrders.dueReminderSentAt,
  escalatedAt: maintenanceOrders.escalatedAt,
  timeZone: serviceCenters.timeZone,
  businessDays: serviceCenters.businessDays,
  closedOn: serviceCenters.closedOn,
  openOn: serviceCenters.openOn,
  centerName: serviceCenters.nameEn,
  centerPhone: serviceCenters.phone,
  serviceCenterId: serviceCenters.id,
  customerName: endUsers.name,
  customerEmail: endUsers.email,
  customerPhone: endUsers.phone,
};

function loadCandidates(tx: Transaction, horizon: string, limit: number) {
  return tx
    .select(candidateColumns)
    .from(maintenanceOrders)
    .innerJoin(serviceCenters, eq(serviceCenters.id, maintenanceOrders.serviceCenterId))
    .innerJoin(claims, eq(claims.id, maintenanceOrders.claimId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .where(
      and(
        inArray(maintenanceOrders.state, [...statesUnderCommitment]),
        isNull(maintenanceOrders.contactedOn),
        isNull(maintenanceOrders.returnedOn),
        isNotNull(maintenanceOrders.dueOn),
        lte(maintenanceOrders.dueOn, horizon),
        or(isNull(maintenanceOrders.dueReminderSentAt), isNull(maintenanceOrders.escalatedAt)),
      ),
    )
    .orderBy(asc(maintenanceOrders.dueOn), asc(maintenanceOrders.id))
    .limit(limit);
}

type CandidateRow = Awaited<ReturnType<typeof loadCandidates>>[number];

/** The order's event for other systems, in the savepoint that marked it (app/events). */
async function recordDeadlineEvent(
  tx: Transaction,
  orderId: string,
  type: 'maintenance_order.commitment_due_soon' | 'maintenance_order.commitment_missed',
  dueOn: string,
  now: Temporal.Instant,
): Promise<void> {
  const loaded = await loadOrder(tx, orderId);
  if (!loaded) throw new Error(`maintenance order ${orderId} is missing`);
  await recordOrderEvent(tx, { type, change: { dueOn } }, loaded, now);
}

async function remind(
  tx: Transaction,
  row: CandidateRow,
  action: DeadlineAction,
  now: Temporal.Instant,
): Promise<boolean> {
  const at = new Date(now.epochMilliseconds);
  // Conditional on the mark: even a run that raced past the lock cannot remind twice.
  const marked = await tx
    .update(maintenanceOrders)
    .set({ dueReminderSentAt: at })
    .where(and(eq(maintenanceOrders.id, row.id), isNull(maintenanceOrders.dueReminderSentAt)))
    .returning({ id: maintenanceOrders.id });
  if (marked.length === 0 || !row.dueOn) return false;
  const recipient = customerRecipient({ email: row.customerEmail, phone: row.customerPhone });
  if (recipient) {
    await tx.insert(outbox).values({
      topic: 'maintenance_order.commitment_reminder',
      recipient,
      ...commitmentReminderMessage({
        customerName: row.customerName,
        maintenanceNumber: row.maintenanceNumber,
        dueOn: row.dueOn,
        missed: action.status === 'missed',
        centerPhone: row.centerPhone,
      }),
      payload: { maintenanceOrderId: row.id, claimId: row.claimId, status: action.status, dueOn: row.dueOn },
    });
  }
  await recordAudit(tx, 'system', {
    action: 'maintenance_order.commitment_reminded',
    entityType: 'maintenance_order',
    entityId: row.id,
    data: { status: action.status, dueOn: row.dueOn, told: recipient !== null },
  });
  // A reminder sent once the day has passed comes with the escalation's event, not one of its own.
  if (action.status === 'due_soon') {
    await recordDeadlineEvent(tx, row.id, 'maintenance_order.commitment_due_soon', row.dueOn, now);
  }
  return true;
}

async function escalate(tx: Transaction, row: CandidateRow, now: Temporal.Instant): Promise<boolean> {
  const at = new Date(now.epochMilliseconds);
  const marked = await tx
    .update(maintenanceOrders)
    .set({ escalatedAt: at })
    .where(and(eq(maintenanceOrders.id, row.id), isNull(maintenanceOrders.escalatedAt)))
    .returning({ id: maintenanceOrders.id });
  if (marked.length === 0 || !row.dueOn) return false;
  const message = commitmentMissedEscalation({
    maintenanceNumber: row.maintenanceNumber,
    orderId: row.id,
    dueOn: row.dueOn,
    state: row.state,
    centerName: row.centerName,
    centerPhone: row.centerPhone,
    customerName: row.customerName,
    customerContact: customerRecipient({ email: row.customerEmail, phone: row.customerPhone }),
  });
  await tx.insert(outbox).values({
    topic: 'maintenance_order.commitment_missed',
    recipient: roleRecipient('support'),
    ...message,
    payload: { maintenanceOrderId: row.id, serviceCenterId: row.serviceCenterId, dueOn: row.dueOn },
  });
  await recordAudit(tx, 'system', {
    action: 'maintenance_order.commitment_escalated',
    entityType: 'maintenance_order',
    entityId: row.id,
    data: { dueOn: row.dueOn, state: row.state },
  });
  await recordDeadlineEvent(tx, row.id, 'maintenance_order.commitment_missed', row.dueOn, now);
  return true;
}

/**
 * One run of the deadline job: orders a center holds whose service commitment is due soon or missed,
 * without a recorded contact, get one reminder to the customer and, once missed, one escalation to
 * support. The run holds an advisory lock in its transaction, so of several processes one runs and
 * the others skip; each order's messages are written in a savepoint of their own, so one bad row does
 * not hold back the rest.
 */
export async function runCommitmentDeadlines(
  deps: CommitmentDeadlinesDeps,
  options: { batchSize?: number } = {},
): Promise<CommitmentDeadlinesResult> {
  const now = deps.now();
  const horizon = calendarDateIn(now, 'UTC').add({ days: HORIZON_DAYS }).toString();
  return deps.db.transaction(async (tx) => {
    const locked = scalarOf(
      await tx.execute(sql`select pg_try_advisory_xact_lock(${COMMITMENT_DEADLINES_LOCK_KEY}) as locked`),
      'locked',
    );
    const result: CommitmentDeadlinesResult = { ran: locked === true, reminded: 0, escalated: 0, failed: 0 };
    if (!result.ran) return result;

    const rows = await loadCandidates(tx, horizon, options.batchSize ?? 500);

    const candidates: DeadlineCandidate[] = rows.map((row) => ({
      id: row.id,
      state: row.state,
      dueOn: row.dueOn,
      returnedOn: row.returnedOn,
      contactedOn: row.contactedOn,
      reminded: row.dueReminderSentAt !== null,
      escalated: row.escalatedAt !== null,
      timeZone: row.timeZone,
      calendar: calendarOf(row),
    }));
    const byId = new Map(rows.map((row) => [row.id, row]));

    for (const action of deadlineActions(candidates, now)) {
      const row = byId.get(action.orderId);
      if (!row) continue;
      try {
        const done = await tx.transaction(async (savepoint) => ({
          reminded: action.remind && (await remind(savepoint, row, action, now)),
          escalated: action.escalate && (await escalate(savepoint, row, now)),
        }));
        if (done.reminded) result.reminded += 1;
        if (done.escalated) result.escalated += 1;
      } catch (error) {
        result.failed += 1;
        deps.onError?.(row.id, error);
      }
    }
    return result;
  });
}
