import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listLotDefectRates } from '../../app/oem/lot-defect-rates.js';
import { lotRateSchema, lotRatesQuerySchema } from '../batch-investigations/schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { oemDeps } from '../oem-orders/routes.js';

/** Early warning: each lot's defect rate against its spare rate. */
export const lotDefectRateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'lotDefectRates.read' },
      schema: {
        tags: ['quality'],
        summary: 'Lot defect rates with their 95 % Wilson interval; flagged lots first',
        description:
          'At most `limit` lots (200 by default), flagged lots first and the most certain first; the header X-Total-Count gives how many lots match. A lot is flagged when the lower bound of the 95 % Wilson interval of its defect rate (units reported defective ÷ units shipped, over every order that shipped it) is above the lowest spare rate of those orders. `flagged=true` lists only the flagged lots.',
        querystring: lotRatesQuerySchema,
        response: {
          200: z.array(lotRateSchema),
          400: errorResponseSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { lots, total } = await listLotDefectRates(oemDeps(app), currentActor(request), request.query);
      return reply.header('x-total-count', String(total)).send(lots);
    },
  );
};
