import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import { type BusinessCalendar, workingDayTest } from '../maintenance/service-commitment.js';
import { maintenanceStates } from '../maintenance/state-machine.js';
import {
  type AgeBucket,
  ageBuckets,
  type CenterWeek,
  nearestRank,
  type OrderFacts,
  type ServiceLevelInput,
  serviceLevels,
} from './service-levels.js';

const D = (s: string) => Temporal.PlainDate.from(s);
const START = D('2025-12-01');

/**
 * The dashboard recomputed the slow and obvious way: Temporal dates, the commitment's own working-day
 * test, every (center, week) of the period by filtering all the orders again.
 */
function naive(input: ServiceLevelInput) {
  const from = D(input.from);
  const to = D(input.to);
  const asOf = D(input.asOf);
  const cmp = (x: Temporal.PlainDate, y: Temporal.PlainDate) => Temporal.PlainDate.compare(x, y);
  const within = (s: string | null, a: Temporal.PlainDate, b: Temporal.PlainDate) =>
    s !== null && cmp(D(s), a) >= 0 && cmp(D(s), b) <= 0;
  const businessDays = (a: string, b: Temporal.PlainDate, cal: BusinessCalendar) => {
    const test = workingDayTest(cal);
    let n = 0;
    for (let d = D(a).add({ days: 1 }); cmp(d, b) <= 0; d = d.add({ days: 1 })) if (test(d)) n++;
    return n;
  };
  const weeks: CenterWeek[] = [];
  const centers = [...new Set(input.orders.map((o) => o.centerId))].sort();
  for (
    let monday = from.subtract({ days: from.dayOfWeek - 1 });
    cmp(monday, to) <= 0;
    monday = monday.add({ days: 7 })
  ) {
    const a = cmp(monday, from) < 0 ? from : monday;
    const sunday = monday.add({ days: 6 });
    const b = cmp(sunday, to) > 0 ? to : sunday;
    for (const centerId of centers) {
      const cal = input.calendars.get(centerId) ?? { businessDays: [1, 2, 3, 4, 5], closedOn: [] };
      const mine = input.orders.filter((o) => o.centerId === centerId);
      const received = mine.filter((o) => within(o.receivedOn, a, b));
      const returned = mine.filter((o) => within(o.returnedOn, a, b));
      const dueHere = mine.filter((o) => within(o.dueOn, a, b) && o.state !== 'cancelled');
      const misses = dueHere.filter((o) =>
        o.returnedOn === null ? cmp(D(o.dueOn ?? ''), asOf) < 0 : cmp(D(o.returnedOn), D(o.dueOn ?? '')) > 0,
      ).length;
      if (received.length + returned.length + misses === 0) continue;
      const turnarounds = returned.map((o) =>
        o.receivedOn === null ? 0 : businessDays(o.receivedOn, D(o.returnedOn ?? ''), cal),
      );
      const withinCommitment = returned.filter(
        (o) => o.dueOn !== null && cmp(D(o.returnedOn ?? ''), D(o.dueOn)) <= 0,
      ).length;
      const contacts = received
        .filter((o) => o.contactedOn !== null)
        .map((o) => businessDays(o.receivedOn ?? '', D(o.contactedOn ?? ''), cal));
      weeks.push({
        centerId,
        weekOf: monday.toString(),
        received: received.length,
        returned: returned.length,
        medianTurnaroundDays: nearestRank(turnarounds, 0.5),
        p90TurnaroundDays: nearestRank(turnarounds, 0.9),
        returnedWithinCommitment: withinCommitment,
        shareWithinCommitment: returned.length === 0 ? null : withinCommitment / returned.length,
        medianFirstContactDays: nearestRank(contacts, 0.5),
        contacted: contacts.length,
        misses,
      });
    }
  }
  const openByAge = centers.flatMap((centerId) => {
    const cal = input.calendars.get(centerId) ?? { businessDays: [1, 2, 3, 4, 5], closedOn: [] };
    const open = input.orders.filter(
      (o) =>
        o.centerId === centerId &&
        o.receivedOn !== null &&
        cmp(D(o.receivedOn), asOf) <= 0 &&
        (o.returnedOn === null || cmp(D(o.returnedOn), asOf) > 0) &&
        o.state !== 'cancelled',
    );
    if (open.length === 0) return [];
    const counts = Object.fromEntries(ageBuckets.map((k) => [k, 0])) as Record<AgeBucket, number>;
    for (const o of open) {
      const age = businessDays(o.receivedOn ?? '', asOf, cal);
      counts[age <= 2 ? '0-2' : age <= 5 ? '3-5' : age <= 10 ? '6-10' : '11+']++;
    }
    return [{ centerId, total: open.length, ...counts }];
  });
  return { weeks, openByAge };
}

