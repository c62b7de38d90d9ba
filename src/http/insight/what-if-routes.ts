import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { policyWhatIf } from '../../app/insight/what-if.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { whatIfQuerySchema, whatIfReportSchema } from '../policies/draft-schemas.js';

/** "What if" for a draft policy version (issue 19 item 4), admins only. */
export const whatIfRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'insight.whatIf' },
      schema: {
        tags: ['insight'],
        summary: 'Replay the last N months of claims under a draft policy version',
        description:
          'Each claim reported in the last `months` months is decided by the pure engine under the draft and ' +
          'under the published version in force today; the answer counts the decisions that differ, the ' +
          'remedies that move (from → to) and the estimated cost difference, priced from the average approved ' +
          'dealer reimbursement per remedy and product (a replacement without one: the maker’s remake cost per unit).',
        querystring: whatIfQuerySchema,
        response: {
          200: whatIfReportSchema,
          400: errorResponseSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
          404: errorResponseSchema,
          422: errorResponseSchema,
        },
      },
    },
    async (request) =>
      policyWhatIf(
        { db: app.db.db, policies: app.policies, storeTimeZone: app.config.storeTimeZone, now: app.clock },
        currentActor(request),
        { draftId: request.query.draft, months: request.query.months },
      ),
  );
};
