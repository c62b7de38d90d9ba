import { z } from 'zod';

/* Pure zod: the web app imports this module too. */

/** Money as integer minor units (fen, cents) and its ISO 4217 currency: never a floating-point amount. */
export const moneySchema = z
  .object({
    amountMinor: z.int().min(0).describe('Integer minor units: 12345 is CNY 123.45'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals, e.g. CNY')
      .describe('ISO 4217, e.g. CNY'),
  })
  .strict()
  .meta({ id: 'Money' });
export type MoneyField = z.infer<typeof moneySchema>;

/** What a staff edit read: a stale one is refused with 409 VERSION_CONFLICT and the current version. */
export const expectedVersionField = z
  .int()
  .min(1)
  .describe('The version of the object the change was based on');
