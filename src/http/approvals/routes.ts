import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decideApproval } from '../../app/approvals/decide-approval.js';
import { getApproval, listApprovals } from '../../app/approvals/read-approvals.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { approvalDecisionRequestSchema, approvalSchema, listApprovalsQuerySchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/** The approvals room: money above the four-eyes threshold waits here for a second person. */
export const approvalRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'approvals.read' },
      schema: {
        tags: ['approvals'],
        summary: 'Requests waiting for (or decided by) a second person, newest first; a dealer: its own',
        querystring: listApprovalsQuerySchema,
        response: { 200: z.array(approvalSchema), ...errors },
      },
    },
    async (request) => listApprovals(app.db.db, currentActor(request), request.query),
  );

  app.get(
    '/:id',
    {
      config: { access: 'approvals.read' },
      schema: {
        tags: ['approvals'],
        summary: 'One approval request',
        params: idParams,
        response: { 200: approvalSchema, ...errors },
      },
    },
    async (request) => getApproval(app.db.db, currentActor(request), request.params.id),
  );

  app.post(
    '/:id/decision',
    {
      config: { access: 'approvals.decide' },
      schema: {
        tags: ['approvals'],
        summary: 'The second person approves or rejects (with a reason)',
        description:
          'Never the requester (409 APPROVAL_SELF_DECISION); only a role allowed for the kind (403 APPROVER_ROLE_NOT_ALLOWED); once (409 APPROVAL_ALREADY_DECIDED, VERSION_CONFLICT).',
        params: idParams,
        body: approvalDecisionRequestSchema,
        response: { 200: approvalSchema, ...errors, 409: errorResponseSchema },
      },
    },
    async (request) =>
      decideApproval(
        { db: app.db.db, now: app.clock },
        currentActor(request),
        request.params.id,
        request.body,
      ),
  );
};
