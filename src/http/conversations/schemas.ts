import { z } from 'zod';
import {
  authorKinds,
  conversationStates,
  holdReasons,
  MAX_ATTACHMENTS_PER_MESSAGE,
  MAX_MESSAGE_CHARS,
  messageChannels,
  messageStatuses,
  messageVisibilities,
} from '../../domain/conversations/conversation.js';
import { roles } from '../../domain/access/access.js';

/* Pure zod: the web app imports this module too. */

export const conversationParams = z.object({ id: z.uuid().describe('The claim’s id') }).strict();

export const heldMessageParams = z.object({ id: z.uuid().describe('The held message’s id') }).strict();

const text = z.string().max(MAX_MESSAGE_CHARS).describe('What is said; may be empty when a file is attached');

export const postMessageRequestSchema = z
  .object({
    text,
    visibility: z
      .enum(messageVisibilities)
      .default('public')
      .describe('public: to the customer (e-mailed to them); internal: a note for staff only'),
    attachmentUploadIds: z
      .array(z.uuid())
      .max(MAX_ATTACHMENTS_PER_MESSAGE)
      .default([])
      .describe('Files from POST /api/v1/uploads?kind=photo'),
  })
  .strict()
  .meta({ id: 'PostConversationMessageRequest' });

export const guestConversationRequestSchema = z
  .object({ token: z.string().min(20).max(128).describe('The token of the tracking link') })
  .strict()
  .meta({ id: 'GuestConversationRequest' });

export const guestMessageRequestSchema = z
  .object({
    token: z.string().min(20).max(128).describe('The token of the tracking link'),
    text,
    attachments: z
      .array(
        z
          .object({
            uploadId: z.uuid(),
            uploadTicket: z
              .string()
              .min(20)
              .max(128)
              .describe('The `conversation.reply` ticket the file was sent with'),
          })
          .strict(),
      )
      .max(MAX_ATTACHMENTS_PER_MESSAGE)
      .default([]),
  })
  .strict()
  .meta({ id: 'GuestConversationMessageRequest' });

const attachmentSchema = z.object({
  id: z.uuid(),
  fileName: z.string().nullable(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
});

export const conversationMessageSchema = z
  .object({
    id: z.uuid(),
    authorKind: z.enum(authorKinds),
    authorRole: z.enum(roles).nullable(),
    authorName: z.string().nullable().describe('Staff readers only'),
    visibility: z.enum(messageVisibilities),
    status: z
      .enum(messageStatuses)
      .describe('held: an e-mail that came to the reply address from another sender, for staff to judge'),
    holdReason: z.enum(holdReasons).nullable(),
    channel: z.enum(messageChannels),
    body: z.string(),
    emailFrom: z.string().nullable().describe('Staff readers only'),
    createdAt: z.iso.datetime(),
    attachments: z.array(attachmentSchema),
  })
  .meta({ id: 'ConversationMessage' });

export const conversationSchema = z
  .object({
    id: z.uuid().nullable().describe('Null until the first message'),
    claimId: z.uuid(),
    state: z.enum(conversationStates),
    waitingSince: z.iso.datetime().nullable(),
    maintenanceNumber: z.string().nullable(),
    messages: z.array(conversationMessageSchema),
  })
  .meta({ id: 'Conversation' });
export type ConversationResponse = z.infer<typeof conversationSchema>;

export const waitingQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();

export const waitingConversationSchema = z
  .object({
    id: z.uuid(),
    claimId: z.uuid(),
    waitingSince: z.iso.datetime(),
    lastMessageAt: z.iso.datetime().nullable(),
    customerName: z.string(),
    product: z.object({ en: z.string(), zh: z.string() }),
    maintenanceNumber: z.string().nullable(),
    maintenanceOrderId: z.uuid().nullable().describe('The claim’s latest maintenance order'),
    excerpt: z.string(),
  })
  .meta({ id: 'WaitingConversation' });
export type WaitingConversationResponse = z.infer<typeof waitingConversationSchema>;

export const waitingConversationsSchema = z
  .object({ items: z.array(waitingConversationSchema) })
  .meta({ id: 'WaitingConversations' });
