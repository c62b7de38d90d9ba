import { createHmac } from 'node:crypto';
import { hashToken } from '../accounts/tokens.js';
import type { MessageKey } from '../outbox/sealed-links.js';

/**
 * A conversation's reply token: 256 bits derived from its id under the installation's message key (the
 * one that seals outbox links, kept out of the database). The database keeps only its SHA-256, to find
 * the conversation by; the outbox dispatcher derives the token again when it writes the Reply-To of a
 * message, so no token is ever at rest — not in the conversation, not in the queued e-mail, not in a
 * backup — and someone who reads the database cannot write into a conversation.
 */
export function replyTokenFor(messageKey: MessageKey, conversationId: string): string {
  return createHmac('sha256', messageKey.key)
    .update(`aftersales conversation reply token v1:${conversationId}`, 'utf8')
    .digest('base64url');
}

export function replyTokenHashFor(messageKey: MessageKey, conversationId: string): string {
  return hashToken(replyTokenFor(messageKey, conversationId));
}

/** A reply address works this long after the last staff reply mailed from its conversation. */
export const REPLY_TOKEN_TTL_DAYS = 180;
