import { calendarDateIn, Temporal } from '../calendar.js';
import type { MaintenanceState } from './state-machine.js';
import {
  type BusinessCalendar,
  type CommitmentStatus,
  commitmentStatus,
  workingDayTest,
} from './service-commitment.js';

/** Where an order's commitment stands; a cancelled order owes nothing any more. */
export const orderCommitmentStatuses = [
  'not_started',
  'on_track',
  'due_soon',
  'missed',
  'met',
  'cancelled',
] as const;
export type OrderCommitmentStatus = CommitmentStatus | 'cancelled';

/** "Due soon" means this many of the center's business days or fewer are left before the due day. */
export const DUE_SOON_BUSINESS_DAYS = 1;

/**
 * How many calendar days before `dueOn` the warning starts: back to the `businessDays`-th working day
 * before it. Due on a Monday at a Monday–Friday center, one business day before is Friday: three
 * calendar days, so the weekend does not hide the deadline.
 */
export function warnDaysBefore(
  dueOn: Temporal.PlainDate,
  calendar: BusinessCalendar,
  businessDays: number = DUE_SOON_BUSINESS_DAYS,
): number {
  const working = new Set(calendar.businessDays.filter((d) => d >= 1 && d <= 7));
  if (working.size === 0 || businessDays <= 0) return 0;
  const isWorking = workingDayTest(calendar);
  let day = dueOn;
  let counted = 0;
  // Bounded like serviceCommitmentDueOn: a calendar with a working weekday ends within weeks.
  for (let guard = 0; counted < businessDays && guard < 5000; guard++) {
    day = day.subtract({ days: 1 });
    if (isWorking(day)) counted++;
  }
  return day.until(dueOn, { largestUnit: 'days' }).days;
}

export type CommitmentFacts = {
  state: MaintenanceState;
  dueOn: string | null;
  returnedOn: string | null;
};

/**
 * An order's commitment on `today` (the center's calendar day): met when the product went back by the
 * due day, due soon within the last business day.
 */
export function orderCommitmentStatus(
  order: CommitmentFacts,
  today: Temporal.PlainDate,
  calendar: BusinessCalendar,
): OrderCommitmentStatus {
  if (order.state === 'cancelled') return 'cancelled';
  const dueOn = order.dueOn ? Temporal.PlainDate.from(order.dueOn) : null;
  return commitmentStatus({
    dueOn,
    today,
    completedOn: order.returnedOn ? Temporal.PlainDate.from(order.returnedOn) : null,
    warnDaysBefore: dueOn ? warnDaysBefore(dueOn, calendar) : 0,
  });
}

/** The states in which the center holds the product and works against the clock. */
export const statesUnderCommitment = [
  'received',
  'diagnosing',
  'repairing',
] as const satisfies readonly MaintenanceState[];

export type DeadlineCandidate = CommitmentFacts & {
  id: string;
  contactedOn: string | null;
  /** Whether the customer was already told the deadline is near (or passed). */
  reminded: boolean;
  escalated: boolean;
  /** The center's zone and working days: its calendar decides "today" and "due soon". */
  timeZone: string;
  calendar: BusinessCalendar;
};

export type DeadlineAction = {
  orderId: string;
  status: 'due_soon' | 'missed';
  /** Tell the customer, once. */
  remind: boolean;
  /** Tell support the commitment was missed, once. */
  escalate: boolean;
};

/**
 * What the deadline job does, decided without I/O: each order the center still holds, has not yet
 * contacted the customer about, and whose commitment is due soon or missed, gets a reminder to the
 * customer once; a missed one is escalated to support once. The policy asks the company to contact
 * the user within the committed period, so a recorded contact ends the reminders.
 */
export function deadlineActions(
  orders: readonly DeadlineCandidate[],
  now: Temporal.Instant,
): DeadlineAction[] {
  const actions: DeadlineAction[] = [];
  for (const order of orders) {
    if (!(statesUnderCommitment as readonly MaintenanceState[]).includes(order.state)) continue;
    if (order.contactedOn || order.returnedOn) continue;
    const status = orderCommitmentStatus(order, calendarDateIn(now, order.timeZone), order.calendar);
    if (status !== 'due_soon' && status !== 'missed') continue;
    const remind = !order.reminded;
    const escalate = status === 'missed' && !order.escalated;
    if (remind || escalate) actions.push({ orderId: order.id, status, remind, escalate });
  }
  return actions;
}
