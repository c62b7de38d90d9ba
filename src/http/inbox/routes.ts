import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readInbox } from '../../app/inbox/read-inbox.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { inboxSchema } from './schemas.js';

/** "Waiting for me" (issue 15), registered under /api/v1. */
export const inboxRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/inbox',
    {
      config: { access: 'inbox.read' },
      schema: {
        tags: ['desk'],
        summary:
          'Waiting for me: conversations, orders, registrations, reimbursements and approvals waiting on my role, oldest first',
        description:
          'Each kind is read through its own queue and its scope (a dealer: its own sales; a technician: its center’s orders); approvals only of kinds the role may decide, never the caller’s own request.',
        response: { 200: inboxSchema, 401: errorResponseSchema, 403: errorResponseSchema },
      },
    },
    async (request) =>
      readInbox(
        {
          db: app.db.db,
          now: app.clock,
          policies: app.policies,
          storeTimeZone: app.config.storeTimeZone,
        },
        currentActor(request),
      ),
  );
};
