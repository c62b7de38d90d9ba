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

// Building an Intl formatter costs more than a whole decision; the valid zones are a finite set (about
// 600), so they are remembered. Invalid names are not, so junk input cannot grow this.
const knownTimeZones = new Set<string>();

export function isValidTimeZone(timeZone: string): boolean {
  if (knownTimeZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    return false;
  }
  knownTimeZones.add(timeZone);
  return true;
}

/**
 * The calendar date an instant falls on in a time zone: a receipt scanned at 23:30 UTC is already
 * the next day in Shanghai, and the warranty counts Shanghai's days.
 */
export function calendarDateIn(instant: Temporal.Instant, timeZone: string): Temporal.PlainDate {
  // Every request asks for today in one or two zones, and the polyfill's zone arithmetic was a few
  // per cent of a request's CPU (bench/results/latest.md): the last day found in each zone is kept
  // with the instants it spans, and an instant inside them gets it back without the arithmetic.
  const ns = instant.epochNanoseconds;
  const known = lastDayIn.get(timeZone);
  if (known && ns >= known.from && ns < known.until) return known.date;
  const zoned = instant.toZonedDateTimeISO(timeZone);
  const date = zoned.toPlainDate();
  lastDayIn.set(timeZone, {
    date,
    from: zoned.startOfDay().epochNanoseconds,
    until: zoned.add({ days: 1 }).startOfDay().epochNanoseconds,
  });
  return date;
}

const lastDayIn = new Map<string, { date: Temporal.PlainDate; from: bigint; until: bigint }>();

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

/*
 * Integer day arithmetic for the hot path of decisions. Temporal is the reference; these agree with it
 * on every day (property-tested) and are some twenty times faster, which matters when a queue or an
 * import decides millions of claims.
 */

/** Days from 1970-01-01 to a day of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
export function epochDayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function epochDay(date: Temporal.PlainDate): number {
  return epochDayOf(date.year, date.month, date.day);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `lastDayOf` as an epoch day: years and months first, the day constrained to the month's length
 * (29 February + 1 year → 28 February), then days, exactly as Temporal adds a duration.
 */
export function lastEpochDayOf(year: number, month: number, day: number, length: CalendarLength): number {
  const months = month - 1 + (length.years ?? 0) * 12 + (length.months ?? 0);
  const y = year + Math.floor(months / 12);
  const m = (months % 12) + 1;
  return epochDayOf(y, m, Math.min(day, daysInMonth(y, m))) + (length.days ?? 0);
}

/** The calendar date of an epoch day, as YYYY-MM-DD (H. Hinnant's civil_from_days). */
export function isoDateOfEpochDay(epoch: number): string {
  const z = epoch + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
