import { z } from 'zod';
import { recordedMoneySchema } from '../../money-fields.js';

/* Pure zod: the web app imports this module too. */

export const reserveQuerySchema = z
  .object({
    asOf: z.iso
      .date()
      .optional()
      .describe('The forecast as of this store calendar day (YYYY-MM-DD, today by default, never later)'),
    productId: z.uuid().optional().describe('One product only'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals, e.g. CNY')
      .optional()
      .describe('The currency of the cost per claim; by default the one most money rows are in'),
  })
  .strict();

const intervalSchema = z.object({ low: recordedMoneySchema, high: recordedMoneySchema }).strict();

const lifeTableRowSchema = z
  .object({
    ageMonths: z.int().min(0).describe('Month of life: 0 is the first month after purchase'),
    unitMonths: z
      .number()
      .min(0)
      .describe('Unit-months at risk in that month (censored units count what they lived)'),
    claims: z.int().min(0),
    rate: z
      .number()
      .min(0)
      .nullable()
      .describe('Claims per unit-month; null when no unit has reached that age'),
    weibullRate: z
      .number()
      .min(0)
      .nullable()
      .describe('The fitted Weibull’s claims per unit-month in that month'),
  })
  .strict();

export const reserveProductSchema = z
  .object({
    product: z
      .object({ id: z.uuid(), sku: z.string(), name: z.object({ en: z.string(), zh: z.string() }).strict() })
      .strict(),
    warrantyMonths: z.int().min(0),
    unitsInForce: z.int().min(0),
    unitMonthsToCome: z.number().min(0),
    claimsObserved: z.int().min(0),
    expectedClaims: z.number().min(0),
    costPerClaim: z
      .object({
        amountMinor: z.int().min(0),
        currency: z.string(),
        basis: z
          .enum(['product', 'all_products'])
          .describe(
            '`all_products`: the product has no claims yet, so every product’s cost per claim is used',
          ),
        claims: z.int().min(0),
        reimbursementsMinor: z.number().min(0),
        makerCostsMinor: z.number().min(0),
        oemCreditsMinor: z.number().min(0),
      })
      .strict(),
    provision: recordedMoneySchema,
    interval: intervalSchema,
    weibull: z
      .object({
        shape: z.number().positive(),
        scaleMonths: z.number().positive(),
        expectedClaims: z.number().min(0),
        provision: recordedMoneySchema,
      })
      .strict()
      .nullable(),
    lifeTable: z.array(lifeTableRowSchema),
  })
  .strict()
  .meta({ id: 'ReserveProduct' });

export const reserveSchema = z
  .object({
    asOf: z.iso.date(),
    currency: z.string(),
    level: z.number().describe('The interval’s coverage, 0.9'),
    replicates: z.int(),
    seed: z.int(),
    otherCurrencyRows: z.int().min(0).describe('Money rows in another currency: not converted, not counted'),
    total: z
      .object({
        unitsInForce: z.int().min(0),
        expectedClaims: z.number().min(0),
        provision: recordedMoneySchema,
        interval: intervalSchema,
        weibullProvision: recordedMoneySchema,
      })
      .strict(),
    products: z.array(reserveProductSchema),
  })
  .strict()
  .meta({ id: 'Reserve' });
export type ReserveResponse = z.infer<typeof reserveSchema>;
