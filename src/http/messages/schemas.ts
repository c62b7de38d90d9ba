import { z } from 'zod';
import { messageStatuses } from '../../domain/outbox/message-status.js';

/* Pure zod: the web app imports this module too. */

export const messageSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    topic: z.string().describe('What the message is, e.g. maintenance_order.received'),
    recipient: z.string().describe('An e-mail address, a phone number, or role:support'),
    channel: z.enum(['email', 'phone', 'staff']),
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

export const listMessagesQuerySchema = z
  .object({
    status: z
      .enum(messageStatusFilters)
      .optional()
      .describe('One status, or attention: the failed and to_call ones, which need someone'),
    claimId: z.uuid().optional(),
    maintenanceOrderId: z.uuid().optional(),
    recipient: z.string().trim().min(1).max(320).optional().describe('Exactly, ignoring case'),
    topic: z.string().trim().min(1).max(100).optional().describe('The start of the topic, e.g. quote.'),
    before: z.uuid().optional().describe('The id of the last message of the previous page'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
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
