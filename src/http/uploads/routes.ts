import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../app/errors.js';
import { readUpload } from '../../app/uploads/read-upload.js';
import { storeUpload } from '../../app/uploads/store-upload.js';
import { MAX_UPLOAD_BYTES } from '../../domain/uploads.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { storedUploadSchema, uploadQuerySchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  413: errorResponseSchema,
  415: errorResponseSchema,
  429: errorResponseSchema,
};

/*
 * Proofs of purchase and photos of faults. One file per request, read with a hard size limit (the
 * stream is cut, not buffered whole), its type taken from its bytes.
 */
export const uploadRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 50 },
    throwFileSizeLimit: true,
  });

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
          'Accepted: JPEG, PNG, WebP or HEIC photos and PDF documents, recognised by their content. Answers with the id to attach to a purchase or claim.',
        querystring: uploadQuerySchema,
        consumes: ['multipart/form-data'],
        response: { 201: storedUploadSchema, ...errors },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError(
          'unsupported_media_type',
          'MULTIPART_REQUIRED',
          'send the file as multipart/form-data',
        );
      }
      const file = await request.file();
      if (!file) throw new AppError('invalid', 'FILE_REQUIRED', 'the request carries no file');
      const content = await file.toBuffer();
      const stored = await storeUpload({ db: app.db.db }, request.actor, {
        kind: request.query.kind,
        content,
        fileName: file.filename,
      });
      return reply.code(201).send(stored);
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
        // Fastify sends a Buffer as it is; the schema only types it and documents it as binary.
        response: {
          200: z.instanceof(Buffer).meta({ type: 'string', format: 'binary', description: 'The file' }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const row = await readUpload({ db: app.db.db }, currentActor(request), request.params.id);
      // A stored file is shown, never run: no script of it may execute, even if a browser sniffs it.
      return reply
        .header('content-type', row.mediaType)
        .header(
          'content-security-policy',
          "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        )
        .header('content-disposition', row.mediaType === 'application/pdf' ? 'attachment' : 'inline')
        .send(row.content);
    },
  );
};
