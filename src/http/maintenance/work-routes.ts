import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readOrderWork, recordOrderWork } from '../../app/maintenance/order-work.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { orderWorkSchema, recordWorkRequestSchema } from '../parts/schemas.js';
import { maintenanceOrderParams } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/** Registered under /api/v1: the parts and hours of a repair, off its maintenance order. */
export const maintenanceWorkRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db, now: app.clock, storeTimeZone: app.config.storeTimeZone });

  app.get(
    '/maintenance-orders/:id/work',
    {
      config: { access: 'maintenanceOrders.readWork' },
      schema: {
        tags: ['maintenance'],
        summary: 'The parts and hours recorded on a maintenance order, with their cost',
        params: maintenanceOrderParams,
        response: { 200: orderWorkSchema, ...errors },
      },
    },
    async (request) => readOrderWork(deps(), currentActor(request), request.params.id),
  );

  app.put(
    '/maintenance-orders/:id/work',
    {
      config: { access: 'maintenanceOrders.recordWork' },
      schema: {
        tags: ['maintenance'],
        summary: 'Record the parts a repair used and its hours (the list replaces the one recorded; audited)',
        description:
          'The order’s center’s technicians and support, while the center holds the product (received … repaired); ' +
          'otherwise 409 WORK_NOT_EXPECTED. After it went back (returned, closed) only support corrects, with ' +
          '`correctionReason` (403 CORRECTION_NOT_ALLOWED, 400 CORRECTION_REASON_REQUIRED). A stale ' +
          '`expectedVersion` is 409 VERSION_CONFLICT; a part listed twice 400 DUPLICATE_PART; an unknown or retired ' +
          'part 400 UNKNOWN_PART, PART_RETIRED.',
        params: maintenanceOrderParams,
        body: recordWorkRequestSchema,
        response: { 200: orderWorkSchema, ...errors, 409: errorResponseSchema },
      },
    },
    async (request) => recordOrderWork(deps(), currentActor(request), request.params.id, request.body),
  );
};
