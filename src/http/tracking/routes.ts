import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { trackByMaintenanceNumber, trackClaimByLink } from '../../app/guest/track-claim.js';
import { errorResponseSchema } from '../errors.js';
import { claimTrackingSchema, trackByLinkRequestSchema, trackByNumberRequestSchema } from './schemas.js';

/*
 * Following a claim without an account. Tokens travel in the body, not the URL, so that they stay out
 * of access logs; both routes are rate limited per client, like sign-in.
 */
export const trackingRoutes: FastifyPluginAsyncZod = async (app) => {
  const config = {
    access: 'public' as const,
    rateLimit: { max: app.config.authRateLimitPerMinute, timeWindow: '1 minute' },
  };

  app.post(
    '/link',
    {
      config,
      schema: {
        tags: ['tracking'],
        summary: 'Where my claim and its repair stand, from the link in the acknowledgement',
        body: trackByLinkRequestSchema,
        response: {
          200: claimTrackingSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
          410: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request) => trackClaimByLink({ db: app.db.db, now: app.clock }, request.body.token),
  );

  app.post(
    '/lookup',
    {
      config,
      schema: {
        tags: ['tracking'],
        summary: 'Where my repair stands, from its maintenance number and my contact',
        description:
          'An unknown number and a contact that does not match get the same 404, so the form reveals nothing.',
        body: trackByNumberRequestSchema,
        response: {
          200: claimTrackingSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request) => trackByMaintenanceNumber({ db: app.db.db, now: app.clock }, request.body),
  );
};
