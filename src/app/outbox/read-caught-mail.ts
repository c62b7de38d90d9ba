import { and, eq, ilike, isNull, like, or, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { outbox } from '../../db/schema.js';
import { type Actor, mayAttempt } from '../../domain/access/access.js';
import { forbidden } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import type { CursorScope, SortOrder } from '../lists/cursor.js';
import { keysetQuery, likeContains, type Page, pageOf } from '../lists/keyset.js';
import type { caughtMailSorts } from '../lists/sorts.js';
import { messageText } from './dispatch-outbox.js';
import { type MessageKey, SealedLinkError } from './sealed-links.js';

/*
 * The development mail catcher. A server without SMTP_URL sends no e-mail: its messages wait in the
 * outbox, their links sealed. Where the catcher is on (the embedded demo, or MAIL_CATCHER=true), an
 * admin reads those e-mails whole — recipient, subject, the text with its link opened — so whoever tries
 * the demo can follow a sign-up confirmation or a quote link without a mail server.
 *
 * The links are the real ones, single use, acting for their recipient (a password reset among them):
 * reading one is audited, the list shows no text, only people who are admins read it (never an API
 * key), and a server that sends its mail (SMTP_URL) or runs on PostgreSQL without MAIL_CATCHER=true
 * has no catcher at all (404). Mail that really left is never shown: only unsent e-mail is caught.
 */

export type CaughtMailSummary = {
  id: string;
  createdAt: string;
  topic: string;
  recipient: string;
  subject: string;
  /** Whether the message carries a link that acts for its recipient. */
  hasLink: boolean;
};

export type CaughtMail = CaughtMailSummary & {
  /** The e-mail's text as the mail server would have received it: its link whole. */
  text: string;
  /** The links of the text that lead to this server, in order: the ones a reader may follow. */
  links: string[];
  /** Why the message's link did not open (another key, an altered row); the text then shows it cut. */
  linkError: string | null;
};

export type CaughtMailDeps = {
  db: Database;
  messageKey: MessageKey;
  /** Whether this server keeps its e-mail for admins (config.ts `mailCatcherOn`). */
  enabled: boolean;
  /** The origin links in messages point to (PUBLIC_URL's). */
  publicOrigin: string;
};

export type CaughtMailQuery = {
  q?: string | undefined;
  sort: (typeof caughtMailSorts)[number];
  order: SortOrder;
  limit: number;
  cursor?: string | undefined;
};

export const caughtMailNotFound = { code: 'MESSAGE_NOT_FOUND', message: 'no such message' };

/** Who may read caught mail: an admin in person. A machine's key acts for no one's inbox. */
function assertMayRead(deps: CaughtMailDeps, actor: Actor): void {
  if (!mayAttempt(actor.role, 'devMail.read') || actor.keyId !== undefined) throw forbidden();
  if (!deps.enabled) {
    throw new AppError(
      'not_found',
      'MAIL_CATCHER_OFF',
      'this server keeps no mail to read: it sends e-mail through SMTP_URL, or runs on PostgreSQL without MAIL_CATCHER=true',
    );
  }
}

/** E-mail not sent: the catcher's mail. A phone number or a staff inbox is not an e-mail. */
const caught = () => and(isNull(outbox.sentAt), like(outbox.recipient, '%@%'));

function summary(row: {
  id: string;
  createdAt: Date;
  topic: string;
  recipient: string;
  subject: string;
  sealedLink: string | null;
}): CaughtMailSummary {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    topic: row.topic,
    recipient: row.recipient,
    subject: row.subject,
    hasLink: row.sealedLink !== null,
  };
}

/** The caught e-mail, newest first by default, a page at a time; no text, so no link, in the list. */
export async function listCaughtMail(
  deps: CaughtMailDeps,
  actor: Actor,
  query: CaughtMailQuery,
): Promise<Page<CaughtMailSummary>> {
  assertMayRead(deps, actor);
  const scope: CursorScope = { list: 'dev-mail', sort: query.sort, order: query.order };
  const k = keysetQuery({
    scope,
    key: { expr: outbox.createdAt, type: 'timestamptz' },
    id: outbox.id,
    limit: query.limit,
    cursor: query.cursor,
  });
  const text: SQL | undefined = query.q
    ? or(ilike(outbox.recipient, likeContains(query.q)), ilike(outbox.subject, likeContains(query.q)))
    : undefined;
  const rows = await deps.db
    .select({
      id: outbox.id,
      createdAt: outbox.createdAt,
      topic: outbox.topic,
      recipient: outbox.recipient,
      subject: outbox.subject,
      sealedLink: outbox.sealedLink,
      keyText: k.keyText,
    })
    .from(outbox)
    .where(and(caught(), text, k.after))
    .orderBy(...k.orderBy)
    .limit(query.limit + 1);
  return pageOf(rows, query.limit, scope, summary);
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;

/** The text's links to this server: a name or a note in a message may hold any address, never followed. */
function ownLinks(text: string, publicOrigin: string): string[] {
  return [...new Set(text.match(URL_IN_TEXT) ?? [])].filter((url) => {
    try {
      return new URL(url).origin === publicOrigin;
    } catch {
      return false;
    }
  });
}

/**
 * One caught e-mail, whole: its link opened. Audited in the same transaction as the read (who read
 * which message to whom), since the link may reset a password or confirm an address.
 */
export async function readCaughtMail(deps: CaughtMailDeps, actor: Actor, id: string): Promise<CaughtMail> {
  assertMayRead(deps, actor);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(outbox)
      .where(and(eq(outbox.id, id), caught()));
    if (!row) throw new AppError('not_found', caughtMailNotFound.code, caughtMailNotFound.message);
    let text = row.body;
    let linkError: string | null = null;
    try {
      text = messageText(deps.messageKey, row);
    } catch (error) {
      if (!(error instanceof SealedLinkError)) throw error;
      linkError = error.message;
    }
    await recordAudit(tx, actor, {
      action: 'dev_mail.read',
      entityType: 'outbox_message',
      entityId: row.id,
      data: { recipient: row.recipient, topic: row.topic, hasLink: row.sealedLink !== null },
    });
    return { ...summary(row), text, links: ownLinks(text, deps.publicOrigin), linkError };
  });
}
