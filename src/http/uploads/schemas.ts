import { z } from 'zod';
import { acceptedUploadTypes } from '../../domain/uploads.js';

/* Browser-safe: the web app's upload fields use these. */

export const uploadKindSchema = z.enum(['proof_of_purchase', 'photo', 'evidence']);

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
