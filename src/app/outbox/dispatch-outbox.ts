import { and, asc, eq, isNull, like, lt, lte, or } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { outbox } from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';
import { replyAddress } from '../../domain/conversations/reply-mail.js';
import { replyTokenFor } from '../conversations/reply-tokens.js';
import { type MessageKey, openLink, renderWithLink, SealedLinkError } from './sealed-links.js';

/**
 * What the dispatcher needs of a mail transport: nodemailer over SMTP in production. `id` is the
 * outbox row's: the transport makes the message's Message-ID from it, so a message sent again after a
 * crash is the same message to whoever receives it.
 */
export type Mailer = {
  send(message: {
    id: string;
    to: string;
    subject: string;
    text: string;
    replyTo?: string | undefined;
  }): Promise<void>;
};

/** After this many failures a message stays unsent, with its last error, for someone to look at. */
export const MAX_OUTBOX_ATTEMPTS = 10;

/** 1, 2, 4 … minutes after each failure, at most six hours: a mail server's outage is waited out. */
export function retryDelayMinutes(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1), 6 * 60);
}

export type DispatchResult = { sent: number; failed: number };

/** The text to send: the stored body, with its sealed link (if any) opened and put back in. */
export function messageText(
  messageKey: MessageKey,
  message: { body: string; sealedLink: string | null; recipient: string },
): string {
  if (message.sealedLink === null) return message.body;
  const link = openLink(messageKey, { sealed: message.sealedLink, recipient: message.recipient });
  return renderWithLink(message.body, link);
}

/**
 * The Reply-To of a message from a conversation: its reply address, derived again from the conversation
 * here (the token is never stored), so the customer's answer comes back into it.
 */
export function replyToOf(
  deps: { messageKey: MessageKey; replyDomain?: string | undefined },
  payload: Record<string, unknown>,
): string | undefined {
  const conversationId = payload.conversationId;
  if (!deps.replyDomain || typeof conversationId !== 'string') return undefined;
  return replyAddress(replyTokenFor(deps.messageKey, conversationId), deps.replyDomain);
}

/**
 * Sends the due e-mail messages of the outbox, oldest first, up to a batch of them. Each message is
 * claimed with FOR UPDATE SKIP LOCKED and marked in a transaction of its own, so several processes can
 * dispatch side by side without sending a message twice, and a process killed mid-batch has committed
 * every message but the one it was sending. That one — sent, its mark not committed — goes again on the
 * next run: at-least-once, the only promise a mail server allows, with at most one message per process
 * in that window. The copy carries the same Message-ID (made from the row's id), which is how the
 * receiving side recognises it as the message it already has. Messages to a phone number wait for an
 * SMS channel; only addresses with an @ go by e-mail. A link sealed in the row is opened only here, into
 * the text handed to the mail server; one that does not open (another key, an altered row) will not
 * open on a retry either, so its message is failed at once, with the reason, for staff to see.
 */
export async function dispatchOutbox(
  deps: {
    db: Database;
    mailer: Mailer;
    now: () => Temporal.Instant;
    messageKey: MessageKey;
    /** The domain of conversations' reply addresses; without it, no message carries a Reply-To. */
    replyDomain?: string | undefined;
  },
  options: { batchSize?: number } = {},
): Promise<DispatchResult> {
  const now = new Date(deps.now().epochMilliseconds);
  const result: DispatchResult = { sent: 0, failed: 0 };
  // A row that failed is not due again in this run (its next attempt is later), so each turn advances.
  for (let turn = 0; turn < (options.batchSize ?? 20); turn++) {
    const outcome = await deps.db.transaction(async (tx) => {
      const [message] = await tx
        .select()
        .from(outbox)
        .where(
          and(
            isNull(outbox.sentAt),
            like(outbox.recipient, '%@%'),
            lt(outbox.attempts, MAX_OUTBOX_ATTEMPTS),
            or(isNull(outbox.nextAttemptAt), lte(outbox.nextAttemptAt, now)),
          ),
        )
        .orderBy(asc(outbox.createdAt), asc(outbox.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!message) return 'none';
      try {
        await deps.mailer.send({
          id: message.id,
          to: message.recipient,
          subject: message.subject,
          text: messageText(deps.messageKey, message),
          replyTo: replyToOf(deps, message.payload),
        });
      } catch (error) {
        const attempts = error instanceof SealedLinkError ? MAX_OUTBOX_ATTEMPTS : message.attempts + 1;
        await tx
          .update(outbox)
          .set({
            attempts,
            lastError: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
            nextAttemptAt: new Date(now.getTime() + retryDelayMinutes(attempts) * 60_000),
          })
          .where(eq(outbox.id, message.id));
        return 'failed';
      }
      await tx
        .update(outbox)
        .set({ sentAt: now, attempts: message.attempts + 1, lastError: null, nextAttemptAt: null })
        .where(eq(outbox.id, message.id));
      return 'sent';
    });
    if (outcome === 'none') break;
    result[outcome] += 1;
  }
  return result;
}
