import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listPolicyVersions, policyInForceOn, policyVersionById } from '../../app/policies/read-policies.js';
import { policyVersionSchema } from '../../domain/policy/schema.js';
import { errorResponseSchema } from '../errors.js';

const policyDocument = policyVersionSchema.meta({ id: 'PolicyVersion' });

export const policyRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ policies: app.policies, storeTimeZone: app.config.storeTimeZone, now: app.clock });

  app.get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policies'],
        summary: 'Every policy version, oldest first',
        response: {
          200: z.array(z.object({ id: z.string(), effectiveFrom: z.string(), maker: z.string() })),
        },
      },
    },
    async () =>
      (await listPolicyVersions(deps())).map((v) => ({
        id: v.id,
        effectiveFrom: v.effectiveFrom,
        maker: v.maker,
      })),
  );

  app.get(
    '/current',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policies'],
        summary: 'The policy version in force on a day (today in the store’s time zone by default)',
        description: 'The public support page is rendered from this document.',
        querystring: z.object({ on: z.string().max(10).optional().describe('YYYY-MM-DD') }).strict(),
        response: { 200: policyDocument, 400: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (request) => policyInForceOn(deps(), request.query.on),
  );

  app.get(
    '/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policies'],
        summary: 'One policy version',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: policyDocument, 404: errorResponseSchema },
      },
    },
    async (request) => policyVersionById(deps(), request.params.id),
  );
};
