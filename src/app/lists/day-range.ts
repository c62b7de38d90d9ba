import { and, gte, lt, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { Temporal } from '../../domain/calendar.js';
import { AppError } from '../errors.js';

/*
 * A list's "from" and "to" days on a moment column (created, sent): calendar days in the store's time
 * zone, both inclusive, so "from 2 December" starts at midnight in Shanghai, not in UTC.
 */

const startOfDay = (day: string, timeZone: string) =>
  new Date(Temporal.PlainDate.from(day).toZonedDateTime({ timeZone }).epochMilliseconds);

export function dayRangeCondition(
  column: PgColumn,
  range: { from?: string | undefined; to?: string | undefined },
  timeZone: string,
): SQL | undefined {
  if (range.from && range.to && range.from > range.to) {
    throw new AppError('invalid', 'INVALID_DATE_RANGE', 'the first day comes after the last');
  }
  return and(
    range.from ? gte(column, startOfDay(range.from, timeZone)) : undefined,
    range.to
      ? lt(column, startOfDay(Temporal.PlainDate.from(range.to).add({ days: 1 }).toString(), timeZone))
      : undefined,
  );
}
