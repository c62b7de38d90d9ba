import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getExcessResolution, listExcessResolutions } from '../../app/oem/read-excess-resolutions.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { oemDeps } from '../oem-orders/routes.js';
import { excessResolutionSchema, listExcessResolutionsQuerySchema } from '../oem-orders/schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/** The remedies chosen for excess defects: replacement shipments and next-order credits. */
export const excessResolutionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'oemOrders.read' },
      schema: {
        tags: ['oem'],
        summary: 'Remedies for excess defects and next-order credits, newest first (an OEM client: its own)',
        querystring: listExcessResolutionsQuerySchema,
        response: { 200: z.array(excessResolutionSchema), ...errors },
      },
    },
    async (request) => listExcessResolutions(oemDeps(app), currentActor(request), request.query),
  );

  app.get(
    '/:id',
    {
      config: { access: 'oemOrders.read' },
      schema: {
        tags: ['oem'],
        summary: 'One remedy or credit',
        params: idParams,
        response: { 200: excessResolutionSchema, ...errors },
      },
    },
    async (request) => getExcessResolution(oemDeps(app), currentActor(request), request.params.id),
  );
};
