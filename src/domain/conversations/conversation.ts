import type { Role } from '../access/access.js';

/*
 * A conversation about one claim (and the maintenance order that repairs it): the customer and the staff
 * working on it write to each other, and staff write internal notes to each other that the customer never
 * sees. Pure: who may post what, what a reader is shown, and what the conversation waits for.
 */

export const messageVisibilities = ['public', 'internal'] as const;
export type MessageVisibility = (typeof messageVisibilities)[number];

/**
 * Who wrote a message: the customer (signed in, through the tracking link, or by e-mail from the address
 * on record), or a person of the staff (their role is kept beside it).
 */
export const authorKinds = ['customer', 'staff'] as const;
export type AuthorKind = (typeof authorKinds)[number];

/** How a message came in. */
export const messageChannels = ['portal', 'tracking_link', 'email'] as const;
export type MessageChannel = (typeof messageChannels)[number];

/**
 * `posted`: part of the conversation. `held`: an e-mail that reached the conversation's reply address but
 * could not be taken as the customer's (another sender): staff see it, marked, and decide; the customer
 * does not see it. Staff release it into the conversation (`posted`, public, its hold reason kept) or
 * discard it (`discarded`: kept for the record, staff only, never the customer's).
 */
export const messageStatuses = ['posted', 'held', 'discarded'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export const holdReasons = ['sender_mismatch'] as const;
export type HoldReason = (typeof holdReasons)[number];

/** What the conversation waits for: nothing yet, a reply from staff, or one from the customer. */
export const conversationStates = ['open', 'waiting_for_staff', 'waiting_for_customer'] as const;
export type ConversationState = (typeof conversationStates)[number];

/** Longest message body kept, in characters (a long e-mail is cut to its reply anyway). */
export const MAX_MESSAGE_CHARS = 10_000;
/** Files one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 5;

/** Who is writing: a role of the staff, the signed-in customer, or a guest holding the tracking link. */
export type Poster = { kind: 'staff'; role: Exclude<Role, 'customer'> } | { kind: 'customer' };

export type PostRefusal =
  | { code: 'INTERNAL_NOTE_NOT_ALLOWED'; message: string }
  | { code: 'EMPTY_MESSAGE'; message: string }
  | { code: 'MESSAGE_TOO_LONG'; message: string; maxChars: number }
  | { code: 'TOO_MANY_ATTACHMENTS'; message: string; max: number };

/** Staff roles that answer customers or keep notes on their claims and orders. */
export const staffRolesWhoPost = ['admin', 'support', 'sales', 'dealer', 'technician'] as const;

/**
 * Whether this poster may post this message: a customer never writes an internal note (they could not
 * read it back), a message says something or carries a file, and it is not longer than kept.
 */
export function postRefusal(
  poster: Poster,
  message: { visibility: MessageVisibility; body: string; attachments: number },
): PostRefusal | null {
  if (poster.kind === 'customer' && message.visibility === 'internal') {
    return { code: 'INTERNAL_NOTE_NOT_ALLOWED', message: 'only staff write internal notes' };
  }
  if (message.body.trim() === '' && message.attachments === 0) {
    return { code: 'EMPTY_MESSAGE', message: 'a message needs words or a file' };
  }
  if (message.body.length > MAX_MESSAGE_CHARS) {
    return {
      code: 'MESSAGE_TOO_LONG',
      message: `a message is at most ${MAX_MESSAGE_CHARS} characters`,
      maxChars: MAX_MESSAGE_CHARS,
    };
  }
  if (message.attachments > MAX_ATTACHMENTS_PER_MESSAGE) {
    return {
      code: 'TOO_MANY_ATTACHMENTS',
      message: `a message carries at most ${MAX_ATTACHMENTS_PER_MESSAGE} files`,
      max: MAX_ATTACHMENTS_PER_MESSAGE,
    };
  }
  return null;
}

/** Who reads the conversation: the customer sees only what was said to and by them. */
export type Reader = 'customer' | 'staff';

/** Whether a reader is shown a message: customers never see internal notes nor held e-mail. */
export function isShownTo(
  reader: Reader,
  message: { visibility: MessageVisibility; status: MessageStatus },
): boolean {
  if (reader === 'staff') return true;
  return message.visibility === 'public' && message.status === 'posted';
}

/**
 * What the conversation waits for after a message: a customer's message waits for staff; a staff reply
 * the customer can read waits for the customer; an internal note or a held e-mail changes nothing.
 */
export function stateAfter(
  state: ConversationState,
  message: { authorKind: AuthorKind; visibility: MessageVisibility; status: MessageStatus },
): ConversationState {
  if (message.status !== 'posted' || message.visibility === 'internal') return state;
  return message.authorKind === 'customer' ? 'waiting_for_staff' : 'waiting_for_customer';
}

/**
 * Since when the conversation has waited for staff: kept from the first unanswered customer message (the
 * queue is oldest first, so a customer who writes three times does not go to the back), cleared by a reply.
 */
export function waitingSinceAfter(
  state: ConversationState,
  waitingSinceMs: number | null,
  message: { authorKind: AuthorKind; visibility: MessageVisibility; status: MessageStatus; atMs: number },
): number | null {
  const next = stateAfter(state, message);
  if (next !== 'waiting_for_staff') return next === state ? waitingSinceMs : null;
  return state === 'waiting_for_staff' && waitingSinceMs !== null ? waitingSinceMs : message.atMs;
}

/** What staff decide about a held e-mail. */
export const heldDecisions = ['release', 'discard'] as const;
export type HeldDecision = (typeof heldDecisions)[number];

/** A held e-mail after the decision: released, it is the customer's message as if it had come from them. */
export function afterHeldDecision(decision: HeldDecision): {
  status: MessageStatus;
  visibility: MessageVisibility;
} {
  return decision === 'release'
    ? { status: 'posted', visibility: 'public' }
    : { status: 'discarded', visibility: 'internal' };
}

/** Whether a staff message counts as contacting the customer (the service commitment's contact). */
export function isCustomerContact(message: {
  authorKind: AuthorKind;
  visibility: MessageVisibility;
  status: MessageStatus;
}): boolean {
  return message.authorKind === 'staff' && message.visibility === 'public' && message.status === 'posted';
}
