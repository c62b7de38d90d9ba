import { randomUUID } from 'node:crypto';
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import {
  claims,
  conversationAttachments,
  conversationMessages,
  conversations,
  endUsers,
  maintenanceOrderEvents,
  maintenanceOrders,
  outbox,
  products,
  purchases,
  serviceCenters,
  uploads,
  users,
} from '../../db/schema.js';
import type { Actor, Owners, Role } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import {
  type AuthorKind,
  type ConversationState,
  type HoldReason,
  isCustomerContact,
  isShownTo,
  type MessageChannel,
  type MessageStatus,
  type MessageVisibility,
  type Reader,
  stateAfter,
  waitingSinceAfter,
} from '../../domain/conversations/conversation.js';
import type { MaintenanceState } from '../../domain/maintenance/state-machine.js';
import { type AuditActor, auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { centerToday } from '../maintenance/maintenance-order-records.js';
import { contactStates } from '../maintenance/record-contact.js';
import { bilingual } from '../messages/index.js';
import type { MessageKey } from '../outbox/sealed-links.js';
import { REPLY_TOKEN_TTL_DAYS, replyTokenHashFor } from './reply-tokens.js';

export type ConversationDeps = { db: Database; now: () => Temporal.Instant; messageKey: MessageKey };

export const claimNotFound = { code: 'CLAIM_NOT_FOUND', message: 'no such claim' };

/**
 * The claim a conversation is about, with whose it is: its purchase's dealer, its customer and the center
 * of its latest maintenance order (the one working on it now), and how to reach the customer.
 */
export type ConversationSubject = {
  claimId: string;
  owners: Owners;
  customer: { name: string; email: string | null; phone: string | null; buyerEmail: string | null };
  product: { en: string; zh: string };
  order: {
    id: string;
    maintenanceNumber: string;
    state: MaintenanceState;
    contactedOn: string | null;
    timeZone: string;
  } | null;
};

export async function loadSubject(
  db: Database | Transaction,
  claimId: string,
): Promise<ConversationSubject | undefined> {
  const [row] = await db
    .select({
      claimId: claims.id,
      dealerId: purchases.dealerId,
      endUserId: claims.endUserId,
      name: endUsers.name,
      email: endUsers.email,
      phone: endUsers.phone,
      buyerEmail: purchases.buyerEmail,
      productEn: products.nameEn,
      productZh: products.nameZh,
    })
    .from(claims)
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .innerJoin(products, eq(products.id, purchases.productId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .where(eq(claims.id, claimId));
  if (!row) return undefined;
  const [order] = await db
    .select({
      id: maintenanceOrders.id,
      maintenanceNumber: maintenanceOrders.maintenanceNumber,
      state: maintenanceOrders.state,
      contactedOn: maintenanceOrders.contactedOn,
      serviceCenterId: maintenanceOrders.serviceCenterId,
      timeZone: serviceCenters.timeZone,
    })
    .from(maintenanceOrders)
    .innerJoin(serviceCenters, eq(serviceCenters.id, maintenanceOrders.serviceCenterId))
    .where(eq(maintenanceOrders.claimId, claimId))
    .orderBy(desc(maintenanceOrders.createdAt), desc(maintenanceOrders.id))
    .limit(1);
  return {
    claimId: row.claimId,
    owners: {
      dealerId: row.dealerId,
      endUserId: row.endUserId,
      serviceCenterId: order?.serviceCenterId ?? null,
    },
    customer: { name: row.name, email: row.email, phone: row.phone, buyerEmail: row.buyerEmail },
    product: { en: row.productEn, zh: row.productZh },
    order: order
      ? {
          id: order.id,
          maintenanceNumber: order.maintenanceNumber,
          state: order.state,
          contactedOn: order.contactedOn,
          timeZone: order.timeZone,
        }
      : null,
  };
}

type ConversationRow = typeof conversations.$inferSelect;

/**
 * The claim's conversation, made with its first message, and locked for the message being added: two
 * messages at once are added one after the other, each seeing the state the other left.
 */
export async function lockConversation(
  tx: Transaction,
  deps: Pick<ConversationDeps, 'messageKey' | 'now'>,
  claimId: string,
): Promise<ConversationRow> {
  const id = randomUUID();
  await tx
    .insert(conversations)
    .values({
      id,
      claimId,
      replyTokenHash: replyTokenHashFor(deps.messageKey, id),
      replyTokenExpiresAt: new Date(deps.now().add({ hours: 24 * REPLY_TOKEN_TTL_DAYS }).epochMilliseconds),
    })
    .onConflictDoNothing({ target: conversations.claimId });
  const [row] = await tx.select().from(conversations).where(eq(conversations.claimId, claimId)).for('update');
  if (!row) throw new Error('the conversation just made is missing');
  // A conversation made without the message key (the demo seed) gets its reply address now.
  const hash = replyTokenHashFor(deps.messageKey, row.id);
  if (row.replyTokenHash !== hash) {
    await tx.update(conversations).set({ replyTokenHash: hash }).where(eq(conversations.id, row.id));
    return { ...row, replyTokenHash: hash };
  }
  return row;
}

export type NewMessage = {
  authorKind: AuthorKind;
  /** The staff member's role; null for the customer. */
  authorRole: Role | null;
  author: AuditActor | 'email';
  visibility: MessageVisibility;
  status: MessageStatus;
  holdReason: HoldReason | null;
  channel: MessageChannel;
  body: string;
  uploadIds: readonly string[];
  email?: { messageId: string; from: string } | undefined;
};

/**
 * Adds a message to a locked conversation, in the caller's transaction: the message and its files, what
 * the conversation now waits for, the audit event; for a staff reply the customer reads, the e-mail to
 * the customer (whose Reply-To brings their answer back) and, on a maintenance order under its service
 * commitment, the contact the commitment asks for.
 */
export async function appendMessage(
  tx: Transaction,
  deps: Pick<ConversationDeps, 'now'>,
  conversation: ConversationRow,
  subject: ConversationSubject,
  message: NewMessage,
): Promise<string> {
  const now = deps.now();
  const at = new Date(now.epochMilliseconds);
  const author = message.author === 'email' ? 'email' : auditActor(message.author);
  const [row] = await tx
    .insert(conversationMessages)
    .values({
      conversationId: conversation.id,
      authorKind: message.authorKind,
      authorRole: message.authorRole,
      author,
      visibility: message.visibility,
      status: message.status,
      holdReason: message.holdReason,
      channel: message.channel,
      body: message.body,
      emailMessageId: message.email?.messageId ?? null,
      emailFrom: message.email?.from ?? null,
      createdAt: at,
    })
    .returning({ id: conversationMessages.id });
  if (!row) throw new Error('insert returned no message');
  if (message.uploadIds.length > 0) {
    await tx
      .insert(conversationAttachments)
      .values(message.uploadIds.map((uploadId) => ({ messageId: row.id, uploadId })));
  }

  const facts = { ...message, atMs: now.epochMilliseconds };
  const state = stateAfter(conversation.state, facts);
  const waitingSince = waitingSinceAfter(
    conversation.state,
    conversation.waitingSince?.getTime() ?? null,
    facts,
  );
  const contact = isCustomerContact(message);
  await tx
    .update(conversations)
    .set({
      state,
      waitingSince: waitingSince === null ? null : new Date(waitingSince),
      lastMessageAt: at,
      // Each staff reply mailed keeps the reply address working for its customer's answer.
      ...(contact
        ? { replyTokenExpiresAt: new Date(now.add({ hours: 24 * REPLY_TOKEN_TTL_DAYS }).epochMilliseconds) }
        : {}),
    })
    .where(eq(conversations.id, conversation.id));
  await recordAudit(tx, message.author === 'email' ? 'guest' : message.author, {
    action: message.status === 'held' ? 'conversation.message_held' : 'conversation.message_posted',
    entityType: 'claim',
    entityId: subject.claimId,
    data: {
      conversationId: conversation.id,
      messageId: row.id,
      authorKind: message.authorKind,
      visibility: message.visibility,
      channel: message.channel,
      attachments: message.uploadIds.length,
      from: conversation.state,
      to: state,
      ...(message.holdReason ? { holdReason: message.holdReason, emailFrom: message.email?.from } : {}),
    },
  });

  if (contact) {
    await mailReplyToCustomer(tx, conversation.id, subject, row.id, message);
    await recordCommitmentContact(tx, now, subject, message.author, row.id);
  }
  return row.id;
}

async function mailReplyToCustomer(
  tx: Transaction,
  conversationId: string,
  subject: ConversationSubject,
  messageId: string,
  message: NewMessage,
): Promise<void> {
  const recipient = subject.customer.email ?? subject.customer.phone;
  if (!recipient) return;
  const mail = bilingual((m, lang) =>
    m.conversations.staffReplied({
      customerName: subject.customer.name,
      number: subject.order?.maintenanceNumber ?? null,
      product: subject.product[lang],
      text: message.body,
      attachments: message.uploadIds.length,
    }),
  );
  await tx.insert(outbox).values({
    topic: 'conversation.reply',
    recipient,
    subject: mail.subject,
    body: mail.body,
    // The dispatcher writes the Reply-To from the conversation (app/conversations/reply-tokens.ts).
    payload: {
      claimId: subject.claimId,
      conversationId,
      messageId,
      ...(subject.order ? { maintenanceOrderId: subject.order.id } : {}),
    },
  });
}

/**
 * A staff reply the customer reads is the contact the service commitment asks for: the first one on an
 * order the center holds sets its contact day, and each is on the order's timeline as a contact.
 */
async function recordCommitmentContact(
  tx: Transaction,
  now: Temporal.Instant,
  subject: ConversationSubject,
  actor: AuditActor | 'email',
  messageId: string,
): Promise<void> {
  const order = subject.order;
  if (!order || actor === 'email' || !contactStates.includes(order.state)) return;
  const today = centerToday({ timeZone: order.timeZone }, now).toString();
  const [updated] = await tx
    .update(maintenanceOrders)
    .set({
      contactedOn: sql`coalesce(${maintenanceOrders.contactedOn}, ${today}::date)`,
      updatedAt: new Date(now.epochMilliseconds),
    })
    .where(eq(maintenanceOrders.id, order.id))
    .returning({ state: maintenanceOrders.state });
  if (!updated) return;
  await tx.insert(maintenanceOrderEvents).values({
    orderId: order.id,
    kind: 'contact',
    fromState: updated.state,
    toState: updated.state,
    on: today,
    at: new Date(now.epochMilliseconds),
    actor: auditActor(actor),
    note: null,
  });
  await recordAudit(tx, actor, {
    action: 'maintenance_order.customer_contacted',
    entityType: 'maintenance_order',
    entityId: order.id,
    data: { on: today, first: order.contactedOn === null, via: 'conversation', messageId },
  });
}

/**
 * Files to attach, each checked under a share lock (so the unclaimed-upload job, which skips locked rows,
 * cannot delete one meanwhile): it exists, is on no other message, and is the poster's to attach.
 */
export async function assertAttachable(
  tx: Transaction,
  uploadIds: readonly string[],
  mayAttach: (upload: { id: string; uploadedBy: string; ticketId: string | null }) => boolean,
): Promise<void> {
  if (uploadIds.length === 0) return;
  if (new Set(uploadIds).size !== uploadIds.length) {
    throw new AppError('invalid', 'DUPLICATE_ATTACHMENT', 'a file is attached once');
  }
  const rows = await tx
    .select({ id: uploads.id, uploadedBy: uploads.uploadedBy, ticketId: uploads.ticketId })
    .from(uploads)
    .where(inArray(uploads.id, [...uploadIds]))
    .for('share');
  const attached = await tx
    .select({ uploadId: conversationAttachments.uploadId })
    .from(conversationAttachments)
    .where(inArray(conversationAttachments.uploadId, [...uploadIds]));
  for (const uploadId of uploadIds) {
    const upload = rows.find((r) => r.id === uploadId);
    if (!upload || !mayAttach(upload)) {
      throw new AppError('not_found', 'UPLOAD_NOT_FOUND', 'no such file of yours to attach', { uploadId });
    }
    if (attached.some((a) => a.uploadId === uploadId)) {
      throw new AppError('conflict', 'UPLOAD_ALREADY_ATTACHED', 'this file is already on a message', {
        uploadId,
      });
    }
  }
}

/** A message as its reader sees it. */
export type MessageView = {
  id: string;
  authorKind: AuthorKind;
  authorRole: Role | null;
  /** Staff readers see who wrote; a customer sees the role only. */
  authorName: string | null;
  visibility: MessageVisibility;
  status: MessageStatus;
  holdReason: HoldReason | null;
  channel: MessageChannel;
  body: string;
  /** An e-mail's sender: for staff, to judge a held message. */
  emailFrom: string | null;
  createdAt: string;
  attachments: { id: string; fileName: string | null; mediaType: string; sizeBytes: number }[];
};

export type ConversationView = {
  /** Null until the first message. */
  id: string | null;
  claimId: string;
  state: ConversationState;
  waitingSince: string | null;
  maintenanceNumber: string | null;
  messages: MessageView[];
};

export async function conversationView(
  db: Database | Transaction,
  subject: ConversationSubject,
  reader: Reader,
): Promise<ConversationView> {
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(eq(conversations.claimId, subject.claimId));
  const base = {
    claimId: subject.claimId,
    maintenanceNumber: subject.order?.maintenanceNumber ?? null,
  };
  if (!conversation) return { id: null, state: 'open', waitingSince: null, messages: [], ...base };
  const rows = await db
    .select({
      message: conversationMessages,
      authorName: users.name,
    })
    .from(conversationMessages)
    .leftJoin(users, sql`${conversationMessages.author} = 'user:' || ${users.id}`)
    .where(eq(conversationMessages.conversationId, conversation.id))
    .orderBy(asc(conversationMessages.seq));
  const shown = rows.filter((r) => isShownTo(reader, r.message));
  const files =
    shown.length === 0
      ? []
      : await db
          .select({
            messageId: conversationAttachments.messageId,
            id: uploads.id,
            fileName: uploads.originalName,
            mediaType: uploads.mediaType,
            sizeBytes: uploads.sizeBytes,
          })
          .from(conversationAttachments)
          .innerJoin(uploads, eq(uploads.id, conversationAttachments.uploadId))
          .where(
            inArray(
              conversationAttachments.messageId,
              shown.map((r) => r.message.id),
            ),
          )
          .orderBy(asc(uploads.createdAt), asc(uploads.id));
  return {
    id: conversation.id,
    state: conversation.state,
    waitingSince: conversation.waitingSince?.toISOString() ?? null,
    ...base,
    messages: shown.map(({ message: m, authorName }) => ({
      id: m.id,
      authorKind: m.authorKind,
      authorRole: m.authorRole,
      authorName: reader === 'staff' ? authorName : null,
      visibility: m.visibility,
      status: m.status,
      holdReason: m.holdReason,
      channel: m.channel,
      body: m.body,
      emailFrom: reader === 'staff' ? m.emailFrom : null,
      createdAt: m.createdAt.toISOString(),
      attachments: files
        .filter((f) => f.messageId === m.id)
        .map(({ id, fileName, mediaType, sizeBytes }) => ({ id, fileName, mediaType, sizeBytes })),
    })),
  };
}

/** Whether the actor reads as staff (internal notes, held e-mail) or as the customer. */
export function readerOf(actor: Actor): Reader {
  return actor.role === 'customer' ? 'customer' : 'staff';
}
