import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getMessage, listMessages } from '../../app/outbox/read-messages.js';
import { workMessage } from '../../app/outbox/work-message.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { listMessagesQuerySchema, messageSchema, workMessageRequestSchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/** The outbox as staff read and work it. */
export const messageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'messages.read' },
      schema: {
        tags: ['messages'],
        summary: 'Every message sent or to send, newest first, with its delivery',
        querystring: listMessagesQuerySchema,
        response: { 200: z.array(messageSchema), ...errors },
      },
    },
    async (request) => listMessages({ db: app.db.db }, currentActor(request), request.query),
  );

  app.get(
    '/:id',
    {
      config: { access: 'messages.read' },
      schema: {
        tags: ['messages'],
        summary: 'One message',
        params: idParams,
        response: { 200: messageSchema, ...errors },
      },
    },
    async (request) => getMessage({ db: app.db.db }, currentActor(request), request.params.id),
  );

  app.post(
    '/:id/work',
    {
      config: { access: 'messages.manage' },
      schema: {
        tags: ['messages'],
        summary: 'Send a failed e-mail again, or record the call that delivered a message to a phone',
        description: 'A message in another state answers 409 MESSAGE_NOT_WORKABLE with its status.',
        params: idParams,
        body: workMessageRequestSchema,
        response: { 200: messageSchema, ...errors, 409: errorResponseSchema },
      },
    },
    async (request) =>
      workMessage({ db: app.db.db, now: app.clock }, currentActor(request), request.params.id, request.body),
  );
};
