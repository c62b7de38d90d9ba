import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: unguessable, and it survives being pasted from an e-mail. */
export function newOneTimeToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Only this digest is stored. A token carries 256 bits of entropy, so a fast unsalted hash is enough:
 * there is no dictionary to try, unlike a password.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
