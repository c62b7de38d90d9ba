import { z } from 'zod';
import { eventTypes } from '../../app/events/types.js';
import { webhookDeliverySorts } from '../../app/lists/sorts.js';
import { listFilterSchema, pageQueryShape, pageSchema } from '../list-query.js';

/* Pure zod: the web app imports this module too. */

export const webhookEventTypeSchema = z.enum(eventTypes as [string, ...string[]]);

export const webhookEndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(webhookEventTypeSchema),
    status: z.enum(['enabled', 'disabled']),
    disabledReason: z
      .enum(['admin', 'failing'])
      .nullable()
      .describe('`failing`: no delivery succeeded for three days, so the server disabled it'),
    disabledAt: z.string().nullable(),
    failingSince: z.string().nullable().describe('The first failed attempt since its last success'),
    createdBy: z.string(),
    createdAt: z.string(),
    deliveries: z.object({ pending: z.int(), delivered: z.int(), failed: z.int() }),
  })
  .meta({ id: 'WebhookEndpoint' });

export const createWebhookEndpointRequestSchema = z
  .object({
    url: z
      .string()
      .trim()
      .min(9)
      .max(2048)
      .describe(
        'Where to POST events: https:// only, never a private, loopback or link-local address (unless the operator set WEBHOOKS_ALLOW_PRIVATE)',
      ),
    description: z.string().trim().max(200).optional().describe('What the endpoint is, e.g. "ERP bookings"'),
    eventTypes: z.array(webhookEventTypeSchema).min(1).max(100).describe('The event types it wants'),
  })
  .strict()
  .meta({ id: 'CreateWebhookEndpointRequest' });
export type CreateWebhookEndpointRequest = z.infer<typeof createWebhookEndpointRequestSchema>;

export const createdWebhookEndpointSchema = z
  .object({
    secret: z
      .string()
      .describe(
        'The signing secret, shown this once: verify `Aftersales-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` with it',
      ),
    endpoint: webhookEndpointSchema,
  })
  .meta({ id: 'CreatedWebhookEndpoint' });

export const webhookAttemptSchema = z
  .object({
    attemptedAt: z.string(),
    durationMs: z.int(),
    statusCode: z.int().nullable().describe('The receiver’s HTTP status; null when none came'),
    outcome: z.enum(['delivered', 'failed']),
    error: z.string().nullable(),
    responseExcerpt: z.string().describe('The start of the receiver’s answer, at most 1 KiB'),
  })
  .meta({ id: 'WebhookAttempt' });

export const webhookDeliverySchema = z
  .object({
    id: z.uuid(),
    endpointId: z.uuid(),
    eventId: z.uuid().describe('Sent as `Aftersales-Event-Id`: receivers deduplicate by it'),
    eventType: z.string(),
    kind: z.enum(['event', 'test', 'redelivery']),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.int(),
    createdAt: z.string(),
    nextAttemptAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    lastStatusCode: z.int().nullable(),
    lastError: z.string().nullable(),
    attemptLog: z.array(webhookAttemptSchema).describe('Newest first, the last 30'),
  })
  .meta({ id: 'WebhookDelivery' });

export const deliveriesQuerySchema = listFilterSchema(
  webhookDeliverySorts,
  { sort: 'createdAt', order: 'desc' },
  {
    status: z.enum(['pending', 'delivered', 'failed']).optional(),
    eventType: z
      .enum(['webhook.test', ...eventTypes])
      .optional()
      .describe('Only deliveries of this event type'),
  },
)
  .extend(pageQueryShape)
  .strict();

export const webhookDeliveryPageSchema = pageSchema(webhookDeliverySchema, 'WebhookDeliveryPage');

export const redeliverRequestSchema = z
  .object({ eventId: z.uuid().describe('Any event’s id (or a test event’s sent to this endpoint)') })
  .strict()
  .meta({ id: 'RedeliverWebhookRequest' });
