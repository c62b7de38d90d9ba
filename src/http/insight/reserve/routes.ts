import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readReserve, type ReserveDeps } from '../../../app/insight/reserve/read-reserve.js';
import { currentActor } from '../../auth/actor.js';
import { errorResponseSchema } from '../../errors.js';
import { reserveQuerySchema, reserveSchema } from './schemas.js';

function reserveDeps(app: Parameters<FastifyPluginAsyncZod>[0]): ReserveDeps {
  return { db: app.db.db, policies: app.policies, storeTimeZone: app.config.storeTimeZone, now: app.clock };
}

/** The warranty reserve forecast (issue 19): what finance books for the claims still to come. */
export const reserveRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'reserve.read' },
      schema: {
        tags: ['insight'],
        summary: 'The warranty reserve: expected cost of the claims still to come, per product and in total',
        description:
          'For units sold and still in warranty: the claim rate by month of life (a life table of claims per ' +
          'unit-month at risk, units not yet that old censored, and a Weibull fitted by maximum likelihood), ' +
          'times the observed cost of a claim (approved dealer reimbursements, the maker’s cost entries and ' +
          'OEM credits in money, over warranty claims). The interval is the central 90 % of a seeded ' +
          'parametric bootstrap (rates drawn from their Gamma posterior, the count of claims from the ' +
          'Poisson): the same data gives the same figures. `asOf` makes the forecast with only the data up ' +
          'to that day (400 AS_OF_IN_FUTURE after today).',
        querystring: reserveQuerySchema,
        response: {
          200: reserveSchema,
          400: errorResponseSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
        },
      },
    },
    async (request) => readReserve(reserveDeps(app), currentActor(request), request.query),
  );
};
