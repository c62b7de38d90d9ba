import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allocateLot, createLot, getLot, listLots } from '../../app/oem/orders/lots.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { oemDeps } from '../oem-orders/routes.js';
import {
  allocateLotRequestSchema,
  createLotRequestSchema,
  lotSchema,
  lotsQuerySchema,
} from '../oem-orders/schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

/** The maker's production lots and the units each shipped to which client order. */
export const lotRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'lots.read' },
      schema: {
        tags: ['oem'],
        summary: 'Production lots, newest first, with their allocations to orders',
        querystring: lotsQuerySchema,
        response: { 200: z.array(lotSchema), ...errors },
      },
    },
    async (request) => listLots(oemDeps(app), currentActor(request), request.query),
  );

  app.post(
    '/',
    {
      config: { access: 'lots.manage' },
      schema: {
        tags: ['oem'],
        summary: 'Record a production lot: product, code, units made, made (and shipped) on',
        description:
          'A code already recorded: 409 LOT_CODE_TAKEN; another product’s code: 409 LOT_OF_ANOTHER_PRODUCT.',
        body: createLotRequestSchema,
        response: { 201: lotSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createLot(oemDeps(app), currentActor(request), request.body)),
  );

  app.get(
    '/:id',
    {
      config: { access: 'lots.read' },
      schema: {
        tags: ['oem'],
        summary: 'One lot with its allocations',
        params: idParams,
        response: { 200: lotSchema, ...errors },
      },
    },
    async (request) => getLot(oemDeps(app), currentActor(request), request.params.id),
  );

  app.post(
    '/:id/allocations',
    {
      config: { access: 'lots.manage' },
      schema: {
        tags: ['oem'],
        summary: 'Ship units of the lot to a confirmed order of its product',
        description:
          'Never more than the lot has left (409 LOT_UNITS_EXHAUSTED), nor more than the order lacks (409 ORDER_UNITS_EXCEEDED); the order must be confirmed (409 ORDER_NOT_CONFIRMED) and of the lot’s product (409 LOT_OF_ANOTHER_PRODUCT). Two orders racing for the last units: one wins, the other is refused.',
        params: idParams,
        body: allocateLotRequestSchema,
        response: { 201: lotSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await allocateLot(oemDeps(app), currentActor(request), request.params.id, request.body)),
  );
};
