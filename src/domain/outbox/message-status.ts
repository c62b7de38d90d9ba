/**
 * What became of a message of the outbox, as staff need to see it. Every message a customer is sent
 * is kept, whether or not it could be sent: a customer known only by a phone number must be called by
 * someone, and a mail server that refuses a message must not make it vanish.
 */

/** How a message reaches its recipient: e-mail, a phone call by staff, or the staff's own queue. */
export type MessageChannel = 'email' | 'phone' | 'staff';

export const messageStatuses = ['queued', 'retrying', 'failed', 'to_call', 'sent', 'internal'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export type MessageFacts = {
  recipient: string;
  /** The mail server took it, or staff recorded the call that delivered it. */
  sent: boolean;
  attempts: number;
};

/** Recipients such as `role:support` are the staff's own notifications, shown in their desk. */
export function channelOf(recipient: string): MessageChannel {
  if (recipient.startsWith('role:')) return 'staff';
  return recipient.includes('@') ? 'email' : 'phone';
}

/**
 * `queued`: waiting for its first attempt (or for SMTP to be configured); `retrying`: an attempt failed
 * and another is due; `failed`: attempts are used up, someone must look; `to_call`: no e-mail address,
 * staff phone the customer; `sent`: the mail server took it, or staff recorded the call; `internal`:
 * a notification to staff, which their desk shows.
 */
export function messageStatus(message: MessageFacts, maxAttempts: number): MessageStatus {
  if (message.sent) return 'sent';
  switch (channelOf(message.recipient)) {
    case 'staff':
      return 'internal';
    case 'phone':
      return 'to_call';
    case 'email':
      if (message.attempts >= maxAttempts) return 'failed';
      return message.attempts > 0 ? 'retrying' : 'queued';
  }
}

/** Query parameters whose value opens something: a guest link, a quote, an invitation, a reset. */
const SECRET_PARAMS = /([?&](?:token|code)=)[^&#\s]+/gi;
/** better-auth puts the password reset token in the path. */
const SECRET_PATH = /(\/reset-password\/)[^/?#\s]+/gi;

/**
 * The text staff may read: links that act for the recipient (sign-up confirmations, password resets,
 * quote acceptances, guest tracking) lose their secret, so reading the outbox never lets anyone act
 * as the customer.
 */
export function withoutSecrets(text: string): string {
  return text.replace(SECRET_PARAMS, '$1…').replace(SECRET_PATH, '$1…');
}
