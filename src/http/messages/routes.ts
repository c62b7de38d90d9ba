import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EXPORT_ROW_CAP } from '../../app/lists/csv-export.js';
import { exportMessages, getMessage, listMessages } from '../../app/outbox/read-messages.js';
import { workMessage } from '../../app/outbox/work-message.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { csvDisposition, csvResponseSchema, pageSchema } from '../list-query.js';
import {
  exportMessagesQuerySchema,
  listMessagesQuerySchema,
  messageSchema,
  workMessageRequestSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/** The outbox as staff read and work it. */
export const messageRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db, storeTimeZone: app.config.storeTimeZone });

  app.get(
    '/',
    {
      config: { access: 'messages.read' },
      schema: {
        tags: ['messages'],
        summary: 'Every message sent or to send, a page at a time, newest first, with its delivery',
        description:
          'The next page is `cursor` = the answer’s `nextCursor`. Filters combine; `q` matches the recipient and the subject (never the body).',
        querystring: listMessagesQuerySchema,
        response: { 200: pageSchema(messageSchema, 'OutboxMessagePage'), ...errors },
      },
    },
    async (request) => listMessages(deps(), currentActor(request), request.query),
  );

  app.get(
    '/export.csv',
    {
      config: { access: 'messages.read' },
      schema: {
        tags: ['messages'],
        summary: 'The messages the filter selects, as CSV (text/csv), newest first, without their text',
        description: `Same filters, sort and access as the list; no body (its links act for the recipient). At most ${EXPORT_ROW_CAP} rows (more is a 422 EXPORT_TOO_LARGE).`,
        querystring: exportMessagesQuerySchema,
        produces: ['text/csv'],
        response: { 200: csvResponseSchema, ...errors, 422: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const csv = await exportMessages(deps(), currentActor(request), request.query);
      return (
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', csvDisposition('messages', app.clock()))
          // A stream is sent as it is read; the response schema documents the text it makes.
          .send(csv as unknown as string)
      );
    },
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
    async (request) => getMessage(deps(), currentActor(request), request.params.id),
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
