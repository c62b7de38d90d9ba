import { describe, expect, it } from 'vitest';
import { Temporal } from '../../src/domain/calendar.js';
import {
  DEFAULT_STORE_TIME_ZONE,
  formatDayOf,
  formatMoment,
  setStoreTimeZone,
  storeDayOf,
  storeTimeZone,
  storeToday,
} from './format.js';

/*
 * One calendar everywhere: the store's. Fixed instants either side of midnight in Shanghai, read as a
 * browser elsewhere would have read them with the Date methods the screens used before.
 */

const shanghai = 'Asia/Shanghai';
// 2 December 16:30 UTC: 00:30 on the 3rd in Shanghai, still the 2nd in Berlin and in Los Angeles.
const justAfterMidnight = '2026-12-02T16:30:00Z';
// 2 December 15:30 UTC: 23:30 on the 2nd in Shanghai.
const justBeforeMidnight = '2026-12-02T15:30:00Z';

describe('the store calendar (web/src/format.ts)', () => {
  it('gives today as the store’s day, whatever the reader’s zone', () => {
    expect(storeToday(Temporal.Instant.from(justAfterMidnight), shanghai)).toBe('2026-12-03');
    expect(storeToday(Temporal.Instant.from(justBeforeMidnight), shanghai)).toBe('2026-12-02');
    expect(storeToday(Temporal.Instant.from(justAfterMidnight), 'America/Los_Angeles')).toBe('2026-12-02');
  });

  it('shows a moment on the day it fell on in the store, in both languages', () => {
    expect(storeDayOf(justAfterMidnight, shanghai)).toBe('2026-12-03');
    expect(formatDayOf(justAfterMidnight, 'en', shanghai)).toBe('December 3, 2026');
    expect(formatDayOf(justAfterMidnight, 'zh-CN', shanghai)).toBe('2026年12月3日');
    expect(formatDayOf(justBeforeMidnight, 'en', shanghai)).toBe('December 2, 2026');
  });

  it('agrees with itself: the day of a moment and the day in its time are the same day', () => {
    for (const at of [
      justAfterMidnight,
      justBeforeMidnight,
      '2026-02-28T16:00:00Z',
      '2028-02-28T16:00:00Z',
    ]) {
      const day = Temporal.PlainDate.from(storeDayOf(at, shanghai));
      expect(formatMoment(at, 'en', shanghai)).toContain(
        new Intl.DateTimeFormat('en', { month: 'short', timeZone: 'UTC' }).format(
          Date.UTC(day.year, day.month - 1, day.day),
        ),
      );
      expect(formatMoment(at, 'en', shanghai)).toContain(`${day.day},`);
    }
    expect(formatMoment(justAfterMidnight, 'en', shanghai)).toMatch(/^Dec 3, 2026, 12:30\sAM$/);
  });

  it('shows an audit or history moment on the store’s clock, as the server says it counts, not the browser’s', () => {
    // What the audit history and the object history (work/labels.tsx Moment) show: no zone passed, the
    // one the app read from GET /api/v1/store/calendar at start.
    const before = storeTimeZone();
    try {
      setStoreTimeZone(shanghai);
      expect(formatMoment(justAfterMidnight, 'en')).toMatch(/^Dec 3, 2026, 12:30\sAM$/);
      expect(formatMoment(justAfterMidnight, 'zh-CN')).toBe('2026年12月3日 00:30');
      // A store on the other side of the world reads the same instant on its own day and hour.
      setStoreTimeZone('America/Los_Angeles');
      expect(formatMoment(justAfterMidnight, 'en')).toMatch(/^Dec 2, 2026, 8:30\sAM$/);
      expect(formatMoment(justAfterMidnight, 'zh-CN')).toBe('2026年12月2日 08:30');
    } finally {
      setStoreTimeZone(before);
    }
    expect(storeTimeZone()).toBe(DEFAULT_STORE_TIME_ZONE);
  });
});
