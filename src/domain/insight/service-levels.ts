import { epochDayOf, isoDateOfEpochDay } from '../calendar.js';
import type { BusinessCalendar } from '../maintenance/service-commitment.js';
import type { MaintenanceState } from '../maintenance/state-machine.js';

/*
 * The service-level dashboard's arithmetic (issue 19 item 1), pure: the caller reads the maintenance
 * orders of the period and their centers' calendars, and hands over the last day of the period the
 * store has lived (`asOf`: today, or the period's end when that is earlier).
 *
 * Every day is a calendar day in the center's time zone, as the orders keep them (received_on,
 * returned_on, due_on, contacted_on). Weeks are ISO weeks (Monday first); a week belongs to the
 * period when any of its days does, and only the period's days count in it.
 *
 * - received: orders whose parts arrived that week; returned: orders that went back that week.
 * - turnaround: business days of the center from the day of receipt (day 0) to the day of return, the
 *   way the commitment counts them (domain/maintenance/service-commitment.ts): median and 90th
 *   percentile by nearest rank, over the orders returned that week.
 * - withinCommitment: of those returned that week, how many went back on or before their due day.
 * - first contact: business days from receipt to the day the center contacted the customer, median
 *   over the orders received that week that were contacted.
 * - misses: orders whose due day falls in that week and that went back after it, or had not gone back
 *   by `asOf` although the day had passed (a cancelled order owes nothing).
 * - open by age (per center, on `asOf`): orders received by then and not yet returned, not cancelled,
 *   by business days since receipt.
 */

export type OrderFacts = {
  centerId: string;
  state: MaintenanceState;
  receivedOn: string | null;
  dueOn: string | null;
  contactedOn: string | null;
  returnedOn: string | null;
};

export type CenterWeek = {
  centerId: string;
  /** The Monday of the ISO week. */
  weekOf: string;
  received: number;
  returned: number;
  medianTurnaroundDays: number | null;
  p90TurnaroundDays: number | null;
  returnedWithinCommitment: number;
  /** returnedWithinCommitment ÷ returned; null when nothing went back that week. */
  shareWithinCommitment: number | null;
  medianFirstContactDays: number | null;
  contacted: number;
  misses: number;
};

export const ageBuckets = ['0-2', '3-5', '6-10', '11+'] as const;
export type AgeBucket = (typeof ageBuckets)[number];
export type OpenByAge = { centerId: string; total: number } & Record<AgeBucket, number>;

export type ServiceLevelInput = {
  from: string;
  to: string;
  asOf: string;
  orders: readonly OrderFacts[];
  calendars: ReadonlyMap<string, BusinessCalendar>;
};

export type ServiceLevels = { weeks: CenterWeek[]; openByAge: OpenByAge[] };

const parse = (iso: string): number =>
  epochDayOf(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));

/** ISO weekday (1 = Monday) of an epoch day: 1970-01-01 was a Thursday. */
const isoWeekday = (epoch: number): number => ((((epoch + 3) % 7) + 7) % 7) + 1;
const mondayOf = (epoch: number): number => epoch - isoWeekday(epoch) + 1;

/** A center's working days as a test on epoch days (the rule of workingDayTest, without Temporal). */
function workingEpochDay(calendar: BusinessCalendar): (epoch: number) => boolean {
  const working = new Set(calendar.businessDays.filter((d) => d >= 1 && d <= 7));
  const closed = new Set(calendar.closedOn.map(parse));
  const open = new Set((calendar.openOn ?? []).map(parse));
  return (epoch) => !closed.has(epoch) && (working.has(isoWeekday(epoch)) || open.has(epoch));
}

/** The working days after `from` up to and including `to` (0 when `to` is not after `from`). */
function businessDaysBetween(from: number, to: number, isWorking: (epoch: number) => boolean): number {
  let n = 0;
  for (let d = from + 1; d <= to; d++) if (isWorking(d)) n++;
  return n;
}

/** The nearest-rank percentile (p in (0, 1]) of the values; null when there are none. */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

