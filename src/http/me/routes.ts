import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getMe } from '../../app/accounts/users.js';
import { userSchema } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'me.read' },
      schema: {
        tags: ['accounts'],
        summary: 'Who I am: my account, role and scope',
        response: { 200: userSchema, 401: errorResponseSchema },
      },
    },
    async (request) => getMe({ db: app.db.db }, currentActor(request)),
  );
};
