import type { NewOutboxMessage } from '../../db/schema.js';
import type { InvitableRole } from '../../domain/access/access.js';
import { bilingual } from '../messages/index.js';
import type { SealedLink } from '../outbox/sealed-links.js';

/*
 * Messages to people are rows in the outbox, written by the use case that causes them; a dispatcher
 * (SMTP when configured) sends them later. The link each carries acts for its recipient, so the row
 * shows it without its secret and keeps it sealed beside the body (app/outbox/sealed-links.ts). The
 * words are in the message catalogues (app/messages).
 */

export function invitationMessage(input: {
  invitationId: string;
  email: string;
  role: InvitableRole;
  link: SealedLink;
  expiresAt: Date;
}): NewOutboxMessage {
  return {
    topic: 'account.invitation',
    recipient: input.email,
    ...bilingual((m) =>
      m.accounts.invitation({
        role: input.role,
        until: input.expiresAt.toISOString(),
        link: input.link.shown,
      }),
    ),
    sealedLink: input.link.sealed,
    payload: { invitationId: input.invitationId, role: input.role },
  };
}

export function passwordResetMessage(input: {
  email: string;
  name: string;
  link: SealedLink;
}): NewOutboxMessage {
  return {
    topic: 'account.password_reset',
    recipient: input.email,
    ...bilingual((m) => m.accounts.passwordReset({ name: input.name, link: input.link.shown })),
    sealedLink: input.link.sealed,
    payload: {},
  };
}

export function emailVerificationMessage(input: {
  email: string;
  name: string;
  link: SealedLink;
}): NewOutboxMessage {
  return {
    topic: 'account.email_verification',
    recipient: input.email,
    ...bilingual((m) => m.accounts.emailVerification({ name: input.name, link: input.link.shown })),
    sealedLink: input.link.sealed,
    payload: {},
  };
}

/** The owner of an address whose sign-in ceiling closed: strangers are guessing the password. */
export function signInCeilingMessage(input: {
  email: string;
  name: string;
  failures: number;
  withinMinutes: number;
  resetLink: string;
}): NewOutboxMessage {
  return {
    topic: 'account.sign_in_attack',
    recipient: input.email,
    ...bilingual((m) => m.accounts.signInCeiling(input)),
    payload: {},
  };
}

/**
 * Someone tried to sign up with an address that already has an account. Sign-up answers the same
 * either way (so it tells nobody which addresses have accounts); the owner hears of it here instead.
 */
export function signUpAttemptMessage(input: {
  email: string;
  name: string;
  signInLink: string;
  resetLink: string;
}): NewOutboxMessage {
  return {
    topic: 'account.sign_up_existing',
    recipient: input.email,
    ...bilingual((m) => m.accounts.signUpAttempt(input)),
    payload: {},
  };
}
