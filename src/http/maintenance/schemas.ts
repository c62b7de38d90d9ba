import { maintenanceOrderSorts, slaFilterValues } from '../../app/lists/sorts.js';
import { listFilterSchema, pageQueryShape } from '../list-query.js';
import { z } from 'zod';
import { orderCommitmentStatuses } from '../../domain/maintenance/deadlines.js';
import { maintenanceModes, maintenanceStates } from '../../domain/maintenance/state-machine.js';
import { serviceCenterKinds } from '../../domain/reference-data.js';
import { ownerQuerySchema } from '../ownership/schemas.js';

/* Pure zod: the web app imports this module too. */

export const maintenanceOrderParams = z.object({ id: z.uuid() }).strict();

const byCity = z
  .object({
    cityId: z
      .string()
      .min(1)
      .max(64)
      .describe('One of the bundled cities (domain/geo/cities.ts), e.g. shenzhen'),
  })
  .strict();
const byCoordinates = z
  .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) })
  .strict();

export const issueMaintenanceOrderRequestSchema = z
  .object({
    mode: z
      .enum(maintenanceModes)
      .describe('walk_in: bring the product to a service center; mail_in: send the bad parts'),
    location: z
      .union([byCity, byCoordinates])
      .describe('Where the customer is: the order goes to the nearest service center'),
  })
  .strict()
  .meta({ id: 'IssueMaintenanceOrderRequest' });
export type IssueMaintenanceOrderRequest = z.infer<typeof issueMaintenanceOrderRequestSchema>;

const expectedVersion = z
  .number()
  .int()
  .min(1)
  .describe('The order’s version as you read it; a stale one is refused with 409 VERSION_CONFLICT');

export const moveMaintenanceOrderRequestSchema = z
  .object({
    to: z.enum(maintenanceStates),
    expectedVersion,
    note: z.string().max(1000).optional().describe('Shown to the customer on the timeline'),
    diagnosis: z.string().max(2000).optional(),
    humanDamage: z
      .boolean()
      .optional()
      .describe('Inspection found damage caused by misuse (with to: paidService)'),
    returnTracking: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('The carrier’s tracking number: required to return a mail-in product'),
    receivedOn: z.iso
      .date()
      .optional()
      .describe(
        'With to: received, the day it arrived (center’s calendar) when earlier than today: never in the future, never before the order was issued. The service commitment counts from it.',
      ),
  })
  .strict()
  .meta({ id: 'MoveMaintenanceOrderRequest' });
export type MoveMaintenanceOrderRequest = z.infer<typeof moveMaintenanceOrderRequestSchema>;

export const recordContactRequestSchema = z
  .object({ expectedVersion, note: z.string().max(1000).optional() })
  .strict()
  .meta({ id: 'RecordContactRequest' });
export type RecordContactRequest = z.infer<typeof recordContactRequestSchema>;

const trueOrFalse = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const maintenanceOrderFilterSchema = listFilterSchema(
  maintenanceOrderSorts,
  { sort: 'dueOn', order: 'asc' },
  {
    state: z.enum(maintenanceStates).optional(),
    serviceCenterId: z.uuid().optional(),
    open: trueOrFalse.describe(
      'true: only the orders still open (neither closed nor cancelled): the queue to work from',
    ),
    finished: trueOrFalse.describe('true: only returned or closed orders: the history of the work done'),
    sla: z
      .enum(slaFilterValues)
      .optional()
      .describe('Where the service commitment stands today, as the order’s center counts days'),
    productId: z.uuid().optional(),
    minAgeDays: z.coerce
      .number()
      .int()
      .min(0)
      .max(3650)
      .optional()
      .describe('Only orders issued at least this many days ago'),
    owner: ownerQuerySchema,
  },
);

export const listMaintenanceOrdersQuery = maintenanceOrderFilterSchema.extend(pageQueryShape).strict();
export const exportMaintenanceOrdersQuery = maintenanceOrderFilterSchema.strict();

const localizedName = z.object({ en: z.string(), zh: z.string() });

export const ownerSchema = z
  .object({ id: z.string(), name: z.string() })
  .nullable()
  .describe('Who works it (take, assign, release), or null: nobody yet');

export const commitmentSchema = z.object({
  status: z.enum(orderCommitmentStatuses),
  dueOn: z.iso.date().nullable(),
});

export const maintenanceOrderSchema = z
  .object({
    id: z.string(),
    claimId: z.string(),
    maintenanceNumber: z.string(),
    mode: z.enum(maintenanceModes),
    state: z.enum(maintenanceStates),
    version: z.number().int(),
    allowedMoves: z.array(z.enum(maintenanceStates)),
    serviceCenter: z.object({
      id: z.string(),
      kind: z.enum(serviceCenterKinds),
      name: localizedName,
      city: z.string(),
      address: z.string(),
      phone: z.string(),
      timeZone: z.string(),
    }),
    customer: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }),
    product: z.object({ sku: z.string(), name: localizedName }),
    receivedOn: z.iso.date().nullable(),
    dueOn: z.iso.date().nullable(),
    contactedOn: z.iso.date().nullable(),
    returnedOn: z.iso.date().nullable(),
    returnTracking: z.string().nullable(),
    diagnosis: z.string().nullable(),
    humanDamageFound: z.boolean(),
    commitment: commitmentSchema,
    owner: ownerSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'MaintenanceOrder' });
export type MaintenanceOrderResponse = z.infer<typeof maintenanceOrderSchema>;

export const timelineEntrySchema = z.object({
  kind: z
    .enum(['move', 'contact'])
    .describe(
      'move: the order went to `state`; contact: the center spoke to the customer (the order stayed)',
    ),
  fromState: z.enum(maintenanceStates).nullable(),
  state: z.enum(maintenanceStates),
  on: z.iso.date(),
  at: z.string(),
  note: z.string().nullable(),
});

export const maintenanceOrderDetailSchema = maintenanceOrderSchema
  .extend({ timeline: z.array(timelineEntrySchema) })
  .meta({ id: 'MaintenanceOrderDetail' });
export type MaintenanceOrderDetailResponse = z.infer<typeof maintenanceOrderDetailSchema>;
