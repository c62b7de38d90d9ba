import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { openRatingLink, submitRating } from '../../app/insight/ratings.js';
import { errorResponseSchema } from '../errors.js';
import {
  openRatingRequestSchema,
  ratingInvitationSchema,
  ratingSubmittedSchema,
  submitRatingRequestSchema,
} from './schemas.js';

/*
 * The one-question rating link (issue 19 item 5), without an account: the token is the authority, and
 * travels in the body, not the URL, to stay out of access logs. Rate limited per client like the other
 * public link routes (tracking).
 */
export const ratingRoutes: FastifyPluginAsyncZod = async (app) => {
  const config = {
    access: 'public' as const,
    rateLimit: { max: app.config.authRateLimitPerMinute, timeWindow: '1 minute' },
  };
  const deps = () => ({ db: app.db.db, now: app.clock });

  app.post(
    '/open',
    {
      config,
      schema: {
        tags: ['tracking'],
        summary:
          'What a rating link is about (404 RATING_LINK_NOT_FOUND, 409 RATING_ALREADY_GIVEN, 410 RATING_LINK_EXPIRED)',
        body: openRatingRequestSchema,
        response: {
          200: ratingInvitationSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
          409: errorResponseSchema,
          410: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request) => openRatingLink(deps(), request.body.token),
  );

  app.post(
    '/',
    {
      config,
      schema: {
        tags: ['tracking'],
        summary: 'Rate the repair or remedy a link is about: once, before it expires',
        description:
          'A score from 1 to 5 and an optional comment (at most 1,000 characters, no control characters). A second answer gets 409 RATING_ALREADY_GIVEN; an expired link 410 RATING_LINK_EXPIRED; an unknown one 404 RATING_LINK_NOT_FOUND.',
        body: submitRatingRequestSchema,
        response: {
          200: ratingSubmittedSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
          409: errorResponseSchema,
          410: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request) => submitRating(deps(), request.body),
  );
};
