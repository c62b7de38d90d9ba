import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeUserRole, deactivateUser, listUsers } from '../../app/accounts/users.js';
import { roleAssignmentSchema, userSchema } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';

const userParams = z.object({ id: z.string().min(1).max(64) }).strict();
const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db, now: app.clock });

  app.get(
    '/',
    {
      config: { access: 'users.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Every account',
        response: { 200: z.array(userSchema), ...errors },
      },
    },
    async (request) => listUsers(deps(), currentActor(request)),
  );

  app.put(
    '/:id/role',
    {
      config: { access: 'users.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Give an account another role and scope (not customers)',
        params: userParams,
        body: roleAssignmentSchema,
        response: { 200: userSchema, ...errors },
      },
    },
    async (request) => changeUserRole(deps(), currentActor(request), request.params.id, request.body),
  );

  app.post(
    '/:id/deactivate',
    {
      config: { access: 'users.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Deactivate an account: its sessions end and it can no longer sign in',
        params: userParams,
        response: { 200: userSchema, ...errors },
      },
    },
    async (request) => deactivateUser(deps(), currentActor(request), request.params.id),
  );
};