type Acc = {
  received: number;
  turnarounds: number[];
  within: number;
  contacts: number[];
  misses: number;
};

const NO_CALENDAR: BusinessCalendar = { businessDays: [1, 2, 3, 4, 5], closedOn: [] };

/** One pass over the orders: what the dashboard shows. */
export function serviceLevels(input: ServiceLevelInput): ServiceLevels {
  const from = parse(input.from);
  const to = parse(input.to);
  const asOf = parse(input.asOf);
  const tests = new Map<string, (epoch: number) => boolean>();
  const testOf = (centerId: string) => {
    let test = tests.get(centerId);
    if (!test) {
      test = workingEpochDay(input.calendars.get(centerId) ?? NO_CALENDAR);
      tests.set(centerId, test);
    }
    return test;
  };
  const weeks = new Map<string, Acc>();
  const accOf = (centerId: string, day: number): Acc => {
    const key = `${centerId} ${mondayOf(day)}`;
    let acc = weeks.get(key);
    if (!acc) {
      acc = { received: 0, turnarounds: [], within: 0, contacts: [], misses: 0 };
      weeks.set(key, acc);
    }
    return acc;
  };
  const open = new Map<string, OpenByAge>();
  const inPeriod = (day: number | null): day is number => day !== null && day >= from && day <= to;

  for (const o of input.orders) {
    const isWorking = testOf(o.centerId);
    const received = o.receivedOn === null ? null : parse(o.receivedOn);
    const returned = o.returnedOn === null ? null : parse(o.returnedOn);
    const due = o.dueOn === null ? null : parse(o.dueOn);
    const contacted = o.contactedOn === null ? null : parse(o.contactedOn);
    if (inPeriod(received)) {
      const acc = accOf(o.centerId, received);
      acc.received++;
      if (contacted !== null) acc.contacts.push(businessDaysBetween(received, contacted, isWorking));
    }
    if (inPeriod(returned)) {
      const acc = accOf(o.centerId, returned);
      acc.turnarounds.push(received === null ? 0 : businessDaysBetween(received, returned, isWorking));
      if (due !== null && returned <= due) acc.within++;
    }
    if (inPeriod(due) && o.state !== 'cancelled') {
      const late = returned === null ? due < asOf : returned > due;
      if (late) accOf(o.centerId, due).misses++;
    }
    if (
      received !== null &&
      received <= asOf &&
      (returned === null || returned > asOf) &&
      o.state !== 'cancelled'
    ) {
      let row = open.get(o.centerId);
      if (!row) {
        row = { centerId: o.centerId, total: 0, '0-2': 0, '3-5': 0, '6-10': 0, '11+': 0 };
        open.set(o.centerId, row);
      }
      row.total++;
      row[bucketOf(businessDaysBetween(received, asOf, isWorking))]++;
    }
  }

  const rows: CenterWeek[] = [];
  for (const [key, acc] of weeks) {
    const [centerId = '', monday = '0'] = key.split(' ');
    const returned = acc.turnarounds.length;
    rows.push({
      centerId,
      weekOf: isoDateOfEpochDay(Number(monday)),
      received: acc.received,
      returned,
      medianTurnaroundDays: nearestRank(acc.turnarounds, 0.5),
      p90TurnaroundDays: nearestRank(acc.turnarounds, 0.9),
      returnedWithinCommitment: acc.within,
      shareWithinCommitment: returned === 0 ? null : acc.within / returned,
      medianFirstContactDays: nearestRank(acc.contacts, 0.5),
      contacted: acc.contacts.length,
      misses: acc.misses,
    });
  }
  rows.sort((a, b) => (a.weekOf === b.weekOf ? cmp(a.centerId, b.centerId) : cmp(a.weekOf, b.weekOf)));
  const openByAge = [...open.values()].sort((a, b) => cmp(a.centerId, b.centerId));
  return { weeks: rows, openByAge };
}

export function bucketOf(days: number): AgeBucket {
  if (days <= 2) return '0-2';
  if (days <= 5) return '3-5';
  if (days <= 10) return '6-10';
  return '11+';
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
