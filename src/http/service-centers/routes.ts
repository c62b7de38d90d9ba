import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createServiceCenter,
  getServiceCenter,
  listServiceCenters,
  updateServiceCenter,
} from '../../app/service-centers/service-centers.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
  createServiceCenterRequestSchema,
  serviceCenterSchema,
  updateServiceCenterRequestSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

export const serviceCenterRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db });

  app.get(
    '/',
    {
      config: { access: 'serviceCenters.read' },
      schema: {
        tags: ['admin'],
        summary: 'Service centers and maintenance offices, by city (a technician: its own center only)',
        response: { 200: z.array(serviceCenterSchema), ...errors },
      },
    },
    async (request) => listServiceCenters(deps(), currentActor(request)),
  );

  app.get(
    '/:id',
    {
      config: { access: 'serviceCenters.read' },
      schema: {
        tags: ['admin'],
        summary: 'One service center',
        params: idParams,
        response: { 200: serviceCenterSchema, ...errors },
      },
    },
    async (request) => getServiceCenter(deps(), currentActor(request), request.params.id),
  );

  app.post(
    '/',
    {
      config: { access: 'serviceCenters.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Add a service center or maintenance office',
        body: createServiceCenterRequestSchema,
        response: { 201: serviceCenterSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createServiceCenter(deps(), currentActor(request), request.body)),
  );

  app.patch(
    '/:id',
    {
      config: { access: 'serviceCenters.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Change a service center: only the fields sent',
        params: idParams,
        body: updateServiceCenterRequestSchema,
        response: { 200: serviceCenterSchema, ...errors },
      },
    },
    async (request) => updateServiceCenter(deps(), currentActor(request), request.params.id, request.body),
  );
};
