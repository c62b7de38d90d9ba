import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { isKeyOfType, likeContains } from './keyset.js';

const scopeArb = fc.record({
  list: fc.constantFrom('claims', 'maintenance-orders'),
  sort: fc.constantFrom('createdAt', 'dueOn', 'state'),
  order: fc.constantFrom('asc' as const, 'desc' as const),
});

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe('list cursors', () => {
  it('decode to the key and id they were made from, for their own list, sort and order', () => {
    fc.assert(
      fc.property(scopeArb, fc.string({ maxLength: 200 }), fc.uuid(), (scope, key, id) => {
        expect(decodeCursor(encodeCursor({ ...scope, key, id }), scope)).toEqual({ key, id });
      }),
    );
  });

  it('made for another list, sort or order are INVALID_CURSOR', () => {
    fc.assert(
      fc.property(scopeArb, scopeArb, fc.uuid(), (made, asked, id) => {
        fc.pre(made.list !== asked.list || made.sort !== asked.sort || made.order !== asked.order);
        const cursor = encodeCursor({ ...made, key: '2026-12-03', id });
        expect(codeOf(() => decodeCursor(cursor, asked))).toBe('INVALID_CURSOR');
      }),
    );
  });

  it('refuses any hostile string with INVALID_CURSOR, never another error', () => {
    const scope = { list: 'claims', sort: 'createdAt', order: 'desc' as const };
    const hostile = fc.oneof(
      fc.string({ maxLength: 2000 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.json().map((j) => Buffer.from(j).toString('base64url')),
      fc
        .record({ l: fc.anything(), s: fc.anything(), o: fc.anything(), k: fc.anything(), i: fc.anything() })
        .map((o) => Buffer.from(JSON.stringify(o)).toString('base64url')),
      fc.constant(Buffer.from('{"__proto__":{"l":"claims"}}').toString('base64url')),
    );
    fc.assert(
      fc.property(hostile, (raw) => {
        expect(codeOf(() => decodeCursor(raw, scope))).toBe('INVALID_CURSOR');
      }),
    );
  });

  it('are base64url: safe in a query string as they are', () => {
    fc.assert(
      fc.property(scopeArb, fc.string(), fc.uuid(), (scope, key, id) => {
        expect(encodeCursor({ ...scope, key, id })).toMatch(/^[A-Za-z0-9_-]+$/);
      }),
    );
  });
});

describe('likeContains', () => {
  it('takes LIKE wildcards literally', () => {
    expect(likeContains('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});

describe('isKeyOfType', () => {
  it('reads back the database’s own text forms', () => {
    expect(isKeyOfType('2026-12-03 11:43:33.123456+00', 'timestamptz')).toBe(true);
    expect(isKeyOfType('2026-12-03 19:43:33+08', 'timestamptz')).toBe(true);
    expect(isKeyOfType('2026-12-03', 'date')).toBe(true);
    expect(isKeyOfType('infinity', 'date')).toBe(true);
    expect(isKeyOfType('infinity', 'timestamptz')).toBe(true);
  });

  it('refuses what a cast would fail on', () => {
    for (const key of ['2026-02-30', '0000-01-01', 'yesterday', '2026-12-03T00:00:00Z']) {
      expect(isKeyOfType(key, 'date'), key).toBe(false);
    }
    expect(isKeyOfType('2026-02-30 10:00:00+00', 'timestamptz')).toBe(false);
    expect(isKeyOfType('2026-12-03 24:00:00+00', 'timestamptz')).toBe(false);
    expect(isKeyOfType('-infinity', 'timestamptz')).toBe(false);
    expect(isKeyOfType('a\u0000b', 'text')).toBe(false);
  });
});
