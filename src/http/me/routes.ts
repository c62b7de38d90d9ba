import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getMe } from '../../app/accounts/users.js';
import { mayAttempt } from '../../domain/access/access.js';
import { meSchema } from '../accounts-schemas.js';
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
        response: { 200: meSchema, 401: errorResponseSchema },
      },
    },
    async (request) => {
      const actor = currentActor(request);
      const me = await getMe({ db: app.db.db }, actor);
      // The admin console links its Mail page only where there is mail to read, and only for whom may.
      const mailCatcher =
        app.mailCatcher && mayAttempt(actor.role, 'devMail.read') && actor.keyId === undefined;
      return { ...me, mailCatcher };
    },
  );
};
