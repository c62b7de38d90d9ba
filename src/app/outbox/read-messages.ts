import {
  and,
  desc,
  eq,
  gte,
  isNotNull,
  isNull,
  like,
  lt,
  not,
  notLike,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type OutboxMessage, outbox } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import {
  channelOf,
  type MessageChannel,
  type MessageStatus,
  messageStatus,
  withoutSecrets,
} from '../../domain/outbox/message-status.js';
import { forbidden } from '../access.js';
import { AppError } from '../errors.js';
import { MAX_OUTBOX_ATTEMPTS } from './dispatch-outbox.js';

export type MessageView = {
  id: string;
  createdAt: string;
  topic: string;
  recipient: string;
  channel: MessageChannel;
  status: MessageStatus;
  subject: string;
  /** Links that act for the recipient are shown without their secret. */
  body: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  /** What the message is about, for a link back to it. */
  claimId: string | null;
  maintenanceOrderId: string | null;
  quoteId: string | null;
  reimbursementId: string | null;
};

/** The staff's to-do: what no machine will deliver. */
export const attentionStatuses = ['failed', 'to_call'] as const satisfies readonly MessageStatus[];

export type MessagesFilter = {
  status?: MessageStatus | 'attention' | undefined;
  claimId?: string | undefined;
  maintenanceOrderId?: string | undefined;
  recipient?: string | undefined;
  topic?: string | undefined;
  /** The id of the last message of the previous page. */
  before?: string | undefined;
  limit?: number | undefined;
};

export type MessagesDeps = { db: Database };

export const messageNotFound = { code: 'MESSAGE_NOT_FOUND', message: 'no such message' };

const text = (column: SQL | typeof outbox.payload, key: string) => sql<string>`${column}->>${key}`;

function idIn(payload: Record<string, unknown>, key: string): string | null {
  const value = payload[key];
  return typeof value === 'string' ? value : null;
}

export function messageView(row: OutboxMessage): MessageView {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    topic: row.topic,
    recipient: row.recipient,
    channel: channelOf(row.recipient),
    status: messageStatus({ ...row, sent: row.sentAt !== null }, MAX_OUTBOX_ATTEMPTS),
    subject: row.subject,
    body: withoutSecrets(row.body),
    attempts: row.attempts,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    sentAt: row.sentAt?.toISOString() ?? null,
    claimId: idIn(row.payload, 'claimId'),
    maintenanceOrderId: idIn(row.payload, 'maintenanceOrderId'),
    quoteId: idIn(row.payload, 'quoteId'),
    reimbursementId: idIn(row.payload, 'reimbursementId'),
  };
}

/** The SQL twin of `messageStatus`, so a page of one status is read by the database, not filtered after. */
function statusCondition(status: MessageStatus): SQL | undefined {
  const unsent = isNull(outbox.sentAt);
  const email = like(outbox.recipient, '%@%');
  const staff = like(outbox.recipient, 'role:%');
  switch (status) {
    case 'sent':
      return isNotNull(outbox.sentAt);
    case 'internal':
      return and(unsent, staff);
    case 'to_call':
      return and(unsent, not(email), not(staff));
    case 'failed':
      return and(
        unsent,
        notLike(outbox.recipient, 'role:%'),
        email,
        gte(outbox.attempts, MAX_OUTBOX_ATTEMPTS),
      );
    case 'retrying':
      return and(
        unsent,
        notLike(outbox.recipient, 'role:%'),
        email,
        gte(outbox.attempts, 1),
        lt(outbox.attempts, MAX_OUTBOX_ATTEMPTS),
      );
    case 'queued':
      return and(unsent, notLike(outbox.recipient, 'role:%'), email, eq(outbox.attempts, 0));
  }
}

/**
 * Every message the service sent or meant to send, newest first: staff answer "did the customer hear
 * from us?" from here, and work the messages no machine delivers (failed e-mails, phone-only customers).
 */
export async function listMessages(
  deps: MessagesDeps,
  actor: Actor,
  filter: MessagesFilter,
): Promise<MessageView[]> {
  const scope = listFilter(actor, 'messages.read');
  if (scope.kind === 'none') throw forbidden();
  const conditions: (SQL | undefined)[] = [];
  if (scope.kind === 'scope') conditions.push(eq(outbox.recipient, roleInbox(actor)));
  if (filter.status === 'attention') {
    conditions.push(or(...attentionStatuses.map(statusCondition)));
  } else if (filter.status) {
    conditions.push(statusCondition(filter.status));
  }
  if (filter.claimId) conditions.push(eq(text(outbox.payload, 'claimId'), filter.claimId));
  if (filter.maintenanceOrderId) {
    conditions.push(eq(text(outbox.payload, 'maintenanceOrderId'), filter.maintenanceOrderId));
  }
  if (filter.recipient) conditions.push(eq(sql`lower(${outbox.recipient})`, filter.recipient.toLowerCase()));
  if (filter.topic) conditions.push(like(outbox.topic, `${filter.topic.replace(/[\\%_]/g, '\\$&')}%`));
  if (filter.before) {
    const [cursor] = await deps.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.id, filter.before));
    if (!cursor) {
      throw new AppError('invalid', 'UNKNOWN_CURSOR', 'the page to continue from is not a message');
    }
    // Compared in the database: a JavaScript Date would drop the microseconds of the timestamp.
    conditions.push(
      sql`(${outbox.createdAt}, ${outbox.id}) < (select o.created_at, o.id from outbox o where o.id = ${cursor.id})`,
    );
  }
  const rows = await deps.db
    .select()
    .from(outbox)
    .where(and(...conditions))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(filter.limit ?? 50);
  return rows.map(messageView);
}

export async function getMessage(deps: MessagesDeps, actor: Actor, messageId: string): Promise<MessageView> {
  const scope = listFilter(actor, 'messages.read');
  if (scope.kind === 'none') throw forbidden();
  const [row] = await deps.db.select().from(outbox).where(eq(outbox.id, messageId));
  // Another inbox's message does not exist for a role that reads its own.
  if (!row || (scope.kind === 'scope' && row.recipient !== roleInbox(actor))) {
    throw new AppError('not_found', messageNotFound.code, messageNotFound.message);
  }
  return messageView(row);
}

/** The notices a role without a scope of its own reads: those addressed to the role itself. */
function roleInbox(actor: Actor): string {
  return `role:${actor.role}`;
}
