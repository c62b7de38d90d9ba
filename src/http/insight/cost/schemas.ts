import { z } from 'zod';
import { rowCategories } from '../../../domain/warranty-cost/report.js';
import { recordedMoneySchema } from '../../money-fields.js';

/* Pure zod: the web app imports this module too. The cost of warranty per product and month. */

export const costQuerySchema = z
  .object({
    from: z.iso
      .date()
      .optional()
      .describe('First store calendar day (default: the first of the month 11 months ago)'),
    to: z.iso.date().optional().describe('Last store calendar day, included (default: today)'),
    productId: z.uuid().optional(),
  })
  .strict();
export type CostQueryParams = z.infer<typeof costQuerySchema>;

export const costRowsQuerySchema = costQuerySchema
  .extend({
    category: z.enum(rowCategories),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM')
      .optional()
      .describe('One month of the range (YYYY-MM); the whole range without it'),
  })
  .strict();
export type CostRowsQueryParams = z.infer<typeof costRowsQuerySchema>;

const byCategory = z.object(
  Object.fromEntries(rowCategories.map((c) => [c, z.int()])) as Record<
    (typeof rowCategories)[number],
    z.ZodInt
  >,
);

export const costReportSchema = z
  .object({
    currency: z.string(),
    from: z.string(),
    to: z.string(),
    months: z.array(z.string()),
    products: z.array(
      z.object({ id: z.uuid(), sku: z.string(), name: z.object({ en: z.string(), zh: z.string() }) }),
    ),
    cells: z.array(
      z.object({
        productId: z.uuid(),
        month: z.string(),
        category: z.enum(rowCategories),
        amountMinor: z.int(),
        rows: z.int(),
      }),
    ),
    volumes: z.array(
      z.object({ productId: z.uuid(), month: z.string(), unitsSold: z.int(), claims: z.int() }),
    ),
    figures: z.array(
      z.object({
        productId: z.uuid(),
        unitsSold: z.int(),
        claims: z.int(),
        costMinor: z.int(),
        incomeMinor: z.int(),
        byCategory,
        costPerUnitSoldMinor: z.int().nullable(),
        claimsPerThousand: z.number().nullable(),
        costPerClaimMinor: z.int().nullable(),
      }),
    ),
    totals: z.object({
      costMinor: z.int(),
      incomeMinor: z.int(),
      unitsSold: z.int(),
      claims: z.int(),
      byCategory,
    }),
    excluded: z.array(
      z.object({ source: z.string(), currency: z.string(), rows: z.int(), amountMinor: z.int() }),
    ),
  })
  .meta({ id: 'WarrantyCostReport' });
export type CostReportBody = z.infer<typeof costReportSchema>;

export const costRowsSchema = z
  .object({
    currency: z.string(),
    rows: z.array(
      z.object({
        category: z.enum(rowCategories),
        source: z.enum([
          'reimbursement_claim',
          'maintenance_order',
          'replacement_shipment',
          'excess_resolution',
          'maker_cost_entry',
          'quote',
        ]),
        sourceId: z.uuid(),
        reference: z.string().nullable(),
        day: z.string(),
        product: z.object({ id: z.uuid(), sku: z.string() }),
        amount: recordedMoneySchema,
      }),
    ),
    total: recordedMoneySchema,
    truncated: z.boolean(),
  })
  .meta({ id: 'WarrantyCostRows' });
export type CostRowsBody = z.infer<typeof costRowsSchema>;
