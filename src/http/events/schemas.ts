import { z } from 'zod';
import {
  type ChangeOf,
  type EventData,
  type EventType,
  eventCatalogue,
  eventTypes,
  subjectTypes,
} from '../../app/events/types.js';
import { maintenanceStates } from '../../domain/maintenance/state-machine.js';
import { investigationSchema } from '../batch-investigations/schemas.js';
import { claimSchema } from '../claims/schemas.js';
import { dealerRemedySchema } from '../dealer-remedies/schemas.js';
import { maintenanceOrderSchema } from '../maintenance/schemas.js';
import {
  defectReportSchema,
  excessResolutionSchema,
  oemOrderSchema,
  remakeOrderSchema,
  replacementShipmentSchema,
} from '../oem-orders/schemas.js';
import { quoteSchema } from '../paid-service/schemas.js';
import { purchaseSchema } from '../purchases/schemas.js';
import { reimbursementSchema } from '../reimbursements/schemas.js';

/* Pure zod: each event's payload is the API's own schema for its object (app/events/types.ts). */

/** Each event type's `data`: the schema the API answers with for that object. */
export const eventDataSchemas = {
  'purchase.recorded': purchaseSchema,
  'purchase.verified': purchaseSchema,
  'claim.submitted': claimSchema,
  'claim.remedy_chosen': claimSchema,
  'claim.resolved': claimSchema,
  'dealer_remedy.performed': dealerRemedySchema,
  'reimbursement.decided': reimbursementSchema,
  'maintenance_order.issued': maintenanceOrderSchema,
  'maintenance_order.moved': maintenanceOrderSchema,
  'maintenance_order.contact_recorded': maintenanceOrderSchema,
  'maintenance_order.returned': maintenanceOrderSchema,
  'maintenance_order.commitment_due_soon': maintenanceOrderSchema,
  'maintenance_order.commitment_missed': maintenanceOrderSchema,
  'quote.sent': quoteSchema,
  'quote.answered': quoteSchema,
  'quote.invoiced': quoteSchema,
  'oem_order.booked': oemOrderSchema,
  'oem_defects.reported': defectReportSchema,
  'oem_excess.resolved': excessResolutionSchema,
  'oem_credit.applied': excessResolutionSchema,
  'batch_investigation.confirmed': investigationSchema,
  'batch_investigation.dismissed': investigationSchema,
  'remake_order.shipped': remakeOrderSchema,
  'remake_order.delivered': remakeOrderSchema,
  'replacement_shipment.shipped': replacementShipmentSchema,
  'replacement_shipment.delivered': replacementShipmentSchema,
} as const satisfies Record<EventType, z.ZodType>;

/*
 * The use cases record the app's views (EventData); the API serializes the same views through these
 * schemas. A view that stops fitting its schema fails here, at compile time, not at a receiver.
 */
type Fits<T extends EventType> = EventData[T] extends z.input<(typeof eventDataSchemas)[T]> ? true : T;
type Misfits = { [T in EventType]: Fits<T> }[EventType];
/** Names the event types whose view does not fit its schema, if any; `true` when all fit. */
export const everyEventFitsItsSchema: Misfits extends true ? true : Misfits = true;

const commitmentChange = z.object({ dueOn: z.iso.date().describe('The day the center committed to') });

/** What changed, for the types that carry it; null for the others. */
export const eventChangeSchemas = {
  'maintenance_order.moved': z.object({ from: z.enum(maintenanceStates), to: z.enum(maintenanceStates) }),
  'maintenance_order.commitment_due_soon': commitmentChange,
  'maintenance_order.commitment_missed': commitmentChange,
} as const satisfies { [T in EventType]?: z.ZodType<ChangeOf<T>> };

const changeSchemaOf = (type: EventType): z.ZodType =>
  (eventChangeSchemas as Partial<Record<EventType, z.ZodType>>)[type] ?? z.null();

/** `claim.remedy_chosen` → `ClaimRemedyChosenEvent`: the component each webhook's payload names. */
export function eventSchemaId(type: EventType): string {
  const words = type.split(/[._]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return `${words.join('')}Event`;
}

function envelopeOf<T extends EventType>(type: T) {
  const entry = eventCatalogue[type];
  return z
    .object({
      id: z.uuid().describe('The event’s id: the same on every delivery of it, for deduplication'),
      type: z.literal(type),
      occurredAt: z.string().describe('When the change was made (ISO 8601, UTC)'),
      subject: z.object({ type: z.literal(entry.subject), id: z.string() }),
      change: changeSchemaOf(type),
      data: eventDataSchemas[type],
    })
    .describe(entry.summary)
    .meta({ id: eventSchemaId(type) });
}

/** Every event's envelope with its payload, by type: the document's `webhooks` name them. */
export const eventSchemas = Object.fromEntries(eventTypes.map((type) => [type, envelopeOf(type)])) as {
  [T in EventType]: ReturnType<typeof envelopeOf<T>>;
};

/**
 * An event as the feed answers with it. Its `data` is the object as the API returned it when the event
 * happened, in the schema its type names under `webhooks` (…Event components): a snapshot, kept as it
 * was written, so an event written before an upgrade reads as it was sent, never as a 500 because the
 * object's schema has grown since.
 */
export const eventSchema = z
  .object({
    id: z.uuid().describe('The event’s id: the same on every delivery of it, for deduplication'),
    type: z.enum(eventTypes),
    occurredAt: z.string().describe('When the change was made (ISO 8601, UTC)'),
    subject: z.object({ type: z.enum(subjectTypes), id: z.string() }),
    change: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('What changed, for the types that say (maintenance_order.moved: from, to); else null'),
    data: z
      .record(z.string(), z.unknown())
      .describe('The object, in the schema of its type’s webhook payload (see `webhooks`)'),
  })
  .meta({ id: 'Event' });

export const eventPageSchema = z
  .object({
    items: z.array(eventSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe(
        'Ask with `after` = this next time: the last event’s position, or the `after` you sent when nothing new came (null only before the first event)',
      ),
  })
  .meta({ id: 'EventPage' });

const typeList = z
  .string()
  .max(2000)
  .refine((value) => value.split(',').every((type) => (eventTypes as readonly string[]).includes(type)), {
    message: `a comma-separated list of event types: ${eventTypes.join(', ')}`,
  })
  .transform((value) => value.split(',') as EventType[]);

export const eventsQuerySchema = z
  .object({
    after: z
      .string()
      .max(64)
      .optional()
      .describe(
        'The `nextCursor` of the previous answer: events after it. Left out: from the first. A cursor this API did not give is 400 INVALID_CURSOR',
      ),
    types: typeList.optional().describe('Only these event types, comma-separated'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