const day = (offset: number) => START.add({ days: offset }).toString();
const calendarArb: fc.Arbitrary<BusinessCalendar> = fc.record({
  businessDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
  closedOn: fc.uniqueArray(fc.integer({ min: 0, max: 90 }).map(day), { maxLength: 6 }),
  openOn: fc.constant([]),
});
const orderArb: fc.Arbitrary<OrderFacts> = fc
  .record({
    centerId: fc.constantFrom('c1', 'c2', 'c3'),
    state: fc.constantFrom(...maintenanceStates),
    received: fc.option(fc.integer({ min: 0, max: 80 }), { nil: null }),
    dueAfter: fc.integer({ min: 0, max: 12 }),
    contactAfter: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
    returnAfter: fc.option(fc.integer({ min: 0, max: 25 }), { nil: null }),
  })
  .map((o) => ({
    centerId: o.centerId,
    state: o.state,
    receivedOn: o.received === null ? null : day(o.received),
    dueOn: o.received === null ? null : day(o.received + o.dueAfter),
    contactedOn: o.received === null || o.contactAfter === null ? null : day(o.received + o.contactAfter),
    returnedOn: o.received === null || o.returnAfter === null ? null : day(o.received + o.returnAfter),
  }));

describe('serviceLevels', () => {
  it('equals a naive recomputation over the rows, for any orders, calendars and period', () => {
    fc.assert(
      fc.property(
        fc.array(orderArb, { maxLength: 60 }),
        fc.tuple(calendarArb, calendarArb),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: -10, max: 40 }),
        (orders, [cal1, cal2], fromOffset, length, asOfAfterTo) => {
          const input: ServiceLevelInput = {
            from: day(fromOffset),
            to: day(fromOffset + length),
            asOf: day(fromOffset + length + Math.min(0, asOfAfterTo)),
            orders,
            calendars: new Map([
              ['c1', cal1],
              ['c2', cal2],
            ]),
          };
          expect(serviceLevels(input)).toEqual(naive(input));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts turnaround in business days from receipt, as the commitment does', () => {
    // Received Friday 4 December 2026, returned Tuesday 8th: Monday and Tuesday are two business days.
    const result = serviceLevels({
      from: '2026-11-30',
      to: '2026-12-13',
      asOf: '2026-12-13',
      orders: [
        {
          centerId: 'c1',
          state: 'returned',
          receivedOn: '2026-12-04',
          dueOn: '2026-12-07',
          contactedOn: '2026-12-07',
          returnedOn: '2026-12-08',
        },
      ],
      calendars: new Map([['c1', { businessDays: [1, 2, 3, 4, 5], closedOn: [] }]]),
    });
    expect(result.weeks).toEqual([
      expect.objectContaining({ weekOf: '2026-11-30', received: 1, returned: 0, medianFirstContactDays: 1 }),
      expect.objectContaining({
        weekOf: '2026-12-07',
        returned: 1,
        medianTurnaroundDays: 2,
        shareWithinCommitment: 0,
        misses: 1,
      }),
    ]);
    expect(result.openByAge).toEqual([]);
  });

  it('takes the nearest rank: the median of 1, 2, 3, 4 is 2, the 90th percentile of ten values the ninth', () => {
    expect(nearestRank([4, 1, 3, 2], 0.5)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(nearestRank([], 0.5)).toBeNull();
  });
});
