import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import type { Database } from '../../db/client.js';
import { conversationMessages, conversations, uploads } from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';
import { MAX_ATTACHMENTS_PER_MESSAGE, MAX_MESSAGE_CHARS } from '../../domain/conversations/conversation.js';
import { isCustomersAddress, replyText } from '../../domain/conversations/reply-mail.js';
import { cleanFileName, isAcceptedUploadType, MAX_UPLOAD_BYTES } from '../../domain/uploads.js';
import { hashToken } from '../accounts/tokens.js';
import { recordAudit } from '../audit.js';
import { writeUploadBytes } from '../uploads/upload-content.js';
import { appendMessage, loadSubject } from './conversation-records.js';

/*
 * A customer's e-mail reply, as the inbound SMTP listener (http/inbound-smtp.ts) hands it over once it
 * has the whole message: appended to the conversation its reply address names, or held for staff, or
 * refused with a reason the sender's mail server turns into a bounce. Never appended silently: a reply
 * from another address than the customer's is held and marked; nothing is dropped without its sender
 * being told.
 */

/** Why an address or a message is refused: the listener answers each with its own SMTP reply. */
export type ReplyRefusal =
  | { code: 'UNKNOWN_REPLY_ADDRESS'; message: string }
  | { code: 'REPLY_ADDRESS_EXPIRED'; message: string }
  | { code: 'MALFORMED_MESSAGE'; message: string }
  | { code: 'EMPTY_REPLY'; message: string }
  | { code: 'ATTACHMENT_REFUSED'; message: string };

export class ReplyRefused extends Error {
  constructor(readonly refusal: ReplyRefusal) {
    super(refusal.message);
    this.name = 'ReplyRefused';
  }
}

const unknown: ReplyRefusal = {
  code: 'UNKNOWN_REPLY_ADDRESS',
  message: 'no conversation has this reply address',
};
const expired: ReplyRefusal = {
  code: 'REPLY_ADDRESS_EXPIRED',
  message: 'this reply address has expired; please write to us from your claim’s page',
};

type Deps = { db: Database; now: () => Temporal.Instant };

/** Whether a reply address's token opens a conversation now: what the listener asks at RCPT TO. */
export async function replyAddressRefusal(deps: Deps, token: string): Promise<ReplyRefusal | null> {
  const [row] = await deps.db
    .select({ expiresAt: conversations.replyTokenExpiresAt })
    .from(conversations)
    .where(eq(conversations.replyTokenHash, hashToken(token)));
  if (!row) return unknown;
  if (row.expiresAt.getTime() <= deps.now().epochMilliseconds) return expired;
  return null;
}

export type InboundReply = {
  token: string;
  /** The From header's address. */
  from: string | null;
  messageId: string | null;
  text: string;
  attachments: readonly { content: Buffer; fileName: string | null }[];
};

export type ReplyOutcome = {
  outcome: 'appended' | 'held' | 'duplicate';
  messageId: string;
  conversationId: string;
};

type CheckedFile = { content: Buffer; fileName: string | null; mediaType: string; sha256: string };

/** Each file through the upload rules: an accepted type by its bytes, at most 10 MB, at most five. */
async function checkedFiles(attachments: InboundReply['attachments']): Promise<CheckedFile[]> {
  if (attachments.length > MAX_ATTACHMENTS_PER_MESSAGE) {
    throw new ReplyRefused({
      code: 'ATTACHMENT_REFUSED',
      message: `a reply carries at most ${MAX_ATTACHMENTS_PER_MESSAGE} files; send the others from your claim’s page`,
    });
  }
  const files: CheckedFile[] = [];
  for (const a of attachments) {
    const name = cleanFileName(a.fileName ?? undefined);
    if (a.content.length === 0 || a.content.length > MAX_UPLOAD_BYTES) {
      throw new ReplyRefused({
        code: 'ATTACHMENT_REFUSED',
        message: `the file ${name ?? '(unnamed)'} is empty or larger than 10 MB`,
      });
    }
    const mediaType = (await fileTypeFromBuffer(a.content))?.mime;
    if (!isAcceptedUploadType(mediaType)) {
      throw new ReplyRefused({
        code: 'ATTACHMENT_REFUSED',
        message: `the file ${name ?? '(unnamed)'} is not a JPEG, PNG, WebP or HEIC photo or a PDF`,
      });
    }
    files.push({
      content: a.content,
      fileName: name,
      mediaType,
      sha256: createHash('sha256').update(a.content).digest('hex'),
    });
  }
  return files;
}

