/*
 * What people may send as a proof of purchase or a photo of a fault, decided on the bytes' own
 * signature: a client's Content-Type and file name are claims, not facts.
 */

/** A phone photo of a receipt is 2–5 MB; a scanned multi-page invoice rarely passes 8. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Files are stored, and served, in slices of this many bytes: small enough that one slice is one
 * short statement and a few hundred kilobytes of memory, large enough that a 10 MB file is 40 rows.
 */
export const UPLOAD_CHUNK_BYTES = 256 * 1024;

/** How many slices a file of this size is kept in. */
export function chunkCount(sizeBytes: number): number {
  return Math.ceil(sizeBytes / UPLOAD_CHUNK_BYTES);
}

/**
 * What a file's type is decided on: file-type reads this many bytes at most for the types accepted
 * here, so a file is refused once they are in, not after all of it.
 */
export const SNIFF_BYTES = 4100;

export const uploadKinds = ['proof_of_purchase', 'photo', 'evidence'] as const;
export type UploadKind = (typeof uploadKinds)[number];

/*
 * Uploads without an account. The only flow that takes a file from someone not signed in is a product
 * registration begun before signing in (the receipt first, the account after); it asks for a ticket, and
 * the file can be attached to a purchase only by whoever shows that ticket again.
 */
export const uploadTicketPurposes = ['purchase.register', 'conversation.reply'] as const;
export type UploadTicketPurpose = (typeof uploadTicketPurposes)[number];

/** The kinds of file each guest flow takes. */
export const ticketKinds: Record<UploadTicketPurpose, readonly UploadKind[]> = {
  'purchase.register': ['proof_of_purchase'],
  /** A guest's photo or PDF of the fault, sent in the conversation through the tracking link. */
  'conversation.reply': ['photo'],
};

/** Long enough to photograph a receipt and send it on a slow line; short enough to be worth little if lost. */
export const UPLOAD_TICKET_TTL_MS = 30 * 60 * 1000;

/** A file attached to nothing this long after it arrived is deleted (jobs/unclaimed-uploads.ts). */
export const UNCLAIMED_UPLOAD_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export type UploadTicketState = {
  purpose: UploadTicketPurpose;
  expiresAtMs: number;
  usedAtMs: number | null;
};

export type TicketRefusal =
  | { code: 'UPLOAD_TICKET_INVALID'; message: string }
  | { code: 'UPLOAD_TICKET_EXPIRED'; message: string }
  | { code: 'UPLOAD_TICKET_USED'; message: string }
  | { code: 'UPLOAD_TICKET_WRONG_KIND'; message: string; allowed: readonly UploadKind[] };

/** Whether a ticket lets one more file of this kind in at this instant; null when it does. */
export function ticketRefusal(
  ticket: UploadTicketState | undefined,
  kind: UploadKind,
  nowMs: number,
): TicketRefusal | null {
  if (!ticket) return { code: 'UPLOAD_TICKET_INVALID', message: 'this upload ticket is not valid' };
  if (ticket.usedAtMs !== null) {
    return { code: 'UPLOAD_TICKET_USED', message: 'this upload ticket has already been used for a file' };
  }
  if (nowMs >= ticket.expiresAtMs) {
    return { code: 'UPLOAD_TICKET_EXPIRED', message: 'this upload ticket has expired; ask for a new one' };
  }
  const allowed = ticketKinds[ticket.purpose];
  if (!allowed.includes(kind)) {
    return {
      code: 'UPLOAD_TICKET_WRONG_KIND',
      message: `this upload ticket takes ${allowed.join(' or ')} files only`,
      allowed,
    };
  }
  return null;
}

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
