import type { Role } from './access.js';

/*
 * API keys: how a machine (a dealer's point-of-sale system, the maker's ERP) calls the API without a
 * browser. A key acts with a role and a scope exactly as a person of that role would, through the same
 * permission table. Pure: parsing and the rules; the shell stores only the secret's SHA-256.
 *
 * A key reads `aftersales_key_<id>_<secret>`: the fixed prefix lets secret scanners (GitHub's, a
 * company's own) recognise a leaked key; the id finds its row with one indexed read and may be shown
 * to admins; the secret is 32 random bytes in base64url, compared by digest.
 */

export const API_KEY_PREFIX = 'aftersales_key_';

/** 10 characters of Crockford base32 (50 bits): enough to find a row, never enough to use it. */
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const API_KEY_ID_LENGTH = 10;
/** 32 bytes of base64url without padding. */
export const API_KEY_SECRET_LENGTH = 43;

const KEY_PATTERN = new RegExp(
  `^${API_KEY_PREFIX}([${ID_ALPHABET}]{${API_KEY_ID_LENGTH}})_([A-Za-z0-9_-]{${API_KEY_SECRET_LENGTH}})$`,
);

/**
 * Roles a key may have. Never `admin` — a leaked admin key would mint keys and accounts for its
 * holder — and never `customer`, whose account is one person's own.
 */
export const apiKeyRoles = [
  'support',
  'qa',
  'sales',
  'dealer',
  'technician',
  'oem',
] as const satisfies readonly Role[];
export type ApiKeyRole = (typeof apiKeyRoles)[number];

export function isApiKeyRole(role: string): role is ApiKeyRole {
  return (apiKeyRoles as readonly string[]).includes(role);
}

/** Requests a key may make in a minute when its admin set nothing else. */
export const DEFAULT_API_KEY_REQUESTS_PER_MINUTE = 600;
export const MAX_API_KEY_REQUESTS_PER_MINUTE = 100_000;

/** The public id made from random bytes (the shell draws them). */
export function apiKeyIdFrom(bytes: Uint8Array): string {
  if (bytes.length < API_KEY_ID_LENGTH) throw new RangeError('need one byte per id character');
  let id = '';
  for (let i = 0; i < API_KEY_ID_LENGTH; i++) id += ID_ALPHABET.charAt((bytes[i] ?? 0) % 32);
  return id;
}

export function formatApiKey(id: string, secret: string): string {
  return `${API_KEY_PREFIX}${id}_${secret}`;
}

/** The id and secret of a well-formed key; undefined for anything else (nothing is looked up then). */
export function parseApiKey(text: string): { id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  return { id: match[1], secret: match[2] };
}

/** The key an `Authorization` header carries, if it is a bearer credential at all. */
export function bearerOf(header: string | undefined): { present: false } | { present: true; key: string } {
  if (header === undefined) return { present: false };
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  // Any other Authorization value is still an attempt to authenticate: it is answered, not ignored.
  return { present: true, key: match?.[1] ?? '' };
}

export type ApiKeyStanding = 'usable' | 'revoked' | 'expired';

/** Whether a stored key still acts at `nowMs`: revoked wins over expired, both are final. */
export function apiKeyStanding(
  key: { revokedAt: number | null; expiresAt: number | null },
  nowMs: number,
): ApiKeyStanding {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt <= nowMs) return 'expired';
  return 'usable';
}

/**
 * Last-used times are written at most once a minute per key: exact enough to tell a live key from a
 * forgotten one, without a write on every request a machine makes.
 */
export const LAST_USED_RESOLUTION_MS = 60_000;

export function lastUsedDue(lastUsedAt: number | null, nowMs: number): boolean {
  return lastUsedAt === null || nowMs - lastUsedAt >= LAST_USED_RESOLUTION_MS;
}
