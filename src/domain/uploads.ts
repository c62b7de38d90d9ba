/*
 * What people may send as a proof of purchase or a photo of a fault, decided on the bytes' own
 * signature: a client's Content-Type and file name are claims, not facts.
 */

/** A phone photo of a receipt is 2–5 MB; a scanned multi-page invoice rarely passes 8. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export const acceptedUploadTypes = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'application/pdf',
] as const;
export type AcceptedUploadType = (typeof acceptedUploadTypes)[number];

export function isAcceptedUploadType(mediaType: string | undefined): mediaType is AcceptedUploadType {
  return mediaType !== undefined && (acceptedUploadTypes as readonly string[]).includes(mediaType);
}

/** Keeps a file name for people to recognise, without paths or control characters. */
export function cleanFileName(name: string | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = Array.from(base)
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned === '' ? null : cleaned;
}
