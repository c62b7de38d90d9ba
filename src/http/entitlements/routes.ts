import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { evaluateEntitlement } from '../../app/entitlements/evaluate-entitlement.js';
import { presentDecision } from '../../app/entitlements/present-decision.js';
import { errorResponseSchema } from '../errors.js';
import { readerLanguage } from '../language.js';
import { evaluateQuerySchema, evaluateRequestSchema, evaluateResponseSchema } from './schemas.js';

export const entitlementRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/evaluate',
    {
      config: {
        access: 'public',
        // Fails open: the decision is computed from cached policies, so it can answer while the
        // database cannot count; the limit only guards the CPU, and a moment unlimited is harmless.
        rateLimit: { max: app.config.publicRateLimitPerMinute, timeWindow: '1 minute', skipOnError: true },
      },
      schema: {
        tags: ['entitlements'],
        summary: 'What may an end user choose for a problem with a product?',
        description:
          'Decides from the policy version in force on the purchase date. Human damage, or a report after the warranty, gives paid service.',
        querystring: evaluateQuerySchema,
        body: evaluateRequestSchema,
        response: { 200: evaluateResponseSchema, 400: errorResponseSchema, 429: errorResponseSchema },
      },
    },
    async (request) => {
      const decision = await evaluateEntitlement(
        { db: app.db.db, policies: app.policies, storeTimeZone: app.config.storeTimeZone },
        request.body,
      );
      return presentDecision(decision, readerLanguage(request, request.query.lang));
    },
  );
};
