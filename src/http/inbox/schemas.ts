import { z } from 'zod';
import { inboxKinds } from '../../app/inbox/read-inbox.js';

/* Pure zod: the web app imports this module too. */

export const inboxItemSchema = z
  .object({
    kind: z.enum(inboxKinds),
    id: z.uuid().describe('The id of the conversation, order, purchase, reimbursement or approval'),
    since: z.iso.datetime().describe('Since when it has waited'),
    subject: z.string().describe('Who or what it is about'),
    detail: z.string().nullable().describe('The maintenance number, serial or requester that tells it apart'),
    claimId: z.uuid().nullable(),
    maintenanceOrderId: z.uuid().nullable(),
  })
  .meta({ id: 'InboxItem' });

export const inboxSchema = z
  .object({
    items: z.array(inboxItemSchema).describe('Oldest first, across kinds'),
    counts: z
      .array(z.object({ kind: z.enum(inboxKinds), count: z.number().int(), more: z.boolean() }))
      .describe('Per kind the caller works, how many wait (at most 50; `more` when there are others)'),
  })
  .meta({ id: 'Inbox' });
export type InboxResponse = z.infer<typeof inboxSchema>;
