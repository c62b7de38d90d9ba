import { and, eq } from 'drizzle-orm';
import { conversationAttachments, conversationMessages, conversations, uploads } from '../../db/schema.js';
import { isShownTo, postRefusal } from '../../domain/conversations/conversation.js';
import { AppError } from '../errors.js';
import { claimOfGuestLink } from '../guest/guest-links.js';
import type { StoredFile } from '../uploads/read-upload.js';
import { ticketIdOf } from '../uploads/upload-tickets.js';
import {
  appendMessage,
  assertAttachable,
  claimNotFound,
  type ConversationDeps,
  type ConversationView,
  conversationView,
  loadSubject,
  lockConversation,
} from './conversation-records.js';

/*
 * The customer without an account, through the tracking link of their claim: they read what was said to
 * them and answer, with photos sent under an upload ticket (`conversation.reply`). The link is the whole
 * proof of who they are, as it is for following the claim.
 */

export async function readGuestConversation(
  deps: Pick<ConversationDeps, 'db' | 'now'>,
  token: string,
): Promise<ConversationView> {
  const claimId = await claimOfGuestLink(deps.db, { token, purpose: 'claim.track', now: deps.now() });
  const subject = await loadSubject(deps.db, claimId);
  if (!subject) throw new AppError('not_found', claimNotFound.code, claimNotFound.message);
  return conversationView(deps.db, subject, 'customer');
}

export type GuestMessageInput = {
  token: string;
  body: string;
  /** Each file with the ticket it was uploaded under: only its holder may attach it. */
  attachments: readonly { uploadId: string; uploadTicket: string }[];
};

export async function postGuestMessage(
  deps: ConversationDeps,
  input: GuestMessageInput,
): Promise<ConversationView> {
  const refusal = postRefusal(
    { kind: 'customer' },
    { visibility: 'public', body: input.body, attachments: input.attachments.length },
  );
  if (refusal) {
    const { code, message, ...details } = refusal;
    throw new AppError('invalid', code, message, details);
  }
  const claimId = await claimOfGuestLink(deps.db, {
    token: input.token,
    purpose: 'claim.track',
    now: deps.now(),
  });
  return deps.db.transaction(async (tx) => {
    const subject = await loadSubject(tx, claimId);
    if (!subject) throw new AppError('not_found', claimNotFound.code, claimNotFound.message);
    const tickets = new Map<string, string | undefined>();
    for (const a of input.attachments) {
      tickets.set(a.uploadId, await ticketIdOf(tx, a.uploadTicket, 'conversation.reply'));
    }
    await assertAttachable(
      tx,
      input.attachments.map((a) => a.uploadId),
      (u) => u.uploadedBy === 'guest' && u.ticketId !== null && tickets.get(u.id) === u.ticketId,
    );
    const conversation = await lockConversation(tx, deps, claimId);
    await appendMessage(tx, deps, conversation, subject, {
      authorKind: 'customer',
      authorRole: null,
      author: 'guest',
      visibility: 'public',
      status: 'posted',
      holdReason: null,
      channel: 'tracking_link',
      body: input.body.trim(),
      uploadIds: input.attachments.map((a) => a.uploadId),
    });
    return conversationView(tx, subject, 'customer');
  });
}

const fileNotFound = { code: 'UPLOAD_NOT_FOUND', message: 'no such file' };

/**
 * A file of the conversation, for the customer holding its tracking link: only one on a message shown to
 * the customer (not an internal note's, not a held e-mail's) of this very claim's conversation. Any other
 * file, of another claim or of nothing, does not exist for the link.
 */
export async function readGuestConversationFile(
  deps: Pick<ConversationDeps, 'db' | 'now'>,
  input: { token: string; uploadId: string },
): Promise<StoredFile> {
  const claimId = await claimOfGuestLink(deps.db, {
    token: input.token,
    purpose: 'claim.track',
    now: deps.now(),
  });
  const rows = await deps.db
    .select({
      id: uploads.id,
      mediaType: uploads.mediaType,
      sizeBytes: uploads.sizeBytes,
      visibility: conversationMessages.visibility,
      status: conversationMessages.status,
    })
    .from(conversationAttachments)
    .innerJoin(uploads, eq(uploads.id, conversationAttachments.uploadId))
    .innerJoin(conversationMessages, eq(conversationMessages.id, conversationAttachments.messageId))
    .innerJoin(conversations, eq(conversations.id, conversationMessages.conversationId))
    .where(and(eq(conversationAttachments.uploadId, input.uploadId), eq(conversations.claimId, claimId)));
  const file = rows.find((r) => isShownTo('customer', r));
  if (!file) throw new AppError('not_found', fileNotFound.code, fileNotFound.message);
  return { id: file.id, mediaType: file.mediaType, sizeBytes: file.sizeBytes };
}
