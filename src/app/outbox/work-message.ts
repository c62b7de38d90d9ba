import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { outbox } from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';
import type { Actor } from '../../domain/access/access.js';
import { messageStatus } from '../../domain/outbox/message-status.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { MAX_OUTBOX_ATTEMPTS } from './dispatch-outbox.js';
import { messageNotFound, type MessageView, messageView } from './read-messages.js';

export type WorkMessageDeps = { db: Database; now: () => Temporal.Instant };

/**
 * What staff do with a message no machine delivered: send a failed e-mail again once the address or
 * the mail server is fixed, or record that they phoned a customer who has no e-mail address.
 */
export type MessageWork = { action: 'retry' } | { action: 'recordCall'; note: string };

export async function workMessage(
  deps: WorkMessageDeps,
  actor: Actor,
  messageId: string,
  work: MessageWork,
): Promise<MessageView> {
  assertAllowed(actor, 'messages.manage', {}, messageNotFound);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(outbox).where(eq(outbox.id, messageId)).for('update');
    if (!row) throw new AppError('not_found', messageNotFound.code, messageNotFound.message);
    const status = messageStatus({ ...row, sent: row.sentAt !== null }, MAX_OUTBOX_ATTEMPTS);
    const expected = work.action === 'retry' ? ['failed', 'retrying'] : ['to_call'];
    if (!expected.includes(status)) {
      throw new AppError(
        'conflict',
        'MESSAGE_NOT_WORKABLE',
        work.action === 'retry'
          ? `only an e-mail that failed can be sent again; this one is ${status}`
          : `only a message to a phone number is delivered by a call; this one is ${status}`,
        { status },
      );
    }
    const now = new Date(deps.now().epochMilliseconds);
    // A retry starts the dispatcher's count afresh and makes the message due at once.
    const set =
      work.action === 'retry'
        ? { attempts: 0, nextAttemptAt: null, lastError: null }
        : { sentAt: now, lastError: null };
    const [updated] = await tx.update(outbox).set(set).where(eq(outbox.id, row.id)).returning();
    if (!updated) throw new Error('update returned no message');
    await recordAudit(tx, actor, {
      action: work.action === 'retry' ? 'message.retried' : 'message.delivered_by_call',
      entityType: 'outbox_message',
      entityId: row.id,
      data:
        work.action === 'retry'
          ? { attempts: row.attempts, lastError: row.lastError }
          : { recipient: row.recipient, note: work.note },
    });
    return messageView(updated);
  });
}
