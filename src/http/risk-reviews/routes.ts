import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decideRiskReview } from '../../app/risk/decide-review.js';
import { getRiskReview, listRiskReviews } from '../../app/risk/reviews.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { listRiskReviewsQuerySchema, riskReviewDecisionRequestSchema, riskReviewSchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/** The review queue of objects a fraud signal stopped before they paid out. */
export const riskReviewRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'riskReviews.read' },
      schema: {
        tags: ['trust'],
        summary:
          'Claims, reimbursements and OEM credits a fraud signal holds (support: claims and reimbursements; QA: credits)',
        description: 'With status=pending, oldest first: the queue. Otherwise newest first.',
        querystring: listRiskReviewsQuerySchema,
        response: { 200: z.array(riskReviewSchema), ...errors },
      },
    },
    async (request) => listRiskReviews({ db: app.db.db }, currentActor(request), request.query),
  );

  app.get(
    '/:id',
    {
      config: { access: 'riskReviews.read' },
      schema: {
        tags: ['trust'],
        summary: 'One review, with the signals that raised it',
        params: idParams,
        response: { 200: riskReviewSchema, ...errors },
      },
    },
    async (request) => getRiskReview({ db: app.db.db }, currentActor(request), request.params.id),
  );

  app.post(
    '/:id/decision',
    {
      config: { access: 'riskReviews.decide' },
      schema: {
        tags: ['trust'],
        summary: 'Approve (it may pay out) or reject with a reason (it never does)',
        description:
          'Once, by someone other than the person whose request was stopped (403 OWN_REQUEST); a decided review answers 409.',
        params: idParams,
        body: riskReviewDecisionRequestSchema,
        response: { 200: riskReviewSchema, ...errors, 409: errorResponseSchema },
      },
    },
    async (request) =>
      decideRiskReview(
        { db: app.db.db, now: app.clock },
        currentActor(request),
        request.params.id,
        request.body,
      ),
  );
};
