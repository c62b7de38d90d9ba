import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EXPORT_ROW_CAP } from '../../app/lists/csv-export.js';
import { decideReimbursement } from '../../app/reimbursements/decide-reimbursement.js';
import {
  exportReimbursements,
  getReimbursement,
  listReimbursements,
} from '../../app/reimbursements/read-reimbursements.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { csvDisposition, csvResponseSchema, pageSchema } from '../list-query.js';
import {
  exportReimbursementsQuerySchema,
  listReimbursementsQuerySchema,
  reimbursementDecisionRequestSchema,
  reimbursementSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

export const reimbursementRoutes: FastifyPluginAsyncZod = async (app) => {
  const listDeps = () => ({ db: app.db.db, storeTimeZone: app.config.storeTimeZone });

  app.get(
    '/',
    {
      config: { access: 'reimbursements.read' },
      schema: {
        tags: ['claims'],
        summary: 'What dealers ask back for remedies they carried out (a dealer: its own), a page at a time',
        description:
          'Sorted by `sort` and `order` (newest first by default); the next page is `cursor` = the answer’s `nextCursor`. Filters combine; `q` matches the dealer’s name, a serial handed back or over, and the claim’s maintenance number and customer. Days are the store’s calendar days.',
        querystring: listReimbursementsQuerySchema,
        response: { 200: pageSchema(reimbursementSchema, 'ReimbursementClaimPage'), ...errors },
      },
    },
    async (request) => listReimbursements(listDeps(), currentActor(request), request.query),
  );

  app.get(
    '/export.csv',
    {
      config: { access: 'reimbursements.read' },
      schema: {
        tags: ['claims'],
        summary: 'The reimbursement claims the filter selects, as CSV (text/csv), in the list’s sort',
        description: `Same filters, sort and access as the list; at most ${EXPORT_ROW_CAP} rows (more is a 422 EXPORT_TOO_LARGE).`,
        querystring: exportReimbursementsQuerySchema,
        produces: ['text/csv'],
        response: { 200: csvResponseSchema, ...errors, 422: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const csv = await exportReimbursements(listDeps(), currentActor(request), request.query);
      return (
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', csvDisposition('reimbursements', app.clock()))
          // A stream is sent as it is read; the response schema documents the text it makes.
          .send(csv as unknown as string)
      );
    },
  );

  app.get(
    '/:id',
    {
      config: { access: 'reimbursements.read' },
      schema: {
        tags: ['claims'],
        summary: 'One reimbursement claim',
        params: idParams,
        response: { 200: reimbursementSchema, ...errors },
      },
    },
    async (request) => getReimbursement({ db: app.db.db }, currentActor(request), request.params.id),
  );

  app.post(
    '/:id/decision',
    {
      config: { access: 'reimbursements.decide' },
      schema: {
        tags: ['claims'],
        summary: 'Support approves or rejects (with a reason) a pending reimbursement claim',
        description:
          'Once: a decided claim answers 409; a stale expectedVersion answers 409 VERSION_CONFLICT.',
        params: idParams,
        body: reimbursementDecisionRequestSchema,
        response: { 200: reimbursementSchema, ...errors, 409: errorResponseSchema },
      },
    },
    async (request) =>
      decideReimbursement(
        { db: app.db.db, now: app.clock },
        currentActor(request),
        request.params.id,
        request.body,
      ),
  );
};
