import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';

export { Temporal };

/** A calendar length as the policy words it: "7 days", "60 days", "one year". */
export const calendarLengthSchema = z
  .object({
    years: z.number().int().min(0).max(100).optional(),
    months: z.number().int().min(0).max(1200).optional(),
    days: z.number().int().min(0).max(36500).optional(),
  })
  .strict()
  .refine((d) => (d.years ?? 0) + (d.months ?? 0) + (d.days ?? 0) > 0, 'a length must be positive');
export type CalendarLength = z.infer<typeof calendarLengthSchema>;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type DateParseError = { code: 'INVALID_DATE'; message: string };

/**
 * Parses a strict `YYYY-MM-DD` calendar date. Impossible dates (2026-02-30) are errors, never
 * silently moved to the next valid day as `Date` would.
 */
export function parsePlainDate(input: string): Temporal.PlainDate | DateParseError {
  const m = ISO_DATE.exec(input);
  if (!m) return { code: 'INVALID_DATE', message: `"${input}" is not a date of the form YYYY-MM-DD` };
  try {
    return Temporal.PlainDate.from(
      { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) },
      { overflow: 'reject' },
    );
  } catch {
    return { code: 'INVALID_DATE', message: `"${input}" is not a day of the calendar` };
  }
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar date an instant falls on in a time zone: a receipt scanned at 23:30 UTC is already
 * the next day in Shanghai, and the warranty counts Shanghai's days.
 */
export function calendarDateIn(instant: Temporal.Instant, timeZone: string): Temporal.PlainDate {
  return instant.toZonedDateTimeISO(timeZone).toPlainDate();
}

/**
 * End of a window that starts on `start` and lasts `length`, inclusive. One year from 29 February
 * ends on 28 February (Temporal constrains the overflowing day).
 */
export function lastDayOf(start: Temporal.PlainDate, length: CalendarLength): Temporal.PlainDate {
  return start.add(
    { years: length.years ?? 0, months: length.months ?? 0, days: length.days ?? 0 },
    { overflow: 'constrain' },
  );
}

export function daysBetween(from: Temporal.PlainDate, to: Temporal.PlainDate): number {
  return from.until(to, { largestUnit: 'days' }).days;
}

/**
 * Reads a day the way the API accepts it: a calendar date as is, or an RFC 3339 instant with an
 * offset, which becomes the calendar day it falls on in `timeZone` (the store's).
 */
export function parseCalendarInput(input: string, timeZone: string): Temporal.PlainDate | DateParseError {
  if (input.length <= 10) return parsePlainDate(input);
  try {
    return calendarDateIn(Temporal.Instant.from(input), timeZone);
  } catch {
    return {
      code: 'INVALID_DATE',
      message: `"${input}" is neither a date YYYY-MM-DD nor a date-time with an offset`,
    };
  }
}
