import type { Database } from '../../db/client.js';
import { uploads } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { type AcceptedUploadType, cleanFileName, type UploadKind } from '../../domain/uploads.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { countHit, readCount } from '../limits/counters.js';
import type { ReceivedFile } from './receive-upload.js';
import { spendUploadTicket } from './upload-tickets.js';
import { writeUploadContent } from './upload-content.js';

export type StoredUpload = {
  id: string;
  kind: UploadKind;
  mediaType: AcceptedUploadType;
  sizeBytes: number;
  sha256: string;
  fileName: string | null;
};

export type UploadDeps = {
  db: Database;
  now: () => Temporal.Instant;
  /** Bytes one client address may store per day (UPLOAD_BYTES_PER_IP_PER_DAY). */
  bytesPerIpPerDay: number;
};

const DAY_MS = 24 * 60 * 60 * 1000;

const dailyBytesKey = (clientIp: string) => `upload-bytes:${clientIp}`;

function dailyCapReached(resetInMs: number, cap: number): AppError {
  return new AppError(
    'too_many_requests',
    'UPLOAD_BYTES_PER_DAY_EXCEEDED',
    `this address has sent the ${Math.floor(cap / (1024 * 1024))} MB of files a day allows; try again in ${Math.ceil(resetInMs / 3_600_000)} h`,
    { limitBytes: cap, retryAfterSeconds: Math.ceil(resetInMs / 1000) },
  );
}

/**
 * Before a byte is read: an address that has used up its day's bytes is refused at once.
 * Exactly how many bytes fit is decided when the file is stored (storeUpload).
 */
export async function assertDailyBytesLeft(deps: UploadDeps, clientIp: string): Promise<void> {
  const state = await readCount(deps.db, {
    key: dailyBytesKey(clientIp),
    windowMs: DAY_MS,
    nowMs: deps.now().epochMilliseconds,
  });
  if (state.count >= deps.bytesPerIpPerDay) throw dailyCapReached(state.resetInMs, deps.bytesPerIpPerDay);
}

/**
 * Keeps a proof of purchase or a photo that has arrived whole and proved to be an accepted type: in one
 * transaction the ticket it came with is spent, the upload and its slices are written, its audit event,
 * and its bytes are counted against the address's day — last, so that the counter's row is locked for
 * the shortest time; over the day's bytes, all of it rolls back and the counter with it. The transaction
 * reads the file from its temporary copy, never from the client, so it is as short as the database is
 * fast, however slow the client was.
 */
export async function storeUpload(
  deps: UploadDeps,
  actor: Actor | null,
  input: {
    kind: UploadKind;
    file: ReceivedFile;
    fileName?: string | undefined;
    ticketId?: string | undefined;
    clientIp: string;
  },
): Promise<StoredUpload> {
  const { file } = input;
  const fileName = cleanFileName(input.fileName);
  const nowMs = deps.now().epochMilliseconds;
  return deps.db.transaction(async (tx) => {
    if (input.ticketId !== undefined) await spendUploadTicket(tx, input.ticketId, nowMs);
    const [row] = await tx
      .insert(uploads)
      .values({
        kind: input.kind,
        mediaType: file.mediaType,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        originalName: fileName,
        uploadedBy: auditActor(actor ?? 'guest'),
        ticketId: input.ticketId ?? null,
        createdAt: new Date(nowMs),
      })
      .returning({ id: uploads.id });
    if (!row) throw new Error('insert returned no upload');
    await writeUploadContent(tx, row.id, file);
    await recordAudit(tx, actor ?? 'guest', {
      action: 'upload.stored',
      entityType: 'upload',
      entityId: row.id,
      data: {
        kind: input.kind,
        mediaType: file.mediaType,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        ...(input.ticketId === undefined ? {} : { ticketId: input.ticketId }),
      },
    });
    const day = await countHit(tx, {
      key: dailyBytesKey(input.clientIp),
      windowMs: DAY_MS,
      nowMs,
      amount: file.sizeBytes,
    });
    if (day.count > deps.bytesPerIpPerDay) throw dailyCapReached(day.resetInMs, deps.bytesPerIpPerDay);
    return {
      id: row.id,
      kind: input.kind,
      mediaType: file.mediaType,
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      fileName,
    };
  });
}
