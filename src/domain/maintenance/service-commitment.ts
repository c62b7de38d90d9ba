import { Temporal } from '../calendar.js';

/**
 * A service center's working calendar: ISO weekdays it works (1 = Monday), and the exceptions of its
 * country's holiday arrangement, which in China moves whole weekends: a Golden Week is paid for by
 * working the Sundays or Saturdays around it (调休).
 */
export type BusinessCalendar = {
  businessDays: readonly number[];
  /** YYYY-MM-DD days the center is closed although they are business days (public holidays). */
  closedOn: readonly string[];
  /** YYYY-MM-DD days the center works although they are not business days (make-up working days). */
  openOn?: readonly string[];
};

/** Whether the center works on a day; a day listed as both closed and open counts as closed. */
export type WorkingDayTest = (day: Temporal.PlainDate) => boolean;

export function workingDayTest(calendar: BusinessCalendar): WorkingDayTest {
  const working = new Set(calendar.businessDays.filter((d) => d >= 1 && d <= 7));
  const closed = new Set(calendar.closedOn);
  const open = new Set(calendar.openOn ?? []);
  return (day) => {
    const iso = day.toString();
    if (closed.has(iso)) return false;
    return working.has(day.dayOfWeek) || open.has(iso);
  };
}

export type CommitmentError = { code: 'NO_BUSINESS_DAYS'; message: string };

/**
 * The day by which the center must have contacted the customer and returned the repair: the clock
 * starts on the day the center receives the product (day 0), and the committed number of business
 * days are counted after it in the center's calendar. A center that receives on a Saturday starts
 * counting on Monday.
 */
export function serviceCommitmentDueOn(
  receivedOn: Temporal.PlainDate,
  committedDays: number,
  calendar: BusinessCalendar,
): Temporal.PlainDate | CommitmentError {
  const working = new Set(calendar.businessDays.filter((d) => d >= 1 && d <= 7));
  if (working.size === 0) {
    return { code: 'NO_BUSINESS_DAYS', message: 'a service center must work at least one day a week' };
  }
  const isWorking = workingDayTest(calendar);
  let day = receivedOn;
  let counted = 0;
  // Bounded: even one working day a week and a year of holidays ends within a few years.
  for (let guard = 0; counted < committedDays && guard < 5000; guard++) {
    day = day.add({ days: 1 });
    if (isWorking(day)) counted++;
  }
  return day;
}

export type CommitmentStatus = 'not_started' | 'on_track' | 'due_soon' | 'missed' | 'met';

/**
 * Where a commitment stands on a day in the center's time zone. "Due soon" gives the center, and
 * support, time to act before the day passes.
 */
export function commitmentStatus(args: {
  dueOn: Temporal.PlainDate | null;
  today: Temporal.PlainDate;
  completedOn: Temporal.PlainDate | null;
  warnDaysBefore: number;
}): CommitmentStatus {
  const { dueOn, today, completedOn, warnDaysBefore } = args;
  if (!dueOn) return 'not_started';
  if (completedOn) return Temporal.PlainDate.compare(completedOn, dueOn) <= 0 ? 'met' : 'missed';
  if (Temporal.PlainDate.compare(today, dueOn) > 0) return 'missed';
  const daysLeft = today.until(dueOn, { largestUnit: 'days' }).days;
  return daysLeft <= warnDaysBefore ? 'due_soon' : 'on_track';
}
