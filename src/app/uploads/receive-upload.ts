import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import {
  type AcceptedUploadType,
  isAcceptedUploadType,
  MAX_UPLOAD_BYTES,
  SNIFF_BYTES,
} from '../../domain/uploads.js';
import { AppError } from '../errors.js';

/** A file that has arrived whole and proved to be an accepted type, waiting in a temporary file. */
export type ReceivedFile = {
  path: string;
  sizeBytes: number;
  sha256: string;
  mediaType: AcceptedUploadType;
};

/** The bytes of one multipart file as busboy hands them over; `truncated` once it cut the file at its limit. */
export type IncomingFile = AsyncIterable<Buffer> & { truncated?: boolean };

const TEMP_PREFIX = 'upload-';
const TEMP_SUFFIX = '.part';

function tooLarge(): AppError {
  return new AppError('too_large', 'PAYLOAD_TOO_LARGE', 'the file is larger than 10 MB');
}

async function sniff(head: Buffer): Promise<AcceptedUploadType> {
  const detected = (await fileTypeFromBuffer(head))?.mime;
  if (!isAcceptedUploadType(detected)) {
    throw new AppError(
      'unsupported_media_type',
      'UNSUPPORTED_FILE_TYPE',
      'send a JPEG, PNG, WebP or HEIC photo, or a PDF',
      { detected: detected ?? 'unknown' },
    );
  }
  return detected;
}

/**
 * A body that ends in the middle of the file, or a broken multipart body, is the client's mistake
 * (400), not the server's; the multipart reader's own refusals (413) stay as they are.
 */
export function asClientMistake(err: unknown): Error {
  if (err instanceof AppError) return err;
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (err instanceof Error && typeof status === 'number' && status < 500) return err;
  return new AppError(
    'invalid',
    'MALFORMED_MULTIPART',
    'the multipart body ended or broke before the file did',
    { reason: err instanceof Error ? err.message : String(err) },
  );
}

async function nextChunk(chunks: AsyncIterator<Buffer>): Promise<IteratorResult<Buffer>> {
  try {
    return await chunks.next();
  } catch (err) {
    throw asClientMistake(err);
  }
}

/**
 * Takes a file as it streams in — its SHA-256 computed and its type decided on its first SNIFF_BYTES as
 * they pass — into a temporary file of its own, one network chunk at a time, so the heap never holds
 * more of it than one chunk and the first bytes. Refused as soon as the type is known to be wrong or the
 * size passes the limit, without reading further. `use` gets the whole file; the temporary file is
 * removed afterwards whatever happens (refusal, a client gone mid-way, `use` failing).
 */
export async function withReceivedFile<T>(
  source: IncomingFile,
  options: { tempDir: string; maxBytes?: number },
  use: (file: ReceivedFile) => Promise<T>,
): Promise<T> {
  const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  await mkdir(options.tempDir, { recursive: true, mode: 0o700 });
  const file = path.join(options.tempDir, `${TEMP_PREFIX}${randomUUID()}${TEMP_SUFFIX}`);
  try {
    const handle = await open(file, 'wx', 0o600);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    let head: Buffer[] = [];
    let headBytes = 0;
    let mediaType: AcceptedUploadType | undefined;
    const chunks = source[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await nextChunk(chunks);
        if (next.done === true) break;
        const chunk = next.value;
        sizeBytes += chunk.length;
        // busboy stops at the limit and marks the stream; counting here as well holds without it.
        if (sizeBytes > maxBytes || source.truncated === true) throw tooLarge();
        hash.update(chunk);
        if (mediaType === undefined) {
          head.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
          headBytes += head[head.length - 1]?.length ?? 0;
          if (headBytes >= SNIFF_BYTES) {
            // Copied out of the network chunks so that they are not kept alive by the head.
            mediaType = await sniff(Buffer.from(Buffer.concat(head)));
            head = [];
          }
        }
        await handle.write(chunk);
      }
      if (source.truncated === true) throw tooLarge();
    } finally {
      // Stops and releases the client's stream when the file is refused before its end.
      await chunks.return?.();
      await handle.close();
    }
    if (sizeBytes === 0) throw new AppError('invalid', 'EMPTY_FILE', 'the file is empty');
    mediaType ??= await sniff(Buffer.concat(head));
    return await use({ path: file, sizeBytes, sha256: hash.digest('hex'), mediaType });
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * Removes temporary files a process left behind when it died mid-upload. Only files untouched for
 * `maxAgeMs`: another process sharing the directory may be receiving one right now. Ages are the file
 * system's clock (modification times), not the business clock.
 */
export async function sweepStaleUploadFiles(tempDir: string, maxAgeMs: number): Promise<number> {
  let names: string[];
  try {
    names = await readdir(tempDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX) || !name.endsWith(TEMP_SUFFIX)) continue;
    const file = path.join(tempDir, name);
    try {
      if (now - (await stat(file)).mtimeMs < maxAgeMs) continue;
      await rm(file, { force: true });
      removed++;
    } catch (err) {
      // Removed meanwhile by the upload that owned it.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return removed;
}
