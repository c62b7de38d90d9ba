import { queryOptions } from '@tanstack/react-query';
import {
  type ConversationResponse,
  conversationSchema,
  type WaitingConversationResponse,
  waitingConversationsSchema,
} from '../../../src/http/conversations/schemas.js';
import { storedUploadSchema, uploadTicketSchema } from '../../../src/http/uploads/schemas.js';
import { errorResponseSchema } from '../../../src/http/error-response.js';
import { ApiError, request, send } from '../api.js';

/* A claim's conversation (issue 16): signed in by claim, or as a guest through the tracking link. */

export type Conversation = ConversationResponse;
export type ConversationMessage = ConversationResponse['messages'][number];
export type WaitingConversation = WaitingConversationResponse;

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

/** Staff release a held e-mail into the conversation, or discard it. */
export function decideHeld(messageId: string, decision: 'release' | 'discard'): Promise<Conversation> {
  return send(conversationSchema, 'POST', `/api/v1/conversation-messages/${messageId}/${decision}`);
}

/**
 * A file of the guest's conversation: fetched with the tracking link's token (never put in a URL that
 * browsers keep), then handed to the browser as a download.
 */
export async function openGuestFile(token: string, file: { id: string; fileName: string | null }) {
  let response: Response;
  try {
    response = await fetch(`/api/v1/tracking/conversation/files/${file.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
  } catch (cause) {
    throw new ApiError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = errorResponseSchema.safeParse(body);
    throw parsed.success
      ? new ApiError(response.status, parsed.data.error.code, parsed.data.error.message)
      : new ApiError(response.status, 'HTTP_ERROR', String(response.status));
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName ?? 'file';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}
