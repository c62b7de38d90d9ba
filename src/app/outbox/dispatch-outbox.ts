import { and, asc, eq, isNull, like, lt, lte, or } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { outbox } from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';

/** What the dispatcher needs of a mail transport: nodemailer over SMTP in production. */
export type Mailer = {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
};

/** After this many failures a message stays unsent, with its last error, for someone to look at. */
export const MAX_OUTBOX_ATTEMPTS = 10;

/** 1, 2, 4 … minutes after each failure, at most six hours: a mail server's outage is waited out. */
export function retryDelayMinutes(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1), 6 * 60);
}

export type DispatchResult = { sent: number; failed: number };

/**
 * Sends the due e-mail messages of the outbox, oldest first, a batch at a time. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several processes can dispatch side by side without sending a message
 * twice. A crash between the send and the commit sends that message again on the next run:
 * at-least-once, the only promise a mail server allows. Messages to a phone number wait for an SMS
 * channel; only addresses with an @ go by e-mail.
 */
export async function dispatchOutbox(
  deps: { db: Database; mailer: Mailer; now: () => Temporal.Instant },
  options: { batchSize?: number } = {},
): Promise<DispatchResult> {
  const now = new Date(deps.now().epochMilliseconds);
  return deps.db.transaction(async (tx) => {
    const due = await tx
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
      .orderBy(asc(outbox.createdAt))
      .limit(options.batchSize ?? 20)
      .for('update', { skipLocked: true });

    const result: DispatchResult = { sent: 0, failed: 0 };
    for (const message of due) {
      try {
        await deps.mailer.send({ to: message.recipient, subject: message.subject, text: message.body });
        await tx
          .update(outbox)
          .set({ sentAt: now, attempts: message.attempts + 1, lastError: null, nextAttemptAt: null })
          .where(eq(outbox.id, message.id));
        result.sent += 1;
      } catch (error) {
        const attempts = message.attempts + 1;
        await tx
          .update(outbox)
          .set({
            attempts,
            lastError: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
            nextAttemptAt: new Date(now.getTime() + retryDelayMinutes(attempts) * 60_000),
          })
          .where(eq(outbox.id, message.id));
        result.failed += 1;
      }
    }
    return result;
  });
}
