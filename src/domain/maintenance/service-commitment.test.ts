import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import {
  type BusinessCalendar,
  commitmentStatus,
  serviceCommitmentDueOn,
  workingDayTest,
} from './service-commitment.js';

const d = (s: string) => Temporal.PlainDate.from(s);
const weekdays: BusinessCalendar = { businessDays: [1, 2, 3, 4, 5], closedOn: [] };
const due = (received: string, days: number, calendar = weekdays) => {
  const r = serviceCommitmentDueOn(d(received), days, calendar);
  if ('code' in r) throw new Error(r.message);
  return r.toString();
};

describe('service commitment', () => {
  it('counts business days after the day of receipt', () => {
    // Wednesday 25 November 2026 + 5 business days → Wednesday 2 December.
    expect(due('2026-11-25', 5)).toBe('2026-12-02');
    // Received on a Saturday: counting starts on Monday.
    expect(due('2026-11-28', 1)).toBe('2026-11-30');
    expect(due('2026-11-27', 1)).toBe('2026-11-30');
  });

  it('skips the center’s closed days', () => {
    const nationalDay = {
      businessDays: [1, 2, 3, 4, 5],
      closedOn: ['2026-10-01', '2026-10-02', '2026-10-05'],
    };
    expect(due('2026-09-30', 2, nationalDay)).toBe('2026-10-07');
  });

  it('works the make-up days of a Chinese holiday arrangement, and not the holidays', () => {
    // National Day 2026: closed 1–7 October, worked on Sunday 20 September and Saturday 10 October.
    const goldenWeek: BusinessCalendar = {
      businessDays: [1, 2, 3, 4, 5],
      closedOn: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
      openOn: ['2026-09-20', '2026-10-10'],
    };
    expect(due('2026-09-30', 2, goldenWeek)).toBe('2026-10-09');
    expect(due('2026-10-09', 1, goldenWeek)).toBe('2026-10-10');
    expect(due('2026-09-19', 1, goldenWeek)).toBe('2026-09-20');
    // A day that is somehow both is not worked: a closure is the safer reading of a mistake.
    expect(workingDayTest({ ...goldenWeek, openOn: ['2026-10-01'] })(d('2026-10-01'))).toBe(false);
  });

  it('works seven days a week when the center does', () => {
    expect(due('2026-11-25', 7, { businessDays: [1, 2, 3, 4, 5, 6, 7], closedOn: [] })).toBe('2026-12-02');
  });

  it('refuses a calendar without working days', () => {
    expect(serviceCommitmentDueOn(d('2026-11-25'), 5, { businessDays: [], closedOn: [] })).toMatchObject({
      code: 'NO_BUSINESS_DAYS',
    });
  });

  it('lands on a working day, later than receipt, and later for more committed days (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3650 }),
        fc.integer({ min: 1, max: 30 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        (offset, days, businessDays) => {
          const received = d('2024-01-01').add({ days: offset });
          const cal = { businessDays, closedOn: [] };
          const a = serviceCommitmentDueOn(received, days, cal);
          const b = serviceCommitmentDueOn(received, days + 1, cal);
          if ('code' in a || 'code' in b) throw new Error('calendar has working days');
          expect(businessDays).toContain(a.dayOfWeek);
          expect(Temporal.PlainDate.compare(a, received)).toBe(1);
          expect(Temporal.PlainDate.compare(b, a)).toBe(1);
          // Never more than a week per committed day.
          expect(received.until(a).days).toBeLessThanOrEqual(days * 7);
        },
      ),
    );
  });

  it('counts exactly the committed working days, and moves with closures and make-up days (property)', () => {
    const isoDay = fc.integer({ min: 0, max: 120 }).map((n) => d('2026-09-01').add({ days: n }).toString());
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 1, max: 20 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        fc.uniqueArray(isoDay, { maxLength: 20 }),
        fc.uniqueArray(isoDay, { maxLength: 10 }),
        isoDay,
        (offset, days, businessDays, closedOn, openOn, extra) => {
          const received = d('2026-09-01').add({ days: offset });
          const cal: BusinessCalendar = { businessDays, closedOn, openOn };
          const dueOn = serviceCommitmentDueOn(received, days, cal);
          if ('code' in dueOn) throw new Error('calendar has working days');
          const isWorking = workingDayTest(cal);
          expect(isWorking(dueOn)).toBe(true);
          let worked = 0;
          for (let day = received.add({ days: 1 }); Temporal.PlainDate.compare(day, dueOn) <= 0;) {
            if (isWorking(day)) worked++;
            day = day.add({ days: 1 });
          }
          expect(worked).toBe(days);

          // One more closed day can only push the due day later, one more make-up day only earlier.
          const closedMore = serviceCommitmentDueOn(received, days, {
            ...cal,
            closedOn: [...closedOn, extra],
          });
          const openMore = serviceCommitmentDueOn(received, days, { ...cal, openOn: [...openOn, extra] });
          if ('code' in closedMore || 'code' in openMore) throw new Error('calendar has working days');
          expect(Temporal.PlainDate.compare(closedMore, dueOn)).toBeGreaterThanOrEqual(0);
          expect(Temporal.PlainDate.compare(openMore, dueOn)).toBeLessThanOrEqual(0);
        },
      ),
    );
  });

  it('tells where a commitment stands', () => {
    const dueOn = d('2026-12-02');
    const at = (today: string, completedOn: string | null = null) =>
      commitmentStatus({
        dueOn,
        today: d(today),
        completedOn: completedOn ? d(completedOn) : null,
        warnDaysBefore: 1,
      });
    expect(
      commitmentStatus({ dueOn: null, today: d('2026-11-25'), completedOn: null, warnDaysBefore: 1 }),
    ).toBe('not_started');
    expect(at('2026-11-25')).toBe('on_track');
    expect(at('2026-12-01')).toBe('due_soon');
    expect(at('2026-12-02')).toBe('due_soon');
    expect(at('2026-12-03')).toBe('missed');
    expect(at('2026-12-09', '2026-12-02')).toBe('met');
    expect(at('2026-12-09', '2026-12-03')).toBe('missed');
  });
});
