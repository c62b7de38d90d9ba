import { describe, expect, it } from 'vitest';
import { isValidTimeZone, parseCalendarInput, Temporal } from './calendar.js';

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
