import { queryOptions } from '@tanstack/react-query';
import {
  type ConversationResponse,
  conversationSchema,
  waitingConversationsSchema,
} from '../../../src/http/conversations/schemas.js';
import { storedUploadSchema, uploadTicketSchema } from '../../../src/http/uploads/schemas.js';
import { request, send } from '../api.js';

/* A claim's conversation (issue 16): signed in by claim, or as a guest through the tracking link. */

export type Conversation = ConversationResponse;
export type ConversationMessage = ConversationResponse['messages'][number];

export const conversationQuery = (claimId: string) =>
  queryOptions({
    queryKey: ['conversation', claimId],
    queryFn: () => request(conversationSchema, `/api/v1/claims/${claimId}/conversation`),
    enabled: claimId !== '',
  });

export const waitingConversationsQuery = queryOptions({
  queryKey: ['conversation', 'waiting'],
  queryFn: () => request(waitingConversationsSchema, '/api/v1/conversations'),
});

async function uploadPhoto(file: File, ticket?: string) {
  const body = new FormData();
  body.append('file', file, file.name);
  return request(storedUploadSchema, '/api/v1/uploads?kind=photo', {
    method: 'POST',
    body,
    ...(ticket ? { headers: { 'upload-ticket': ticket } } : {}),
  });
}

export type Draft = { text: string; visibility: 'public' | 'internal'; files: File[] };

export async function postMessage(claimId: string, draft: Draft): Promise<Conversation> {
  const ids: string[] = [];
  for (const file of draft.files) ids.push((await uploadPhoto(file)).id);
  return send(conversationSchema, 'POST', `/api/v1/claims/${claimId}/conversation/messages`, {
    text: draft.text,
    visibility: draft.visibility,
    attachmentUploadIds: ids,
  });
}

export const guestConversationQuery = (token: string) =>
  queryOptions({
    queryKey: ['conversation', 'guest', token],
    queryFn: () => send(conversationSchema, 'POST', '/api/v1/tracking/conversation', { token }),
  });

export async function postGuestMessage(token: string, draft: Draft): Promise<Conversation> {
  const attachments: { uploadId: string; uploadTicket: string }[] = [];
  for (const file of draft.files) {
    const ticket = await send(uploadTicketSchema, 'POST', '/api/v1/uploads/tickets', {
      purpose: 'conversation.reply',
    });
    attachments.push({ uploadId: (await uploadPhoto(file, ticket.ticket)).id, uploadTicket: ticket.ticket });
  }
  return send(conversationSchema, 'POST', '/api/v1/tracking/conversation/messages', {
    token,
    text: draft.text,
    attachments,
  });
}
