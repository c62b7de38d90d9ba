import { z } from 'zod';

export const productSummarySchema = z
  .object({
    sku: z.string(),
    name: z.object({ en: z.string(), zh: z.string() }),
    category: z.string(),
  })
  .meta({ id: 'ProductSummary' });
export type ProductSummary = z.infer<typeof productSummarySchema>;
