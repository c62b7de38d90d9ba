import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calendarDateIn,
  epochDay,
  isoDateOfEpochDay,
  isValidTimeZone,
  lastDayOf,
  lastEpochDayOf,
  parseCalendarInput,
  Temporal,
} from './calendar.js';

describe('calendar input', () => {
  it('takes a calendar date as it is, whatever the time zone', () => {
    expect(parseCalendarInput('2026-01-09', 'America/Los_Angeles')).toEqual(
      Temporal.PlainDate.from('2026-01-09'),
    );
  });

  it('turns an instant into the day it falls on in the store’s time zone', () => {
    // 23:30 UTC on 9 January is already 10 January in Shanghai.
    const day = (input: string, timeZone: string) => {
      const parsed = parseCalendarInput(input, timeZone);
      if ('code' in parsed) throw new Error(parsed.message);
      return parsed.toString();
    };
    expect(day('2026-01-09T23:30:00Z', 'Asia/Shanghai')).toBe('2026-01-10');
    expect(day('2026-01-09T23:30:00Z', 'Europe/London')).toBe('2026-01-09');
    expect(day('2026-01-10T01:00:00+08:00', 'UTC')).toBe('2026-01-09');
  });

  it('refuses instants without an offset and impossible days', () => {
    expect(parseCalendarInput('2026-01-09T23:30:00', 'UTC')).toMatchObject({ code: 'INVALID_DATE' });
    expect(parseCalendarInput('2026-02-30', 'UTC')).toMatchObject({ code: 'INVALID_DATE' });
    expect(parseCalendarInput('yesterday', 'UTC')).toMatchObject({ code: 'INVALID_DATE' });
  });

  it('knows IANA time zones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('integer day arithmetic agrees with Temporal', () => {
  const day = fc
    .integer({ min: -719_162, max: 2_900_000 }) // 0001-01-01 to 9909: the policy's YYYY-MM-DD years
    .map((n) => Temporal.PlainDate.from('1970-01-01').add({ days: n }));
  const length = fc.record(
    {
      years: fc.integer({ min: 0, max: 5 }),
      months: fc.integer({ min: 0, max: 30 }),
      days: fc.integer({ min: 0, max: 400 }),
    },
    { requiredKeys: [] },
  );

  it('epoch days and back', () => {
    fc.assert(
      fc.property(day, (d) => {
        const e = epochDay(d);
        expect(e).toBe(Temporal.PlainDate.from('1970-01-01').until(d, { largestUnit: 'days' }).days);
        expect(isoDateOfEpochDay(e)).toBe(d.toString());
      }),
    );
  });

  it('the last day of a window, 29 February included', () => {
    fc.assert(
      fc.property(day, length, (d, len) => {
        expect(isoDateOfEpochDay(lastEpochDayOf(d.year, d.month, d.day, len))).toBe(
          lastDayOf(d, len).toString(),
        );
      }),
    );
    expect(isoDateOfEpochDay(lastEpochDayOf(2024, 2, 29, { years: 1 }))).toBe('2025-02-28');
    expect(isoDateOfEpochDay(lastEpochDayOf(2024, 2, 29, { years: 4 }))).toBe('2028-02-29');
    expect(isoDateOfEpochDay(lastEpochDayOf(2026, 1, 31, { months: 1 }))).toBe('2026-02-28');
  });
});

describe('the day an instant falls on', () => {
  it('is the zone’s own day, however the questions come, across midnights and DST changes', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Pacific/Apia', 'UTC'];
    // Instants clustered around midnights and DST changes, asked in any order, so the remembered day
    // is hit, missed and replaced.
    const base = Temporal.Instant.from('2026-03-08T00:00:00Z').epochMilliseconds;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            zone: fc.constantFrom(...zones),
            ms: fc.oneof(
              fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }),
              fc.integer({ min: -400 * 86_400_000, max: 400 * 86_400_000 }),
            ),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (asks) => {
          for (const { zone, ms } of asks) {
            const instant = Temporal.Instant.fromEpochMilliseconds(base + ms);
            expect(calendarDateIn(instant, zone).toString()).toBe(
              instant.toZonedDateTimeISO(zone).toPlainDate().toString(),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
