import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeFileName } from './documents.js';

describe('a document’s file name', () => {
  it('is the number people know it by', () => {
    expect(safeFileName('INV-2026-000123')).toBe('INV-2026-000123.pdf');
    expect(safeFileName('return-label', 'M-7K3Q-9XW2')).toBe('return-label-M-7K3Q-9XW2.pdf');
  });

  it('never carries a quote, a path, a header break or anything but letters, digits and dashes', () => {
    expect(safeFileName('"; filename*=x\r\nSet-Cookie: a', '../../etc/passwd')).toBe(
      'filename-x-Set-Cookie-a-etc-passwd.pdf',
    );
    expect(safeFileName('发票')).toBe('document.pdf');
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }), (parts) => {
        expect(safeFileName(...parts)).toMatch(/^[A-Za-z0-9][A-Za-z0-9-]{0,99}\.pdf$/);
      }),
      { numRuns: 50 },
    );
  }, 30_000);
});
