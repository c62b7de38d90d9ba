import { z } from 'zod';
import { calendarLengthSchema } from '../../domain/calendar.js';
import { productCategories } from '../../domain/reference-data.js';
import { moneySchema, recordedMoneySchema } from '../money-fields.js';
import { notEmpty, notEmptyMessage, textField } from '../reference-fields.js';

/* Pure zod: the web app imports this module too. */

export const productSummarySchema = z
  .object({
    sku: z.string(),
    name: z.object({ en: z.string(), zh: z.string() }),
    category: z.string(),
  })
  .meta({ id: 'ProductSummary' });
export type ProductSummary = z.infer<typeof productSummarySchema>;

/*
 * The admin's view of a product: its id (for PATCH) and warranty override, which the public summary
 * leaves out. Listed at GET /api/v1/products/admin.
 */
export const productSchema = z
  .object({
    id: z.string(),
    sku: z.string(),
    nameEn: z.string(),
    nameZh: z.string(),
    category: z.enum(productCategories),
    warrantyOverride: calendarLengthSchema.nullable(),
    price: recordedMoneySchema
      .nullable()
      .describe('The catalogue price: the most a dealer may ask back for one unit; null: none yet'),
    createdAt: z.string().describe('ISO 8601 instant'),
  })
  .meta({ id: 'Product' });

export const cataloguePriceRequestSchema = z
  .object({ price: moneySchema.nullable().describe('Integer minor units and currency; null clears it') })
  .strict()
  .meta({ id: 'CataloguePriceRequest' });
export type Product = z.infer<typeof productSchema>;

/** Upper-case, as printed on the box: two SKUs differing only in case would be one product twice. */
export const skuField = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Z0-9][A-Z0-9._-]*$/, "must be upper-case letters, digits, '.', '_' or '-', e.g. DCP-220-48");

const productFields = z.object({
  sku: skuField,
  nameEn: textField(200),
  nameZh: textField(200),
  category: z.enum(productCategories),
  warrantyOverride: calendarLengthSchema
    .nullish()
    .describe('The product’s own warranty length when it differs from the policy’s; null: the policy’s'),
});

export const createProductRequestSchema = productFields.strict().meta({ id: 'CreateProductRequest' });
export type CreateProductRequest = z.infer<typeof createProductRequestSchema>;

/** Only the fields sent change; `warrantyOverride: null` returns the product to the policy’s warranty. */
export const updateProductRequestSchema = productFields
  .partial()
  .strict()
  .refine(notEmpty, notEmptyMessage)
  .meta({ id: 'UpdateProductRequest' });
export type UpdateProductRequest = z.infer<typeof updateProductRequestSchema>;
