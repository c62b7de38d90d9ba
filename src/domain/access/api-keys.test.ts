import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  API_KEY_ID_LENGTH,
  apiKeyIdFrom,
  apiKeyStanding,
  bearerOf,
  formatApiKey,
  lastUsedDue,
  LAST_USED_RESOLUTION_MS,
  parseApiKey,
} from './api-keys.js';

const secretArb = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString('base64url'));
const idArb = fc.uint8Array({ minLength: API_KEY_ID_LENGTH, maxLength: API_KEY_ID_LENGTH }).map(apiKeyIdFrom);

describe('API keys', () => {
  it('parses back every key it formats, and nothing with a character changed around it', () => {
    fc.assert(
      fc.property(idArb, secretArb, (id, secret) => {
        const key = formatApiKey(id, secret);
        expect(parseApiKey(key)).toEqual({ id, secret });
        expect(parseApiKey(`${key} `)).toBeUndefined();
        expect(parseApiKey(` ${key}`)).toBeUndefined();
        expect(parseApiKey(key.slice(0, -1))).toBeUndefined();
        expect(parseApiKey(`${key}A`)).toBeUndefined();
        expect(parseApiKey(key.replace('aftersales_key_', 'aftersales_kez_'))).toBeUndefined();
      }),
    );
  });

  it('never parses arbitrary text as a key', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const parsed = parseApiKey(text);
        if (parsed) expect(formatApiKey(parsed.id, parsed.secret)).toBe(text);
      }),
    );
  });

  it('reads a bearer credential and treats any other Authorization as an attempt', () => {
    expect(bearerOf(undefined)).toEqual({ present: false });
    expect(bearerOf('Bearer abc')).toEqual({ present: true, key: 'abc' });
    expect(bearerOf('bearer  abc ')).toEqual({ present: true, key: 'abc' });
    expect(bearerOf('Basic YWRtaW46eA==')).toEqual({ present: true, key: '' });
    expect(bearerOf('Bearer a b')).toEqual({ present: true, key: '' });
  });

  it('stands revoked over expired, and expires at its instant', () => {
    fc.assert(
      fc.property(fc.nat(), fc.option(fc.nat()), fc.option(fc.nat()), (now, revokedAt, expiresAt) => {
        const standing = apiKeyStanding({ revokedAt, expiresAt }, now);
        if (revokedAt !== null) expect(standing).toBe('revoked');
        else if (expiresAt !== null && expiresAt <= now) expect(standing).toBe('expired');
        else expect(standing).toBe('usable');
      }),
    );
  });

  it('writes a last-used time at most once per resolution', () => {
    expect(lastUsedDue(null, 0)).toBe(true);
    expect(lastUsedDue(1_000, 1_000 + LAST_USED_RESOLUTION_MS - 1)).toBe(false);
    expect(lastUsedDue(1_000, 1_000 + LAST_USED_RESOLUTION_MS)).toBe(true);
  });
});
