import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createOemClient,
  getOemClient,
  listOemClients,
  updateOemClient,
} from '../../app/oem-clients/oem-clients.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { createOemClientRequestSchema, oemClientSchema, updateOemClientRequestSchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

export const oemClientRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db });

  app.get(
    '/',
    {
      config: { access: 'oemClients.read' },
      schema: {
        tags: ['admin'],
        summary: 'OEM clients, by name (an OEM client’s user: its own client only)',
        response: { 200: z.array(oemClientSchema), ...errors },
      },
    },
    async (request) => listOemClients(deps(), currentActor(request)),
  );

  app.get(
    '/:id',
    {
      config: { access: 'oemClients.read' },
      schema: {
        tags: ['admin'],
        summary: 'One OEM client',
        params: idParams,
        response: { 200: oemClientSchema, ...errors },
      },
    },
    async (request) => getOemClient(deps(), currentActor(request), request.params.id),
  );

  app.post(
    '/',
    {
      config: { access: 'oemClients.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Add an OEM client',
        body: createOemClientRequestSchema,
        response: { 201: oemClientSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createOemClient(deps(), currentActor(request), request.body)),
  );

  app.patch(
    '/:id',
    {
      config: { access: 'oemClients.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Change an OEM client: only the fields sent; null clears contact, e-mail or phone',
        params: idParams,
        body: updateOemClientRequestSchema,
        response: { 200: oemClientSchema, ...errors },
      },
    },
    async (request) => updateOemClient(deps(), currentActor(request), request.params.id, request.body),
  );
};
