import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addPriceListEntry, listPriceList } from '../../app/oem/orders/price-list.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { oemDeps } from '../oem-orders/routes.js';
import {
  addPriceListEntryRequestSchema,
  priceListEntrySchema,
  priceListQuerySchema,
} from '../oem-orders/schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

/** The maker's contract prices per OEM client and product, versioned by the day each takes effect. */
export const oemPriceListRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'oemPrices.read' },
      schema: {
        tags: ['oem'],
        summary: 'The contract prices, by client and product, newest version first',
        querystring: priceListQuerySchema,
        response: { 200: z.array(priceListEntrySchema), ...errors },
      },
    },
    async (request) => listPriceList(oemDeps(app), currentActor(request), request.query),
  );

  app.post(
    '/',
    {
      config: { access: 'oemPrices.manage' },
      schema: {
        tags: ['oem'],
        summary: 'Add a price version for a client and product from a day on (entries are never edited)',
        description:
          'Orders of that day on are confirmed at it; orders already confirmed keep their price. A version from the same day exists: 409 PRICE_VERSION_EXISTS.',
        body: addPriceListEntryRequestSchema,
        response: { 201: priceListEntrySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addPriceListEntry(oemDeps(app), currentActor(request), request.body)),
  );
};
