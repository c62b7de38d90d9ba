import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../app/errors.js';
import { importDefectReports } from '../../app/oem/import-defect-reports.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { oemDeps } from '../oem-orders/routes.js';
import {
  importDefectReportsBodySchema,
  importDefectReportsQuerySchema,
  importDefectReportsResponseSchema,
} from '../oem-orders/schemas.js';

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
};
