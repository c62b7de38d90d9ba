import { z } from 'zod';
import { MAX_TAX_RATE_BASIS_POINTS } from './tax.js';

/*
 * The printable documents' settings, an instance setting an admin edits: who the maker is on a quote and
 * an invoice, and the tax. Pure zod: the web app imports it through http/documents/schemas.ts.
 */

const line = (max: number) => z.string().trim().max(max);
const bilingual = (max: number, what: string) =>
  z
    .object({ en: line(max).min(1), zh: line(max).min(1) })
    .strict()
    .describe(`${what}, in English and in Chinese`);

export const documentSettingsSchema = z
  .object({
    maker: z
      .object({
        name: bilingual(200, 'The maker’s legal name as printed'),
        address: z
          .object({ en: line(500), zh: line(500) })
          .strict()
          .describe('Postal address, in English and in Chinese; empty: not printed'),
        phone: line(40).describe('Empty: not printed'),
        email: line(254).describe('Empty: not printed'),
        taxId: line(40).describe(
          'The maker’s tax registration number (e.g. 统一社会信用代码); empty: not printed',
        ),
      })
      .strict(),
    tax: z
      .object({
        rateBasisPoints: z
          .int()
          .min(0)
          .max(MAX_TAX_RATE_BASIS_POINTS)
          .describe('The tax rate in basis points: 1300 is 13 %. 0: no tax line.'),
        pricesIncludeTax: z
          .boolean()
          .describe(
            'true: quoted prices include the tax, which the documents show as contained in the total; false: the tax is added to them',
          ),
      })
      .strict()
      .describe(
        'Applies to quotes printed from now on; an invoice keeps the tax in force when it was issued.',
      ),
  })
  .strict();
export type DocumentSettings = z.infer<typeof documentSettingsSchema>;
