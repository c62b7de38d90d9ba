import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  costReport,
  costReportCsv,
  costRows,
  DRILL_DOWN_LIMIT,
} from '../../../app/insight/cost/cost-report.js';
import { currentActor } from '../../auth/actor.js';
import { errorResponseSchema } from '../../errors.js';
import { csvResponseSchema } from '../../list-query.js';
import { costQuerySchema, costReportSchema, costRowsQuerySchema, costRowsSchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/** The cost of warranty per product and month, the rows behind each figure, and its CSV. */
export const insightCostRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db, now: app.clock, storeTimeZone: app.config.storeTimeZone });

  app.get(
    '/',
    {
      config: { access: 'warrantyCost.read' },
      schema: {
        tags: ['insight'],
        summary:
          'The cost of warranty per product and month in the maker’s currency, with paid service apart',
        description:
          'Dealer refunds and replacements reimbursed, free repairs’ parts and labour, OEM replacement units and ' +
          'credits, batch remakes and their air freight; paid service invoiced is income. Per product: units ' +
          'sold, claims, cost per unit sold and claims per 1,000 units sold. Rows in another currency than the ' +
          'maker’s are counted in `excluded`, not converted. At most 60 months (400 RANGE_TOO_LONG).',
        querystring: costQuerySchema,
        response: { 200: costReportSchema, ...errors },
      },
    },
    async (request) => costReport(deps(), currentActor(request), request.query),
  );

  app.get(
    '/rows',
    {
      config: { access: 'warrantyCost.read' },
      schema: {
        tags: ['insight'],
        summary: 'The rows behind a figure of the cost of warranty: a category, and a product and month',
        description: `Leave out the product or the month for a whole column or row. At most ${DRILL_DOWN_LIMIT} rows (\`truncated\`); \`total\` is over all of them.`,
        querystring: costRowsQuerySchema,
        response: { 200: costRowsSchema, ...errors },
      },
    },
    async (request) => costRows(deps(), currentActor(request), request.query),
  );

  app.get(
    '/export.csv',
    {
      config: { access: 'warrantyCost.read' },
      schema: {
        tags: ['insight'],
        summary: 'The cost of warranty as CSV (text/csv): one line per product and month',
        querystring: costQuerySchema,
        produces: ['text/csv'],
        response: { 200: csvResponseSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="cost-of-warranty.csv"')
        .send(await costReportCsv(deps(), currentActor(request), request.query)),
  );
};
