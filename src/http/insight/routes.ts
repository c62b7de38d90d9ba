import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type InsightDeps, readServiceLevels, serviceLevelCsv } from '../../app/insight/service-levels.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { serviceLevelQuerySchema, serviceLevelReportSchema } from './schemas.js';

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };

const description =
  'Per service center and ISO week: orders received and returned, turnaround from receipt to return in the center’s business days (nearest-rank median and 90th percentile), the share returned within the commitment, first contact, misses (due that week and returned late, or not returned though the day passed); open orders by age on the period’s last day (or today); claims per month by warranty window and chosen remedy; dealers’ refunds and replacements; customers’ ratings per center, technician and dealer. Days are calendar days in the center’s time zone. A period spans at most 366 days (400 PERIOD_TOO_LONG). The center filter narrows the orders, their claims and ratings; dealers’ remedies follow the period and product.';

/** Issue 19 item 1: the service-level dashboard and its CSV export. Support, QA and admins. */
export const insightRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = (): InsightDeps => ({
    db: app.db.db,
    now: app.clock,
    storeTimeZone: app.config.storeTimeZone,
  });

  app.get(
    '/service-levels',
    {
      config: { access: 'insight.read' },
      schema: {
        tags: ['insight'],
        summary: 'The service-level dashboard: centers’ weeks, claims per month, dealers’ remedies, ratings',
        description,
        querystring: serviceLevelQuerySchema,
        response: { 200: serviceLevelReportSchema, ...errors },
      },
    },
    async (request) => readServiceLevels(deps(), currentActor(request), request.query),
  );

  app.get(
    '/service-levels/export',
    {
      config: { access: 'insight.read' },
      schema: {
        tags: ['insight'],
        summary: 'The centers’ weeks of the dashboard as CSV (text/csv), with the same filters',
        querystring: serviceLevelQuerySchema,
        produces: ['text/csv'],
        response: { 200: z.string().describe('CSV with a header row'), ...errors },
      },
    },
    async (request, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="service-levels.csv"')
        .send(await serviceLevelCsv(deps(), currentActor(request), request.query)),
  );
};
