import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createPolicyVersion } from '../../app/policies/create-policy-version.js';
import { listPolicyVersions, policyInForceOn, policyVersionById } from '../../app/policies/read-policies.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
  createPolicyVersionRequestSchema,
  policyDocumentSchema,
  policyVersionSummarySchema,
} from './schemas.js';

export const policyRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ policies: app.policies, storeTimeZone: app.config.storeTimeZone, now: app.clock });

  app.get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policies'],
        summary: 'Every policy version, oldest first',
        response: { 200: z.array(policyVersionSummarySchema) },
      },
    },
    async () =>
      (await listPolicyVersions(deps())).map((v) => ({
        id: v.id,
        effectiveFrom: v.effectiveFrom,
        maker: v.maker,
      })),
  );

  app.post(
    '/',
    {
      config: { access: 'policyVersions.create' },
      schema: {
        tags: ['admin'],
        summary: 'Publish a new policy version, effective from a day after today',
        description:
          'Versions in force are never changed: a claim keeps the version that decided it. The new version ' +
          'decides purchases made on or after its effectiveFrom, which must be after today in the store’s ' +
          'time zone (400 EFFECTIVE_FROM_NOT_IN_FUTURE) and unused (409 POLICY_EFFECTIVE_FROM_TAKEN); its id ' +
          'must be new (409 POLICY_VERSION_EXISTS).',
        body: createPolicyVersionRequestSchema,
        response: {
          201: policyDocumentSchema,
          400: errorResponseSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
          409: errorResponseSchema,
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createPolicyVersion({ ...deps(), db: app.db.db }, currentActor(request), request.body)),
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
        response: { 200: policyDocumentSchema, 400: errorResponseSchema, 404: errorResponseSchema },
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
        response: { 200: policyDocumentSchema, 404: errorResponseSchema },
      },
    },
    async (request) => policyVersionById(deps(), request.params.id),
  );
};
