import { z } from 'zod';
import { MAX_AMOUNT_MINOR, MAX_UNITS } from '../domain/money.js';

/* Pure zod: the web app imports this module too. */

/** Money as integer minor units (fen, cents) and its ISO 4217 currency: never a floating-point amount. */
export const moneySchema = z
  .object({
    amountMinor: z
      .int()
      .min(0)
      .max(MAX_AMOUNT_MINOR)
      .describe(`Integer minor units, 0 … ${MAX_AMOUNT_MINOR}: 12345 is CNY 123.45`),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals, e.g. CNY')
      .describe('ISO 4217, e.g. CNY'),
  })
  .strict()
  .meta({ id: 'Money' });
export type MoneyField = z.infer<typeof moneySchema>;

/**
 * Money in an answer, as recorded: a sum of many amounts (each in range, their sum need not be), or an
 * amount an older version let in past today's range. An answer never fails on a number it stored.
 */
export const recordedMoneySchema = z
  .object({
    amountMinor: z.int().min(0).describe('Integer minor units'),
    currency: z.string().describe('ISO 4217, e.g. CNY'),
  })
  .strict()
  .meta({ id: 'RecordedMoney' });

/** The largest value of an int4 column (versions, counts). */
export const INT4_MAX = 2_147_483_647;

/** A count of units: 1 … MAX_UNITS (domain/money.ts), within its int4 column. */
export const unitsField = z.int().min(1).max(MAX_UNITS);

/** What a staff edit read: a stale one is refused with 409 VERSION_CONFLICT and the current version. */
export const expectedVersionField = z
  .int()
  .min(1)
  .max(INT4_MAX)
  .describe('The version of the object the change was based on');
