import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { performDealerRemedy } from '../../app/dealer-remedies/perform-dealer-remedy.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { langQuerySchema, readerLanguage } from '../language.js';
import { dealerRemedyRequestSchema, dealerRemedySchema } from './schemas.js';

/** Under /api/v1/claims: a remedy is carried out on a claim. */
export const dealerRemedyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/:id/dealer-remedy',
    {
      config: { access: 'dealerRemedies.perform' },
      schema: {
        tags: ['claims'],
        summary: 'The selling dealer records the refund or same-type replacement it gave at the counter',
        description:
          'Only where the claim’s decision offered it (a refund within 7 days, a replacement within 60): otherwise 409 REMEDY_NOT_OFFERED quoting the clause. Resolves the claim and asks support for the reimbursement. One per claim.',
        params: idParams,
        querystring: z.object({ lang: langQuerySchema }),
        body: dealerRemedyRequestSchema,
        response: {
          201: dealerRemedySchema,
          400: errorResponseSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
          404: errorResponseSchema,
          409: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const remedy = await performDealerRemedy(
        {
          db: app.db.db,
          now: app.clock,
          storeTimeZone: app.config.storeTimeZone,
          messageKey: app.messageKey,
          publicUrl: app.config.publicUrl,
        },
        currentActor(request),
        request.params.id,
        request.body,
        readerLanguage(request, request.query.lang),
      );
      return reply.code(201).send(remedy);
    },
  );
};
