import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../app/api-keys/api-keys.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { apiKeySchema, createApiKeyRequestSchema, createdApiKeySchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

/** Keys for machines: an admin makes one (its secret shown once), sees when each last acted, revokes it. */
export const apiKeyRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db, now: app.clock });

  app.get(
    '/',
    {
      config: { access: 'apiKeys.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Every API key, newest first, without secrets',
        response: { 200: z.array(apiKeySchema), ...errors },
      },
    },
    async (request) => listApiKeys(deps(), currentActor(request)),
  );

  app.post(
    '/',
    {
      config: { access: 'apiKeys.manage' },
      schema: {
        tags: ['admin'],
        summary:
          'Make a key for a machine: a role and scope as for a person (audited; the secret is shown once)',
        body: createApiKeyRequestSchema,
        response: { 201: createdApiKeySchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await createApiKey(deps(), currentActor(request), request.body);
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/:id/revoke',
    {
      config: { access: 'apiKeys.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Revoke a key: its next request, to any process, is refused (audited)',
        params: idParams,
        response: { 200: apiKeySchema, ...errors },
      },
    },
    async (request) => revokeApiKey(deps(), currentActor(request), request.params.id),
  );
};
