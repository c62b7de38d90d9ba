import { and, eq } from 'drizzle-orm';
import { conversationMessages, conversations } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import {
  afterHeldDecision,
  type HeldDecision,
  stateAfter,
  waitingSinceAfter,
} from '../../domain/conversations/conversation.js';
import { assertAllowed } from '../access.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import {
  type ConversationDeps,
  type ConversationView,
  conversationView,
  loadSubject,
  readerOf,
} from './conversation-records.js';

const messageNotFound = { code: 'MESSAGE_NOT_FOUND', message: 'no such message' };

/**
 * Staff decide about an e-mail held for them (it came to the conversation's reply address from another
 * sender than the customer): released, it becomes the customer's message, public, its files theirs to see,
 * and the conversation waits for staff from when it arrived; discarded, it stays on the record for staff
 * only. One transaction under the conversation's lock; the update is conditional on the message still
 * being held, so two people deciding at once make one decision and the other is told (409).
 */
export async function decideHeldMessage(
  deps: Pick<ConversationDeps, 'db' | 'now'>,
  actor: Actor,
  input: { messageId: string; decision: HeldDecision },
): Promise<ConversationView> {
  return deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ conversationId: conversationMessages.conversationId, claimId: conversations.claimId })
      .from(conversationMessages)
      .innerJoin(conversations, eq(conversations.id, conversationMessages.conversationId))
      .where(eq(conversationMessages.id, input.messageId));
    if (!found) throw new AppError('not_found', messageNotFound.code, messageNotFound.message);
    const subject = await loadSubject(tx, found.claimId);
    if (!subject) throw new AppError('not_found', messageNotFound.code, messageNotFound.message);
    assertAllowed(actor, 'conversations.judgeHeld', subject.owners, messageNotFound);

    const [conversation] = await tx
      .select()
      .from(conversations)
      .where(eq(conversations.id, found.conversationId))
      .for('update');
    if (!conversation) throw new Error('the conversation of a message is missing');
    const now = deps.now();
    const after = afterHeldDecision(input.decision);
    const [message] = await tx
      .update(conversationMessages)
      .set({
        ...after,
        heldDecidedBy: auditActor(actor),
        heldDecidedAt: new Date(now.epochMilliseconds),
      })
      .where(and(eq(conversationMessages.id, input.messageId), eq(conversationMessages.status, 'held')))
      .returning();
    if (!message) {
      throw new AppError('conflict', 'MESSAGE_NOT_HELD', 'this message is not held: it was decided already');
    }
    const facts = { authorKind: message.authorKind, ...after, atMs: message.createdAt.getTime() };
    const state = stateAfter(conversation.state, facts);
    const waitingSince = waitingSinceAfter(
      conversation.state,
      conversation.waitingSince?.getTime() ?? null,
      facts,
    );
    await tx
      .update(conversations)
      .set({ state, waitingSince: waitingSince === null ? null : new Date(waitingSince) })
      .where(eq(conversations.id, conversation.id));
    await recordAudit(tx, actor, {
      action: input.decision === 'release' ? 'conversation.held_released' : 'conversation.held_discarded',
      entityType: 'claim',
      entityId: subject.claimId,
      data: {
        conversationId: conversation.id,
        messageId: message.id,
        holdReason: message.holdReason,
        emailFrom: message.emailFrom,
        from: conversation.state,
        to: state,
      },
    });
    return conversationView(tx, subject, readerOf(actor));
  });
}
