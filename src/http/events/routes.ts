import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listEvents } from '../../app/events/list-events.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { eventPageSchema, eventsQuerySchema } from './schemas.js';

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };

/**
 * The events feed. Who says so: `events.read` (everyone signed in or with a key); who checks which
 * events: the use case, kind by kind, with the read permission of each kind of object.
 */
export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'events.read' },
      schema: {
        tags: ['events'],
        summary: 'Events after a cursor, in order: poll with `after` = the previous `nextCursor`',
        description:
          'Every change another system could act on, in the order the changes were made, each with the object as this API returns it (English texts). You see the events of the objects you may read: a dealer its sales’, a customer its own. An event appears once the transactions before it have ended, never out of order. The same events are sent to webhooks (see `webhooks` in this document).',
        querystring: eventsQuerySchema,
        response: { 200: eventPageSchema, ...errors },
      },
    },
    async (request) => listEvents({ db: app.db.db }, currentActor(request), request.query),
  );
};
