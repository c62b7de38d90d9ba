import type { TFunction } from 'i18next';
import type { CalendarLength } from '../../src/domain/calendar.js';
import { calendarDateIn, parsePlainDate, Temporal } from '../../src/domain/calendar.js';

/*
 * One calendar everywhere: every date a screen shows or defaults is a day in the store's time zone
 * (the server's STORE_TIME_ZONE, read once at start from /api/v1/store/calendar), never the browser's.
 * A reader in Berlin at 23:30 on 2 December sees 3 December when it is already the 3rd in Shanghai, on
 * every page alike. Nothing else in web/src reads the clock or formats a moment by itself.
 */

/** The default of STORE_TIME_ZONE: used only until (or if) the server has said which zone it counts. */
export const DEFAULT_STORE_TIME_ZONE = 'Asia/Shanghai';
let storeZone = DEFAULT_STORE_TIME_ZONE;

/** Set once at start from the server's answer. */
export function setStoreTimeZone(timeZone: string): void {
  storeZone = timeZone;
}

export function storeTimeZone(): string {
  return storeZone;
}

/** Today in the store's calendar, as a date input wants it (YYYY-MM-DD). */
export function storeToday(now: Temporal.Instant = Temporal.Now.instant(), timeZone = storeZone): string {
  return calendarDateIn(now, timeZone).toString();
}

/** The store's calendar day (YYYY-MM-DD) a moment (an ISO instant from the API) falls on. */
export function storeDayOf(at: string, timeZone = storeZone): string {
  return calendarDateIn(Temporal.Instant.from(at), timeZone).toString();
}

/** A moment's day in the store's calendar, in the reader's long form. */
export function formatDayOf(at: string, locale: string, timeZone = storeZone): string {
  return formatDate(storeDayOf(at, timeZone), locale);
}

/** A moment with its time, on the store's clock ("3 Dec 2026, 00:30"). */
export function formatMoment(at: string, locale: string, timeZone = storeZone): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(Temporal.Instant.from(at).epochMilliseconds),
  );
}

/** 30 basis points → "0.3 %" (English) or "0.3%" (Chinese), in the reader's digits. */
export function formatBasisPoints(bps: number, t: TFunction, locale: string): string {
  const value = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(bps / 100);
  return t('format.percent', { value });
}

/** A spare rate range such as { min: 30, max: 50 } → "0.3 %–0.5 %"; a single rate when they are equal. */
export function formatBasisPointRange(
  range: { min: number; max: number },
  t: TFunction,
  locale: string,
): string {
  const min = formatBasisPoints(range.min, t, locale);
  if (range.min === range.max) return min;
  return t('format.range', { min, max: formatBasisPoints(range.max, t, locale) });
}

/** { years: 1 } → "1 year"; { months: 1, days: 15 } → "1 month, 15 days". */
export function formatLength(length: CalendarLength, t: TFunction): string {
  const parts: string[] = [];
  if (length.years) parts.push(t('length.years', { count: length.years }));
  if (length.months) parts.push(t('length.months', { count: length.months }));
  if (length.days) parts.push(t('length.days', { count: length.days }));
  return parts.join(t('format.list'));
}

/** A calendar date YYYY-MM-DD in the reader's long form ("January 1, 2018", "2018年1月1日"). */
export function formatDate(isoDate: string, locale: string): string {
  const date = parsePlainDate(isoDate);
  if ('code' in date) return isoDate;
  // Through Intl on the day's UTC midnight, in UTC: a browser's native Temporal may ignore `dateStyle`
  // for some locales (Chromium gave "2026/11/30" for zh-CN), and the day must not shift by time zone.
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    Date.UTC(date.year, date.month - 1, date.day),
  );
}
