import { and, eq, gte, isNotNull, isNull, like, lt, not, notLike, or, type SQL, sql } from 'drizzle-orm';
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
import { Temporal } from '../../domain/calendar.js';
import { forbidden } from '../access.js';
import { type CsvColumn, csvExport, EXPORT_PAGE_SIZE } from '../lists/csv-export.js';
import type { CursorScope, SortOrder } from '../lists/cursor.js';
import { keysetQuery, likeContains, type Page, pageOf, type SortKey } from '../lists/keyset.js';
import { messageSorts } from '../lists/sorts.js';
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

export type MessageSort = (typeof messageSorts)[number];

export type MessagesFilter = {
  status?: MessageStatus | 'attention' | undefined;
  claimId?: string | undefined;
  maintenanceOrderId?: string | undefined;
  recipient?: string | undefined;
  /** The kind of message: the start of its topic, e.g. `quote.` */
  topic?: string | undefined;
  channel?: MessageChannel | undefined;
  /** Made on or after / on or before, calendar days in the store's time zone. */
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  sort: MessageSort;
  order: SortOrder;
};

export type MessagesListQuery = MessagesFilter & { limit: number; cursor?: string | undefined };

export type MessagesDeps = { db: Database; storeTimeZone: string };

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

const messageSortKeys: Record<MessageSort, SortKey> = {
  createdAt: { expr: outbox.createdAt, type: 'timestamptz' },
};

const startOfDay = (day: string, timeZone: string) =>
  new Date(Temporal.PlainDate.from(day).toZonedDateTime({ timeZone }).epochMilliseconds);

/** A channel as the recipient's form says it (the SQL twin of `channelOf`). */
function channelCondition(channel: MessageChannel): SQL | undefined {
  switch (channel) {
    case 'staff':
      return like(outbox.recipient, 'role:%');
    case 'email':
      return and(notLike(outbox.recipient, 'role:%'), like(outbox.recipient, '%@%'));
    case 'phone':
      return and(notLike(outbox.recipient, 'role:%'), notLike(outbox.recipient, '%@%'));
  }
}

/** The actor's scope and the filters as one condition. */
function messagesWhere(deps: MessagesDeps, actor: Actor, filter: MessagesFilter): SQL | undefined {
  const scope = listFilter(actor, 'messages.read');
  if (scope.kind === 'none') throw forbidden();
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new AppError('invalid', 'INVALID_DATE_RANGE', 'the first day comes after the last');
  }
  const conditions: (SQL | undefined)[] = [];
  if (scope.kind === 'scope') conditions.push(eq(outbox.recipient, roleInbox(actor)));
  if (filter.status === 'attention') {
    conditions.push(or(...attentionStatuses.map(statusCondition)));
  } else if (filter.status) {
    conditions.push(statusCondition(filter.status));
  }
  if (filter.channel) conditions.push(channelCondition(filter.channel));
  if (filter.claimId) conditions.push(eq(text(outbox.payload, 'claimId'), filter.claimId));
  if (filter.maintenanceOrderId) {
    conditions.push(eq(text(outbox.payload, 'maintenanceOrderId'), filter.maintenanceOrderId));
  }
  if (filter.recipient) conditions.push(eq(sql`lower(${outbox.recipient})`, filter.recipient.toLowerCase()));
  if (filter.topic) conditions.push(like(outbox.topic, `${filter.topic.replace(/[\\%_]/g, '\\$&')}%`));
  if (filter.from) conditions.push(gte(outbox.createdAt, startOfDay(filter.from, deps.storeTimeZone)));
  if (filter.to) {
    const next = Temporal.PlainDate.from(filter.to).add({ days: 1 }).toString();
    conditions.push(lt(outbox.createdAt, startOfDay(next, deps.storeTimeZone)));
  }
  if (filter.q) {
    // The recipient and the subject: never the body, whose links are not searched for their secrets.
    const pattern = likeContains(filter.q);
    conditions.push(sql`(${outbox.recipient} ilike ${pattern} or ${outbox.subject} ilike ${pattern})`);
  }
  return and(...conditions);
}

/**
 * Every message the service sent or meant to send, one keyset page at a time, newest first: staff
 * answer "did the customer hear from us?" from here, and work the messages no machine delivers (failed
 * e-mails, phone-only customers).
 */
export async function listMessages(
  deps: MessagesDeps,
  actor: Actor,
  query: MessagesListQuery,
): Promise<Page<MessageView>> {
  const where = messagesWhere(deps, actor, query);
  const scope: CursorScope = { list: 'messages', sort: query.sort, order: query.order };
  const k = keysetQuery({
    scope,
    key: messageSortKeys[query.sort],
    id: outbox.id,
    limit: query.limit,
    cursor: query.cursor,
  });
  const rows = await deps.db
    .select({ row: outbox, keyText: k.keyText })
    .from(outbox)
    .where(and(where, k.after))
    .orderBy(...k.orderBy)
    .limit(query.limit + 1);
  return pageOf(
    rows.map((r) => ({ keyText: r.keyText, id: r.row.id, row: r.row })),
    query.limit,
    scope,
    (r) => messageView(r.row),
  );
}

/** No body and no payload: the links in them act for their recipient. */
const messageColumns: CsvColumn<MessageView>[] = [
  { header: 'message_id', cell: (m) => m.id },
  { header: 'created_at', cell: (m) => m.createdAt },
  { header: 'topic', cell: (m) => m.topic, text: true },
  { header: 'channel', cell: (m) => m.channel },
  { header: 'status', cell: (m) => m.status },
  { header: 'recipient', cell: (m) => m.recipient, text: true },
  { header: 'subject', cell: (m) => m.subject, text: true },
  { header: 'attempts', cell: (m) => m.attempts },
  { header: 'last_error', cell: (m) => m.lastError, text: true },
  { header: 'sent_at', cell: (m) => m.sentAt },
  { header: 'claim_id', cell: (m) => m.claimId },
  { header: 'maintenance_order_id', cell: (m) => m.maintenanceOrderId },
  { header: 'quote_id', cell: (m) => m.quoteId },
  { header: 'reimbursement_id', cell: (m) => m.reimbursementId },
];

/** What the filter selects as CSV, in the list's sort, read page by page. */
export async function exportMessages(deps: MessagesDeps, actor: Actor, filters: MessagesFilter) {
  const where = messagesWhere(deps, actor, filters);
  return csvExport(
    async (upTo) => (await deps.db.select({ id: outbox.id }).from(outbox).where(where).limit(upTo)).length,
    messageColumns,
    (cursor) => listMessages(deps, actor, { ...filters, limit: EXPORT_PAGE_SIZE, cursor }),
  );
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
