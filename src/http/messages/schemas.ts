import { z } from 'zod';
import { messageSorts } from '../../app/lists/sorts.js';
import { messageStatuses } from '../../domain/outbox/message-status.js';
import { dateFilter, listFilterSchema, pageQueryShape } from '../list-query.js';

/* Pure zod: the web app imports this module too. */

export const messageChannels = ['email', 'phone', 'staff'] as const;

export const messageSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    topic: z.string().describe('What the message is, e.g. maintenance_order.received'),
    recipient: z.string().describe('An e-mail address, a phone number, or role:support'),
    channel: z.enum(messageChannels),
    status: z
      .enum(messageStatuses)
      .describe(
        'queued, retrying, failed (attempts used up), to_call (no e-mail address: staff phone), sent, internal (a notice to staff)',
      ),
    subject: z.string(),
    body: z.string().describe('Links that act for the recipient are shown without their secret'),
    attempts: z.int(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    claimId: z.string().nullable(),
    maintenanceOrderId: z.string().nullable(),
    quoteId: z.string().nullable(),
    reimbursementId: z.string().nullable(),
  })
  .meta({ id: 'OutboxMessage' });
export type Message = z.infer<typeof messageSchema>;

export const messageStatusFilters = [...messageStatuses, 'attention'] as const;

/** The kinds of message staff filter by: the starts of their topics (`topic=quote.`). */
export const messageKinds = [
  'claim.',
  'maintenance_order.',
  'quote.',
  'reimbursement.',
  'dealer_remedy.',
  'approval.',
  'account.',
  'oem_',
] as const;

export const messageFilterSchema = listFilterSchema(
  messageSorts,
  { sort: 'createdAt', order: 'desc' },
  {
    status: z
      .enum(messageStatusFilters)
      .optional()
      .describe('One status, or attention: the failed and to_call ones, which need someone'),
    topic: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('The kind of message: the start of its topic, e.g. quote.'),
    channel: z.enum(messageChannels).optional().describe('e-mail, phone (staff call) or a staff notice'),
    recipient: z.string().trim().min(1).max(320).optional().describe('Exactly, ignoring case'),
    claimId: z.uuid().optional(),
    maintenanceOrderId: z.uuid().optional(),
    from: dateFilter('Made on or after'),
    to: dateFilter('Made on or before'),
  },
);

export const listMessagesQuerySchema = messageFilterSchema.extend(pageQueryShape).strict();
export const exportMessagesQuerySchema = messageFilterSchema.strict();
export type ListMessagesQuery = z.infer<typeof listMessagesQuerySchema>;

export const workMessageRequestSchema = z
  .discriminatedUnion('action', [
    z.object({ action: z.literal('retry') }).strict(),
    z
      .object({
        action: z.literal('recordCall'),
        note: z.string().trim().min(1).max(2000).describe('What the customer was told, and by whom'),
      })
      .strict(),
  ])
  .meta({ id: 'WorkMessageRequest' });
export type WorkMessageRequest = z.infer<typeof workMessageRequestSchema>;
