import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createDealer,
  dealerDirectory,
  getDealer,
  listDealers,
  updateDealer,
} from '../../app/dealers/dealers.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
  createDealerRequestSchema,
  dealerDirectoryEntrySchema,
  dealerSchema,
  updateDealerRequestSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

export const dealerRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db });

  app.get(
    '/',
    {
      config: { access: 'dealers.read' },
      schema: {
        tags: ['admin'],
        summary: 'Dealers, by name (a dealer’s own user: its own dealer only)',
        response: { 200: z.array(dealerSchema), ...errors },
      },
    },
    async (request) => listDealers(deps(), currentActor(request)),
  );

  app.get(
    '/directory',
    {
      config: { access: 'dealers.directory' },
      schema: {
        tags: ['purchases'],
        summary: 'Every dealer by name and city (no contact): whom a customer bought from',
        response: { 200: z.array(dealerDirectoryEntrySchema), ...errors },
      },
    },
    async (request) => dealerDirectory(deps(), currentActor(request)),
  );

  app.get(
    '/:id',
    {
      config: { access: 'dealers.read' },
      schema: {
        tags: ['admin'],
        summary: 'One dealer',
        params: idParams,
        response: { 200: dealerSchema, ...errors },
      },
    },
    async (request) => getDealer(deps(), currentActor(request), request.params.id),
  );

  app.post(
    '/',
    {
      config: { access: 'dealers.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Add a dealer',
        body: createDealerRequestSchema,
        response: { 201: dealerSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createDealer(deps(), currentActor(request), request.body)),
  );

  app.patch(
    '/:id',
    {
      config: { access: 'dealers.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Change a dealer: only the fields sent; null clears e-mail or phone',
        params: idParams,
        body: updateDealerRequestSchema,
        response: { 200: dealerSchema, ...errors },
      },
    },
    async (request) => updateDealer(deps(), currentActor(request), request.params.id, request.body),
  );
};
