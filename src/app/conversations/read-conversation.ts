import type { Actor } from '../../domain/access/access.js';
import { assertAllowed } from '../access.js';
import { AppError } from '../errors.js';
import {
  claimNotFound,
  type ConversationDeps,
  type ConversationView,
  conversationView,
  loadSubject,
  readerOf,
} from './conversation-records.js';

/** A claim's conversation: staff see internal notes and held e-mail, marked; the customer does not. */
export async function readConversation(
  deps: Pick<ConversationDeps, 'db'>,
  actor: Actor,
  claimId: string,
): Promise<ConversationView> {
  const subject = await loadSubject(deps.db, claimId);
  if (!subject) throw new AppError('not_found', claimNotFound.code, claimNotFound.message);
  assertAllowed(actor, 'conversations.read', subject.owners, claimNotFound);
  return conversationView(deps.db, subject, readerOf(actor));
}
