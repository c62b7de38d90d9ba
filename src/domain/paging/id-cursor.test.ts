import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIdCursor, encodeIdCursor } from './id-cursor.js';

describe('id cursors', () => {
  it('round-trip every positive id', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (id) => {
        expect(decodeIdCursor(encodeIdCursor(id))).toBe(id);
      }),
    );
  });

  it('refuse what they did not write', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const id = decodeIdCursor(text);
        if (id !== undefined) expect(encodeIdCursor(id)).toBe(text);
      }),
    );
    for (const bad of [
      '',
      '42',
      'aWQ6MA',
      'aWQ6LTE',
      'aWQ6YWJj',
      'a b',
      Buffer.from('id:1e3').toString('base64url'),
    ])
      expect(decodeIdCursor(bad)).toBeUndefined();
  });
});
