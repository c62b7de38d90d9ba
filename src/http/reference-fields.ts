import { z } from 'zod';
import { isValidTimeZone } from '../domain/calendar.js';
import { isCountryCode } from '../domain/reference-data.js';

/* Pure zod: the web app imports this module too. Fields shared by the reference-data forms. */

/** A name or other line of text a person types: trimmed, never blank. */
export const textField = (max: number) => z.string().trim().min(1).max(max);

export const emailField = z.email().max(254);

export const phoneField = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^\+?[\d\s()./-]+$/, 'must be a phone number: digits, spaces and + ( ) . / -');

/**
 * An IANA zone name such as Asia/Shanghai: the SLA clock and the calendar days of a place count in it.
 * Offsets (+08:00) are refused although Intl accepts them: they ignore daylight saving.
 */
export const timeZoneField = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => !/^[+-]/.test(zone) && isValidTimeZone(zone), {
    message: 'must be an IANA time zone such as Asia/Shanghai',
  })
  .describe('IANA time zone, e.g. Asia/Shanghai');

// One check, not a length and then a list: a client gets one message for one mistake.
export const countryField = z
  .string()
  .refine(isCountryCode, { message: 'must be an ISO 3166-1 alpha-2 country code in capitals, e.g. GB' })
  .describe('ISO 3166-1 alpha-2, e.g. GB');

/** A PATCH body must change something: an empty one is more likely a client bug than a wish. */
export function notEmpty(body: Record<string, unknown>): boolean {
  return Object.values(body).some((value) => value !== undefined);
}
export const notEmptyMessage = { message: 'name at least one field to change' };

/** When a row was created, as an ISO 8601 instant. */
export const createdAtField = z.string().describe('ISO 8601 instant');
