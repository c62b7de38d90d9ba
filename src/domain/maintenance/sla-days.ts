import type { Temporal } from '../calendar.js';
import { orderCommitmentStatus } from './deadlines.js';
import type { BusinessCalendar } from './service-commitment.js';

/** No calendar warns more than this many days ahead (a long holiday before a due day). */
export const DUE_SOON_HORIZON_DAYS = 45;

/**
 * The due days on which an order still held by the center is "due soon" on `today` at a center with
 * this calendar, by the same rule as its commitment status: so a list can filter by SLA state in
 * the query (`due_on in (…)`) and agree with the status each row shows.
 */
export function dueSoonDays(today: Temporal.PlainDate, calendar: BusinessCalendar): string[] {
  const days: string[] = [];
  for (let i = 0; i <= DUE_SOON_HORIZON_DAYS; i++) {
    const dueOn = today.add({ days: i }).toString();
    const status = orderCommitmentStatus({ state: 'received', dueOn, returnedOn: null }, today, calendar);
    if (status === 'due_soon') days.push(dueOn);
  }
  return days;
}
