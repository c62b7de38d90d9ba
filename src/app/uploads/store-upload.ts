import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Database } from '../../db/client.js';
import { type UploadKind, uploads } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { type AcceptedUploadType, cleanFileName, isAcceptedUploadType } from '../../domain/uploads.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';

export type StoredUpload = {
  id: string;
  kind: UploadKind;
  mediaType: AcceptedUploadType;
  sizeBytes: number;
  sha256: string;
  fileName: string | null;
};

/**
 * Keeps a proof of purchase or a photo, once its bytes prove to be one of the accepted types. The
 * file and its audit event are one transaction. The caller has already enforced the size limit while
 * reading, so an oversized file never sits whole in memory.
 */
export async function storeUpload(
  deps: { db: Database },
  actor: Actor | null,
  input: { kind: UploadKind; content: Buffer; fileName?: string | undefined },
): Promise<StoredUpload> {
  if (input.content.length === 0) throw new AppError('invalid', 'EMPTY_FILE', 'the file is empty');
  const detected = await fileTypeFromBuffer(input.content);
  const mediaType = detected?.mime;
  if (!isAcceptedUploadType(mediaType)) {
    throw new AppError(
      'unsupported_media_type',
      'UNSUPPORTED_FILE_TYPE',
      'send a JPEG, PNG, WebP or HEIC photo, or a PDF',
      { detected: mediaType ?? 'unknown' },
    );
  }
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  const fileName = cleanFileName(input.fileName);
  const uploadedBy = auditActor(actor ?? 'guest');
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(uploads)
      .values({
        kind: input.kind,
        mediaType,
        sizeBytes: input.content.length,
        sha256,
        originalName: fileName,
        content: input.content,
        uploadedBy,
      })
      .returning({ id: uploads.id });
    if (!row) throw new Error('insert returned no upload');
    await recordAudit(tx, actor ?? 'guest', {
      action: 'upload.stored',
      entityType: 'upload',
      entityId: row.id,
      data: { kind: input.kind, mediaType, sizeBytes: input.content.length, sha256 },
    });
    return { id: row.id, kind: input.kind, mediaType, sizeBytes: input.content.length, sha256, fileName };
  });
}
