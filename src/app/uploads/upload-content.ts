import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';
import { chunkCount, UPLOAD_CHUNK_BYTES } from '../../domain/uploads.js';

/*
 * A file's bytes go in and out of `upload_chunks` one slice per statement, as base64 text that the
 * database decodes and encodes itself. Not as a bytea parameter: PGlite turns one into hex in
 * JavaScript a byte at a time (`Array.from(bytes).map(…).join('')`), which took 3.2 s and ~100 MB of
 * heap for 3 MB, blocking every request and, at 4 MB under `--max-old-space-size=160`, killing the
 * process; reading one back parses the hex a byte at a time the same way. Base64 is encoded and decoded
 * natively on both sides (node: Buffer, PostgreSQL: decode/encode), for both drivers alike.
 */

/**
 * Copies a received file into its upload's slices, reading it one slice at a time into one reused
 * buffer: the memory it takes is a slice and its base64 text, whatever the file's size.
 */
export async function writeUploadContent(
  tx: Transaction,
  uploadId: string,
  file: { path: string; sizeBytes: number },
): Promise<void> {
  const handle = await open(file.path, 'r');
  try {
    const slice = Buffer.allocUnsafe(UPLOAD_CHUNK_BYTES);
    const slices = chunkCount(file.sizeBytes);
    for (let seq = 0; seq < slices; seq++) {
      const want = Math.min(UPLOAD_CHUNK_BYTES, file.sizeBytes - seq * UPLOAD_CHUNK_BYTES);
      const { bytesRead } = await handle.read(slice, 0, want, seq * UPLOAD_CHUNK_BYTES);
      if (bytesRead !== want) throw new Error(`the received file ${file.path} is shorter than it was`);
      await tx.execute(
        sql`insert into upload_chunks (upload_id, seq, content)
            values (${uploadId}, ${seq}, decode(${slice.toString('base64', 0, want)}, 'base64'))`,
      );
    }
  } finally {
    await handle.close();
  }
}

/** Bytes given whole (fixtures, small files made by the app): the same slices. */
export async function writeUploadBytes(tx: Database | Transaction, uploadId: string, bytes: Buffer) {
  for (let seq = 0; seq * UPLOAD_CHUNK_BYTES < bytes.length; seq++) {
    const part = bytes.subarray(seq * UPLOAD_CHUNK_BYTES, (seq + 1) * UPLOAD_CHUNK_BYTES);
    await tx.execute(
      sql`insert into upload_chunks (upload_id, seq, content)
          values (${uploadId}, ${seq}, decode(${part.toString('base64')}, 'base64'))`,
    );
  }
}

async function readSlice(db: Database, uploadId: string, seq: number): Promise<Buffer> {
  const [row] = rowsOf(
    await db.execute(
      sql`select encode(content, 'base64') as content from upload_chunks
          where upload_id = ${uploadId} and seq = ${seq}`,
    ),
  );
  if (typeof row?.content !== 'string') {
    // Deleted while being read (the unclaimed-upload job) or never whole: end the response with an error.
    throw new Error(`slice ${seq} of upload ${uploadId} is missing`);
  }
  // PostgreSQL breaks base64 into lines; Buffer's decoder skips the line breaks.
  return Buffer.from(row.content, 'base64');
}

/**
 * The file as a stream that reads one slice when the client is ready for it: serving a 10 MB file to
 * a slow client holds one slice in memory and no connection between slices.
 */
export function uploadContentStream(db: Database, uploadId: string, sizeBytes: number): Readable {
  const slices = chunkCount(sizeBytes);
  async function* read() {
    for (let seq = 0; seq < slices; seq++) yield await readSlice(db, uploadId, seq);
  }
  return Readable.from(read(), { objectMode: false, highWaterMark: 1 });
}
