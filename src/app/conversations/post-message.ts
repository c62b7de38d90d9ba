import type { Actor } from '../../domain/access/access.js';
import { type MessageVisibility, type Poster, postRefusal } from '../../domain/conversations/conversation.js';
import { assertAllowed } from '../access.js';
import { auditActor } from '../audit.js';
import { AppError } from '../errors.js';
import {
  appendMessage,
  assertAttachable,
  claimNotFound,
  type ConversationDeps,
  type ConversationView,
  conversationView,
  loadSubject,
  lockConversation,
  readerOf,
} from './conversation-records.js';

export type PostMessageInput = {
  claimId: string;
  body: string;
  visibility: MessageVisibility;
  /** Files the poster uploaded (POST /api/v1/uploads?kind=photo); staff may attach any stored file. */
  attachmentUploadIds: readonly string[];
};

export function posterOf(actor: Actor): Poster {
  return actor.role === 'customer' ? { kind: 'customer' } : { kind: 'staff', role: actor.role };
}

/**
 * Someone signed in writes in a claim's conversation: the customer to the staff, the staff to the customer
 * (who is e-mailed it, with a reply address) or to each other in an internal note. One transaction: the
 * message, its files, the conversation's state, its audit event and the e-mail stand or fall together.
 */
export async function postMessage(
  deps: ConversationDeps,
  actor: Actor,
  input: PostMessageInput,
): Promise<ConversationView> {
  const poster = posterOf(actor);
  const refusal = postRefusal(poster, {
    visibility: input.visibility,
    body: input.body,
    attachments: input.attachmentUploadIds.length,
  });
  if (refusal) {
    const { code, message, ...details } = refusal;
    throw new AppError(
      code === 'INTERNAL_NOTE_NOT_ALLOWED' ? 'forbidden' : 'invalid',
      code,
      message,
      details,
    );
  }
  return deps.db.transaction(async (tx) => {
    const subject = await loadSubject(tx, input.claimId);
    if (!subject) throw new AppError('not_found', claimNotFound.code, claimNotFound.message);
    assertAllowed(actor, 'conversations.post', subject.owners, claimNotFound);
    const me = auditActor(actor);
    // A customer attaches their own files; staff any file already stored (e.g. a photo a guest sent).
    await assertAttachable(
      tx,
      input.attachmentUploadIds,
      (u) => poster.kind === 'staff' || u.uploadedBy === me,
    );
    const conversation = await lockConversation(tx, deps, input.claimId);
    await appendMessage(tx, deps, conversation, subject, {
      authorKind: poster.kind,
      authorRole: poster.kind === 'staff' ? poster.role : null,
      author: actor,
      visibility: input.visibility,
      status: 'posted',
      holdReason: null,
      channel: 'portal',
      body: input.body.trim(),
      uploadIds: input.attachmentUploadIds,
    });
    return conversationView(tx, subject, readerOf(actor));
  });
}