/**
 * Takes a whole reply in one transaction: its files, the message, the conversation's state and the audit
 * events. The listener answers "250" only after this returns, so a process killed before then has
 * committed nothing the sender is not going to send again, or everything; and the sender's retry of a
 * message already kept (its Message-ID, once per conversation under a unique index) is answered as
 * delivered without a second copy.
 */
export async function receiveEmailReply(deps: Deps, reply: InboundReply): Promise<ReplyOutcome> {
  if (!reply.messageId || !reply.from) {
    throw new ReplyRefused({
      code: 'MALFORMED_MESSAGE',
      message: 'a reply needs a From address and a Message-ID',
    });
  }
  const from = reply.from;
  const body = replyText(reply.text).slice(0, MAX_MESSAGE_CHARS);
  const files = await checkedFiles(reply.attachments);
  if (body.trim() === '' && files.length === 0) {
    throw new ReplyRefused({
      code: 'EMPTY_REPLY',
      message: 'the reply has no words of its own above the quoted message, and no file',
    });
  }
  const messageId = reply.messageId.slice(0, 998);
  return deps.db.transaction(async (tx) => {
    const [conversation] = await tx
      .select()
      .from(conversations)
      .where(eq(conversations.replyTokenHash, hashToken(reply.token)))
      .for('update');
    if (!conversation) throw new ReplyRefused(unknown);
    if (conversation.replyTokenExpiresAt.getTime() <= deps.now().epochMilliseconds)
      throw new ReplyRefused(expired);
    const [existing] = await tx
      .select({ id: conversationMessages.id })
      .from(conversationMessages)
      .where(
        and(
          eq(conversationMessages.conversationId, conversation.id),
          eq(conversationMessages.emailMessageId, messageId),
        ),
      );
    if (existing) return { outcome: 'duplicate', messageId: existing.id, conversationId: conversation.id };

    const subject = await loadSubject(tx, conversation.claimId);
    if (!subject) throw new Error('a conversation without its claim');
    const fromCustomer = isCustomersAddress(from, [subject.customer.email, subject.customer.buyerEmail]);
    const uploadIds: string[] = [];
    for (const file of files) {
      const [row] = await tx
        .insert(uploads)
        .values({
          kind: 'photo',
          mediaType: file.mediaType,
          sizeBytes: file.content.length,
          sha256: file.sha256,
          originalName: file.fileName,
          uploadedBy: 'email',
          createdAt: new Date(deps.now().epochMilliseconds),
        })
        .returning({ id: uploads.id });
      if (!row) throw new Error('insert returned no upload');
      await writeUploadBytes(tx, row.id, file.content);
      await recordAudit(tx, 'guest', {
        action: 'upload.stored',
        entityType: 'upload',
        entityId: row.id,
        data: {
          kind: 'photo',
          mediaType: file.mediaType,
          sizeBytes: file.content.length,
          sha256: file.sha256,
          via: 'email',
        },
      });
      uploadIds.push(row.id);
    }
    const id = await appendMessage(tx, deps, conversation, subject, {
      authorKind: 'customer',
      authorRole: null,
      author: 'email',
      // Held mail is for staff only until someone decides whose it is.
      visibility: fromCustomer ? 'public' : 'internal',
      status: fromCustomer ? 'posted' : 'held',
      holdReason: fromCustomer ? null : 'sender_mismatch',
      channel: 'email',
      body,
      uploadIds,
      email: { messageId, from: from.slice(0, 320) },
    });
    return { outcome: fromCustomer ? 'appended' : 'held', messageId: id, conversationId: conversation.id };
  });
}
