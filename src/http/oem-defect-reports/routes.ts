import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../app/errors.js';
import { importDefectReports } from '../../app/oem/import-defect-reports.js';
import { listReviewQueue } from '../../app/oem/defects/read-review-queue.js';
import { requestReturn, reviewDefectReport } from '../../app/oem/defects/review-defect-report.js';
import { z } from 'zod';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { oemDeps } from '../oem-orders/routes.js';
import {
  importDefectReportsBodySchema,
  importDefectReportsQuerySchema,
  importDefectReportsResponseSchema,
  requestReturnRequestSchema,
  reviewDefectReportRequestSchema,
  reviewQueueItemSchema,
  reviewQueueQuerySchema,
  reviewResultSchema,
} from '../oem-orders/schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

/** Many defect reports at once, across the client's orders, as a CSV file. */
const IMPORT_BODY_LIMIT = 4 * 1024 * 1024;

export const oemDefectReportRoutes: FastifyPluginAsyncZod = async (app) => {
  // Only in this plugin: the rest of the API speaks JSON alone.
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
    (_r, body, done) => {
      done(null, body);
    },
  );

  app.post(
    '/import',
    {
      config: { access: 'oemDefects.report' },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['oem'],
        summary: 'Upload defect reports from a CSV file (text/csv): all rows or none',
        description:
          'Every row is checked first (its order must be the client’s, its lot the order’s; lot totals and serials against the other rows and earlier reports). If any is wrong, nothing is written and the answer is 400 IMPORT_REJECTED with `details.rows: [{ row, field, code, message }]` (row as a spreadsheet numbers it: the header is 1). Otherwise every report is written in one transaction.',
        consumes: ['text/csv'],
        querystring: importDefectReportsQuerySchema,
        body: importDefectReportsBodySchema,
        response: {
          201: importDefectReportsResponseSchema,
          400: errorResponseSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
          413: errorResponseSchema,
          415: errorResponseSchema,
        },
      },
      preValidation: async (request) => {
        const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
        if (type !== 'text/csv') {
          throw new AppError('unsupported_media_type', 'CSV_REQUIRED', 'send the file as text/csv');
        }
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await importDefectReports(oemDeps(app), currentActor(request), request.body, {
          clientId: request.query.clientId,
        }),
      ),
  );

  app.get(
    '/reviews',
    {
      config: { access: 'oemDefects.review' },
      schema: {
        tags: ['oem'],
        summary: 'QA’s queue: reports with units not yet accepted or rejected, oldest first',
        querystring: reviewQueueQuerySchema,
        response: { 200: z.array(reviewQueueItemSchema), ...errors },
      },
    },
    async (request) => listReviewQueue(oemDeps(app), currentActor(request), request.query),
  );

  app.post(
    '/:id/review',
    {
      config: { access: 'oemDefects.review' },
      schema: {
        tags: ['oem'],
        summary:
          'QA accepts and/or rejects units of a report (accepted units beyond the spares become excess)',
        description:
          'Accepting rests on the report’s evidence (none: 400 EVIDENCE_REQUIRED) or on the returned units (no return requested: 400 RETURN_NOT_REQUESTED); rejecting needs a reason the client reads (400 REASON_REQUIRED). More units than wait: 409 UNITS_EXCEED_UNDECIDED. expectedVersion is the order’s (stale: 409 VERSION_CONFLICT).',
        params: idParams,
        body: reviewDefectReportRequestSchema,
        response: { 200: reviewResultSchema, ...errors },
      },
    },
    async (request) =>
      reviewDefectReport(oemDeps(app), currentActor(request), request.params.id, request.body),
  );

  app.post(
    '/:id/return-request',
    {
      config: { access: 'oemDefects.review' },
      schema: {
        tags: ['oem'],
        summary: 'QA asks for the reported units back: a return number (RMA) the client ships them against',
        params: idParams,
        body: requestReturnRequestSchema,
        response: { 200: reviewResultSchema, ...errors },
      },
    },
    async (request) => requestReturn(oemDeps(app), currentActor(request), request.params.id, request.body),
  );
};
