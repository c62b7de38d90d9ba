import { z } from 'zod';
import { isoWeekdays, serviceCenterKinds } from '../../domain/reference-data.js';
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

export const serviceCenterSchema = z
  .object({
    id: z.string(),
    kind: z.enum(serviceCenterKinds),
    nameEn: z.string(),
    nameZh: z.string(),
    city: z.string(),
    address: z.string(),
    latitude: z.number(),
    longitude: z.number(),
    timeZone: z.string(),
    committedServiceDays: z.number().int(),
    businessDays: z.array(z.number().int()),
    closedOn: z.array(z.iso.date()),
    openOn: z.array(z.iso.date()),
    email: z.string(),
    phone: z.string(),
    createdAt: createdAtField,
  })
  .meta({ id: 'ServiceCenter' });
export type ServiceCenter = z.infer<typeof serviceCenterSchema>;

const weekday = z.number().int().min(1).max(7);

/** The days the center works and its SLA clock runs; stored in weekday order. */
export const businessDaysField = z
  .array(weekday)
  .min(1)
  .max(isoWeekdays.length)
  .refine((days) => new Set(days).size === days.length, { message: 'each weekday at most once' })
  .describe('ISO weekdays, 1 = Monday … 7 = Sunday');

/** A year or two of a country's holiday arrangement; more is a mistake, not a calendar. */
const calendarExceptionsField = (description: string) =>
  z
    .array(z.iso.date())
    .max(400)
    .refine((days) => new Set(days).size === days.length, { message: 'each day at most once' })
    .describe(description);

const serviceCenterFields = z.object({
  kind: z.enum(serviceCenterKinds),
  nameEn: textField(200),
  nameZh: textField(200),
  city: textField(100),
  address: textField(500),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  timeZone: timeZoneField,
  committedServiceDays: z
    .number()
    .int()
    .min(1)
    .max(60)
    .describe('Business days after receipt within which the repair is committed'),
  businessDays: businessDaysField,
  closedOn: calendarExceptionsField(
    'Public holidays, YYYY-MM-DD: business days on which the center is closed and the clock stops',
  ).optional(),
  openOn: calendarExceptionsField(
    'Make-up working days (调休), YYYY-MM-DD: days off by weekday on which the center works',
  ).optional(),
  email: emailField,
  phone: phoneField,
});

export const createServiceCenterRequestSchema = serviceCenterFields
  .strict()
  .meta({ id: 'CreateServiceCenterRequest' });
export type CreateServiceCenterRequest = z.infer<typeof createServiceCenterRequestSchema>;

/** Only the fields sent change. */
export const updateServiceCenterRequestSchema = serviceCenterFields
  .partial()
  .strict()
  .refine(notEmpty, notEmptyMessage)
  .meta({ id: 'UpdateServiceCenterRequest' });
export type UpdateServiceCenterRequest = z.infer<typeof updateServiceCenterRequestSchema>;
