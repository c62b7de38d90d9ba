import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createPart, listParts, updatePart } from '../../app/parts/parts.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
  createPartRequestSchema,
  listPartsQuerySchema,
  partParams,
  partSchema,
  updatePartRequestSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};
const withConflict = { ...errors, 409: errorResponseSchema };

/** The parts list: read by staff and technicians, kept by admins (every change audited). */
export const partRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'parts.read' },
      schema: {
        tags: ['maintenance'],
        summary: 'The parts list, by part number (a product’s parts and the shared ones with `productId`)',
        querystring: listPartsQuerySchema,
        response: { 200: z.array(partSchema), ...errors },
      },
    },
    async (request) => listParts(app.db.db, currentActor(request), request.query),
  );

  app.post(
    '/',
    {
      config: { access: 'parts.manage' },
      schema: {
        tags: ['maintenance'],
        summary: 'Add a part, priced in the maker’s currency (admins; audited)',
        description:
          'A part number already taken is 409 PART_NUMBER_TAKEN; an unknown product 400 UNKNOWN_PRODUCT.',
        body: createPartRequestSchema,
        response: { 201: partSchema, ...withConflict },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createPart(app.db.db, currentActor(request), request.body)),
  );

  app.put(
    '/:id',
    {
      config: { access: 'parts.manage' },
      schema: {
        tags: ['maintenance'],
        summary: 'Change or retire a part (admins; audited with what it replaced)',
        description:
          'A new cost prices the repairs recorded from then on; those recorded keep theirs. A stale `expectedVersion` is 409 VERSION_CONFLICT.',
        params: partParams,
        body: updatePartRequestSchema,
        response: { 200: partSchema, ...withConflict },
      },
    },
    async (request) => updatePart(app.db.db, currentActor(request), request.params.id, request.body),
  );
};
