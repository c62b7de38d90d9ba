import { z } from 'zod';
import { acceptedUploadTypes, uploadKinds, uploadTicketPurposes } from '../../domain/uploads.js';

/* Browser-safe: the web app's upload fields use these. */

export const uploadKindSchema = z.enum(uploadKinds);

export const uploadQuerySchema = z.object({ kind: uploadKindSchema }).strict();

export const storedUploadSchema = z
  .object({
    id: z.uuid(),
    kind: uploadKindSchema,
    mediaType: z.enum(acceptedUploadTypes),
    sizeBytes: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    fileName: z.string().nullable(),
  })
  .meta({ id: 'Upload' });
export type StoredUploadResponse = z.infer<typeof storedUploadSchema>;

/** An upload ticket as issued: 256 random bits, base64url. */
export const uploadTicketField = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'is not an upload ticket')
  .describe('An upload ticket from POST /api/v1/uploads/tickets');

export const uploadHeadersSchema = z.looseObject({
  'upload-ticket': uploadTicketField
    .optional()
    .describe('Without an account: the ticket the guest flow was given (POST /api/v1/uploads/tickets)'),
});

export const uploadTicketRequestSchema = z
  .object({
    purpose: z
      .enum(uploadTicketPurposes)
      .describe(
        'The guest flow that takes the file: `purchase.register`, a receipt sent before signing in; `conversation.reply`, a photo or PDF sent in a claim’s conversation through its tracking link',
      ),
  })
  .strict()
  .meta({ id: 'UploadTicketRequest' });

export const uploadTicketSchema = z
  .object({
    ticket: z.string().describe('Send it as the `Upload-Ticket` header with the file; shown once'),
    purpose: z.enum(uploadTicketPurposes),
    kinds: z.array(uploadKindSchema).describe('The kinds of file it takes'),
    expiresAt: z.iso.datetime().describe('It takes one file until then'),
  })
  .meta({ id: 'UploadTicket' });
