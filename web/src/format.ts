import type { TFunction } from 'i18next';
import type { CalendarLength } from '../../src/domain/calendar.js';
import { parsePlainDate } from '../../src/domain/calendar.js';

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
