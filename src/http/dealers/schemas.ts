import { z } from 'zod';
import {
  createdAtField,
  emailField,
  notEmpty,
  notEmptyMessage,
  phoneField,
  textField,
  timeZoneField,
} from '../reference-fields.js';

/* Pure zod: the web app imports this module too. */

export const dealerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    nameZh: z.string().nullable().describe('The name in Chinese, where the maker gave one'),
    city: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    timeZone: z.string(),
    createdAt: createdAtField,
  })
  .meta({ id: 'Dealer' });
export type Dealer = z.infer<typeof dealerSchema>;

export const dealerDirectoryEntrySchema = z
  .object({ id: z.string(), name: z.string(), nameZh: z.string().nullable(), city: z.string() })
  .meta({ id: 'DealerDirectoryEntry' });
export type DealerDirectoryEntry = z.infer<typeof dealerDirectoryEntrySchema>;

const dealerFields = z.object({
  name: textField(200),
  nameZh: textField(200).nullish().describe('The name in Chinese (null: none; the given name is shown)'),
  city: textField(100),
  email: emailField.nullish(),
  phone: phoneField.nullish(),
  timeZone: timeZoneField,
});

export const createDealerRequestSchema = dealerFields.strict().meta({ id: 'CreateDealerRequest' });
export type CreateDealerRequest = z.infer<typeof createDealerRequestSchema>;

/** Only the fields sent change; `null` clears an optional one. */
export const updateDealerRequestSchema = dealerFields
  .partial()
  .strict()
  .refine(notEmpty, notEmptyMessage)
  .meta({ id: 'UpdateDealerRequest' });
export type UpdateDealerRequest = z.infer<typeof updateDealerRequestSchema>;
