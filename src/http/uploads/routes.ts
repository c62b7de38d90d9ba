import { Readable } from 'node:stream';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../app/errors.js';
import { readUpload } from '../../app/uploads/read-upload.js';
import { asClientMistake, withReceivedFile } from '../../app/uploads/receive-upload.js';
import { assertDailyBytesLeft, storeUpload, type UploadDeps } from '../../app/uploads/store-upload.js';
import { uploadContentStream } from '../../app/uploads/upload-content.js';
import { issueUploadTicket, usableUploadTicket } from '../../app/uploads/upload-tickets.js';
import { MAX_UPLOAD_BYTES, type UploadKind } from '../../domain/uploads.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
  storedUploadSchema,
  uploadHeadersSchema,
  uploadQuerySchema,
  uploadTicketRequestSchema,
  uploadTicketSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  413: errorResponseSchema,
  415: errorResponseSchema,
  429: errorResponseSchema,
};

/**
 * Files written to the database at once by one process. Receiving is not limited (it is the client's
 * pace, on disk); writing is CPU on both sides, and ten 10 MB transactions at once starved the event loop
 * of a two-core machine. The others wait their turn with their file on disk, holding no connection.
 */
const CONCURRENT_STORES = 2;

/** Runs at most `size` of the given tasks at a time, in the order they came. */
function taskLimiter(size: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** More than a multipart envelope around a file of the largest size: refused before it is read. */
const MULTIPART_ENVELOPE_BYTES = 16 * 1024;

/**
 * A file refused before all of it came (no ticket, wrong type, too large) is answered at once; the rest
 * of a body of declared length — at most MULTIPART_ENVELOPE_BYTES past the limit, checked first — is
 * read and dropped after the answer, so that the client, still sending, gets it and the connection stays
 * usable. A body of unknown length could go on forever: its connection is closed instead.
 */
function discardRestOfBody(request: FastifyRequest, reply: FastifyReply): void {
  if (request.headers['content-length'] === undefined) {
    void reply.header('connection', 'close');
    return;
  }
  reply.raw.once('finish', () => {
    request.raw.unpipe();
    request.raw.resume();
  });
}

/*
 * Proofs of purchase and photos of faults. One file per request, streamed to a temporary file while its
 * digest and type are worked out (app/uploads/receive-upload.ts), then written to the database in one
 * short transaction in slices (upload-content.ts); served back slice by slice. Without an account, a
 * file comes only with a ticket its guest flow asked for.
 */
export const uploadRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 50 },
    throwFileSizeLimit: true,
  });

  const storing = taskLimiter(CONCURRENT_STORES);
  const deps = (): UploadDeps => ({
    db: app.db.db,
    now: app.clock,
    bytesPerIpPerDay: app.config.uploadBytesPerIpPerDay,
  });

  app.post(
    '/tickets',
    {
      config: {
        access: 'public',
        rateLimit: { max: app.config.authRateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['uploads'],
        summary: 'A ticket to send one file without an account, for the guest flow that takes it',
        description:
          'Good for one file of the kinds listed, for 30 minutes; send it as the `Upload-Ticket` header. The file can later be attached only with the same ticket (or by the signed-in person who sent it). Signed-in people need no ticket.',
        body: uploadTicketRequestSchema,
        response: { 201: uploadTicketSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await issueUploadTicket(deps(), request.actor, request.body)),
  );

  const receive = async (
    request: FastifyRequest,
    reply: FastifyReply,
    input: { kind: UploadKind; ticket: string | undefined },
  ) => {
    if (!request.isMultipart()) {
      throw new AppError(
        'unsupported_media_type',
        'MULTIPART_REQUIRED',
        'send the file as multipart/form-data',
      );
    }
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES + MULTIPART_ENVELOPE_BYTES) {
      throw new AppError('too_large', 'PAYLOAD_TOO_LARGE', 'the file is larger than 10 MB');
    }
    const actor = request.actor;
    const ticket =
      input.ticket === undefined
        ? undefined
        : await usableUploadTicket(app.db.db, input.ticket, input.kind, app.clock().epochMilliseconds);
    if (!actor && !ticket) {
      throw new AppError(
        'unauthenticated',
        'UPLOAD_TICKET_REQUIRED',
        'sign in, or send the file with the upload ticket of the page that asks for it',
      );
    }
    await assertDailyBytesLeft(deps(), request.ip);
    const file = await request.file().catch((err: unknown) => {
      throw asClientMistake(err);
    });
    if (!file) throw new AppError('invalid', 'FILE_REQUIRED', 'the request carries no file');
    const stored = await withReceivedFile(file.file, { tempDir: app.config.uploadTempDir }, (received) =>
      storing(() =>
        storeUpload(deps(), actor, {
          kind: input.kind,
          file: received,
          fileName: file.filename,
          ticketId: ticket?.id,
          clientIp: request.ip,
        }),
      ),
    );
    return reply.code(201).send(stored);
  };

  app.post(
    '/',
    {
      config: {
        access: 'public',
        rateLimit: { max: app.config.authRateLimitPerMinute * 3, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['uploads'],
        summary: 'Send a proof of purchase or a photo (multipart/form-data, one file, at most 10 MB)',
        description:
          'Accepted: JPEG, PNG, WebP or HEIC photos and PDF documents, recognised by their content. Signed in, or with an `Upload-Ticket` (POST /api/v1/uploads/tickets). Answers with the id to attach to a purchase or claim. Each client address may store `UPLOAD_BYTES_PER_IP_PER_DAY` bytes a day (`429 UPLOAD_BYTES_PER_DAY_EXCEEDED`).',
        querystring: uploadQuerySchema,
        headers: uploadHeadersSchema,
        consumes: ['multipart/form-data'],
        response: { 201: storedUploadSchema, ...errors },
      },
    },
    async (request, reply) => {
      try {
        return await receive(request, reply, {
          kind: request.query.kind,
          ticket: request.headers['upload-ticket'],
        });
      } catch (err) {
        if (!request.raw.complete) discardRestOfBody(request, reply);
        throw err;
      }
    },
  );

  app.get(
    '/:id',
    {
      config: { access: 'uploads.read' },
      schema: {
        tags: ['uploads'],
        summary:
          'The file itself: staff, its uploader, and the owners of the purchase or defect report it is on',
        params: z.object({ id: z.uuid() }).strict(),
        // The file is streamed as it is; the schema only documents it as binary.
        response: {
          200: z.instanceof(Readable).meta({ type: 'string', format: 'binary', description: 'The file' }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const file = await readUpload({ db: app.db.db }, currentActor(request), request.params.id);
      // A stored file is shown, never run: no script of it may execute, even if a browser sniffs it.
      return reply
        .header('content-type', file.mediaType)
        .header('content-length', file.sizeBytes)
        .header(
          'content-security-policy',
          "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        )
        .header('content-disposition', file.mediaType === 'application/pdf' ? 'attachment' : 'inline')
        .send(uploadContentStream(app.db.db, file.id, file.sizeBytes));
    },
  );
};
