import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decideReimbursement } from '../../app/reimbursements/decide-reimbursement.js';
import { getReimbursement, listReimbursements } from '../../app/reimbursements/read-reimbursements.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
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
  app.get(
    '/',
    {
      config: { access: 'reimbursements.read' },
      schema: {
        tags: ['claims'],
        summary: 'What dealers ask back for remedies they carried out (a dealer: its own), newest first',
        querystring: listReimbursementsQuerySchema,
        response: { 200: z.array(reimbursementSchema), ...errors },
      },
    },
    async (request) => listReimbursements({ db: app.db.db }, currentActor(request), request.query),
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
