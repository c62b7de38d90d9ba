import { z } from 'zod';
import { MAX_AMOUNT_MINOR } from '../../domain/money.js';
import {
  MAX_LABOUR_HOURS,
  MAX_LABOUR_RATE_MINOR,
  MAX_PART_LINES,
  MAX_PART_QUANTITY,
} from '../../domain/warranty-cost/work.js';
import { expectedVersionField, INT4_MAX, recordedMoneySchema } from '../money-fields.js';

/* Pure zod: the web app imports this module too. Parts, the parts and hours of a repair, the labour rate. */

export const partParams = z.object({ id: z.uuid() }).strict();

const name = z.string().trim().min(1).max(200);

const partFields = {
  partNumber: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and . _ / - only')
    .describe('The maker’s part number, unique, e.g. MB-220-48'),
  name: z.object({ en: name, zh: name }).strict(),
  unitCostMinor: z
    .int()
    .min(0)
    .max(MAX_AMOUNT_MINOR)
    .describe('The unit cost in minor units of the maker’s currency (settings: warranty-cost)'),
  productId: z
    .uuid()
    .nullable()
    .optional()
    .describe('The product the part belongs to; none for a shared part'),
};

export const createPartRequestSchema = z.object(partFields).strict().meta({ id: 'CreatePartRequest' });
export const updatePartRequestSchema = z
  .object({ ...partFields, active: z.boolean(), expectedVersion: expectedVersionField })
  .strict()
  .meta({ id: 'UpdatePartRequest' });

export const listPartsQuerySchema = z
  .object({
    productId: z.uuid().optional().describe('The parts of this product, and those of none'),
    includeRetired: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => v === 'true'),
  })
  .strict();

export const partSchema = z
  .object({
    id: z.uuid(),
    partNumber: z.string(),
    name: z.object({ en: z.string(), zh: z.string() }),
    unitCost: recordedMoneySchema,
    product: z.object({ id: z.uuid(), sku: z.string() }).nullable(),
    active: z.boolean(),
    version: z.int(),
  })
  .meta({ id: 'Part' });

export const recordWorkRequestSchema = z
  .object({
    expectedVersion: z
      .int()
      .min(0)
      .max(INT4_MAX)
      .describe('The version of the parts and hours as read: 0 before the first recording'),
    parts: z
      .array(
        z
          .object({
            partId: z.uuid(),
            quantity: z.int().min(1).max(MAX_PART_QUANTITY),
          })
          .strict(),
      )
      .max(MAX_PART_LINES)
      .describe('Every part the repair used, each once: the list replaces the one recorded'),
    labourHours: z
      .number()
      .min(0)
      .max(MAX_LABOUR_HOURS)
      .describe('Hours of labour, in hundredths of an hour at most (1.25)'),
    correctionReason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe('Required after the product went back (returned, closed): why the record changes'),
  })
  .strict()
  .meta({ id: 'RecordWorkRequest' });
export type RecordWorkRequest = z.infer<typeof recordWorkRequestSchema>;

export const orderWorkSchema = z
  .object({
    orderId: z.uuid(),
    version: z.int(),
    labourHours: z.number(),
    labourRate: recordedMoneySchema,
    parts: z.array(
      z.object({
        part: z.object({
          id: z.uuid(),
          partNumber: z.string(),
          name: z.object({ en: z.string(), zh: z.string() }),
          active: z.boolean(),
        }),
        quantity: z.int(),
        unitCost: recordedMoneySchema,
        cost: recordedMoneySchema,
      }),
    ),
    partsCost: recordedMoneySchema,
    labourCost: recordedMoneySchema,
    total: recordedMoneySchema,
    underWarranty: z.boolean(),
    rule: z.enum(['record', 'correct', 'refused']),
    mayChange: z.boolean(),
    recordedBy: z.string().nullable(),
    correctedAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'MaintenanceOrderWork' });

export const warrantyCostSettingsSchema = z
  .object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals, e.g. CNY')
      .describe('The maker’s currency: the cost of warranty and the parts list count in it'),
    labourRatePerHourMinor: z
      .int()
      .min(0)
      .max(MAX_LABOUR_RATE_MINOR)
      .describe(
        'The labour rate of a repair per hour, in minor units; hours recorded keep the rate they had',
      ),
  })
  .strict()
  .meta({ id: 'WarrantyCostSettings' });
