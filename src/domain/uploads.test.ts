import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chunkCount,
  cleanFileName,
  isAcceptedUploadType,
  MAX_UPLOAD_BYTES,
  ticketKinds,
  ticketRefusal,
  UPLOAD_CHUNK_BYTES,
  uploadKinds,
  uploadTicketPurposes,
} from './uploads.js';

describe('uploads', () => {
  it('keeps only the last part of a file name, without control characters', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\li\\发票 2026.pdf')).toBe('发票 2026.pdf');
    expect(cleanFileName('a\u0000b\u001fc\u007f.png')).toBe('abc.png');
    expect(cleanFileName('   ')).toBeNull();
    expect(cleanFileName(undefined)).toBeNull();
    expect(cleanFileName('x'.repeat(300))?.length).toBe(200);
  });

  it('accepts photos and PDFs only', () => {
    expect(isAcceptedUploadType('image/jpeg')).toBe(true);
    expect(isAcceptedUploadType('application/pdf')).toBe(true);
    expect(isAcceptedUploadType('image/svg+xml')).toBe(false);
    expect(isAcceptedUploadType('text/html')).toBe(false);
    expect(isAcceptedUploadType(undefined)).toBe(false);
  });
});

describe('upload tickets', () => {
  const ticket = fc.record({
    purpose: fc.constantFrom(...uploadTicketPurposes),
    expiresAtMs: fc.integer({ min: 0, max: 2 ** 40 }),
    usedAtMs: fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: null }),
  });

  it('lets a file in only on a ticket never used, before its expiry, of a kind its flow takes', () => {
    fc.assert(
      fc.property(
        ticket,
        fc.constantFrom(...uploadKinds),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (t, kind, now) => {
          const allowed = t.usedAtMs === null && now < t.expiresAtMs && ticketKinds[t.purpose].includes(kind);
          expect(ticketRefusal(t, kind, now) === null).toBe(allowed);
        },
      ),
    );
  });

  it('refuses a missing ticket whatever else, and a used one before looking at its expiry', () => {
    fc.assert(
      fc.property(ticket, fc.constantFrom(...uploadKinds), fc.integer({ min: 0 }), (t, kind, now) => {
        expect(ticketRefusal(undefined, kind, now)?.code).toBe('UPLOAD_TICKET_INVALID');
        if (t.usedAtMs !== null) expect(ticketRefusal(t, kind, now)?.code).toBe('UPLOAD_TICKET_USED');
      }),
    );
  });

  it('keeps a file of any accepted size in slices that add up to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_UPLOAD_BYTES }), (size) => {
        const n = chunkCount(size);
        expect((n - 1) * UPLOAD_CHUNK_BYTES).toBeLessThan(size);
        expect(n * UPLOAD_CHUNK_BYTES).toBeGreaterThanOrEqual(size);
      }),
    );
  });
});
