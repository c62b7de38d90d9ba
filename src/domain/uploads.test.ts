import { describe, expect, it } from 'vitest';
import { cleanFileName, isAcceptedUploadType } from './uploads.js';

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
