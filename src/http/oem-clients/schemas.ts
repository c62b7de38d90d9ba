import { z } from 'zod';
import {
  countryField,
  createdAtField,
  emailField,
  notEmpty,
  notEmptyMessage,
  phoneField,
  textField,
} from '../reference-fields.js';

/* Pure zod: the web app imports this module too. */

export const oemClientSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    country: z.string(),
    contactName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    createdAt: createdAtField,
  })
  .meta({ id: 'OemClient' });
export type OemClient = z.infer<typeof oemClientSchema>;

const oemClientFields = z.object({
  name: textField(200),
  country: countryField,
  contactName: textField(200).nullish(),
  email: emailField.nullish(),
  phone: phoneField.nullish(),
});

export const createOemClientRequestSchema = oemClientFields.strict().meta({ id: 'CreateOemClientRequest' });
export type CreateOemClientRequest = z.infer<typeof createOemClientRequestSchema>;

/** Only the fields sent change; `null` clears an optional one. */
export const updateOemClientRequestSchema = oemClientFields
  .partial()
  .strict()
  .refine(notEmpty, notEmptyMessage)
  .meta({ id: 'UpdateOemClientRequest' });
export type UpdateOemClientRequest = z.infer<typeof updateOemClientRequestSchema>;
