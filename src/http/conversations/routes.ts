import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { decideHeldMessage } from '../../app/conversations/decide-held-message.js';
import {
  postGuestMessage,
  readGuestConversation,
  readGuestConversationFile,
} from '../../app/conversations/guest-conversation.js';
import { uploadContentStream } from '../../app/uploads/upload-content.js';
import { listWaitingConversations } from '../../app/conversations/list-waiting.js';
import { postMessage } from '../../app/conversations/post-message.js';
import { readConversation } from '../../app/conversations/read-conversation.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
  conversationParams,
  conversationSchema,
  guestConversationRequestSchema,
  guestMessageRequestSchema,
  heldMessageParams,
  postMessageRequestSchema,
  waitingConversationsSchema,
  waitingQuerySchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/**
 * A claim's conversation (issue 16), registered under /api/v1: signed in on the claim, and through the
 * tracking link for a customer without an account (token in the body, rate limited like tracking).
 */
export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db, now: app.clock, messageKey: app.messageKey });

  app.get(
    '/claims/:id/conversation',
    {
      config: { access: 'conversations.read' },
      schema: {
        tags: ['conversations'],
        summary: 'A claim’s conversation: messages, files, and (staff only) internal notes and held e-mail',
        params: conversationParams,
        response: { 200: conversationSchema, ...errors },
      },
    },
    async (request) => readConversation(deps(), currentActor(request), request.params.id),
  );

  app.post(
    '/claims/:id/conversation/messages',
    {
      config: { access: 'conversations.post' },
      schema: {
        tags: ['conversations'],
        summary: 'Write in a claim’s conversation: to the customer, to staff, or an internal note',
        description:
          'A staff message with `visibility: public` is e-mailed to the customer with a reply address of this conversation, and counts as the contact the service commitment asks for on an order the center holds. A customer may not write an internal note (403 INTERNAL_NOTE_NOT_ALLOWED). Files: only one’s own uploads (404 UPLOAD_NOT_FOUND), each on one message (409 UPLOAD_ALREADY_ATTACHED).',
        params: conversationParams,
        body: postMessageRequestSchema,
        response: { 201: conversationSchema, ...errors, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const view = await postMessage(deps(), currentActor(request), {
        claimId: request.params.id,
        body: request.body.text,
        visibility: request.body.visibility,
        attachmentUploadIds: request.body.attachmentUploadIds,
      });
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/conversations',
    {
      config: { access: 'conversations.queue' },
      schema: {
        tags: ['conversations'],
        summary:
          'Conversations waiting for staff, oldest first (a dealer: its sales’; a center: its orders’)',
        querystring: waitingQuerySchema,
        response: { 200: waitingConversationsSchema, ...errors },
      },
    },
    async (request) => listWaitingConversations(deps(), currentActor(request), request.query),
  );

  for (const decision of ['release', 'discard'] as const) {
    app.post(
      `/conversation-messages/:id/${decision}`,
      {
        config: { access: 'conversations.judgeHeld' },
        schema: {
          tags: ['conversations'],
          summary:
            decision === 'release'
              ? 'Release a held e-mail into the conversation: the customer’s message from then on (audited)'
              : 'Discard a held e-mail: kept on the record for staff, never shown to the customer (audited)',
          description:
            'Only a message held for staff (an e-mail from another address than the customer’s); one decided already is 409 MESSAGE_NOT_HELD.',
          params: heldMessageParams,
          response: { 200: conversationSchema, ...errors, 409: errorResponseSchema },
        },
      },
      async (request) =>
        decideHeldMessage(deps(), currentActor(request), { messageId: request.params.id, decision }),
    );
  }

  const guest = {
    access: 'public' as const,
    rateLimit: { max: app.config.authRateLimitPerMinute, timeWindow: '1 minute' },
  };

  app.post(
    '/tracking/conversation',
    {
      config: guest,
      schema: {
        tags: ['conversations'],
        summary: 'The conversation of my claim, from the link in the acknowledgement (no account)',
        body: guestConversationRequestSchema,
        response: {
          200: conversationSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
          410: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request) => readGuestConversation(deps(), request.body.token),
  );

  app.post(
    '/tracking/conversation/files/:id',
    {
      config: guest,
      schema: {
        tags: ['conversations'],
        summary: 'A file of my claim’s conversation, from its tracking link (no account)',
        description:
          'Only a file on a message the customer is shown (not an internal note’s, not a held e-mail’s) of the claim the link follows; any other is 404 UPLOAD_NOT_FOUND.',
        params: z.object({ id: z.uuid().describe('The file’s id, as the conversation lists it') }).strict(),
        body: guestConversationRequestSchema,
        response: {
          200: z.instanceof(Readable).meta({ type: 'string', format: 'binary', description: 'The file' }),
          400: errorResponseSchema,
          404: errorResponseSchema,
          410: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const file = await readGuestConversationFile(deps(), {
        token: request.body.token,
        uploadId: request.params.id,
      });
      // As GET /api/v1/uploads/{id}: a stored file is shown, never run.
      return reply
        .header('content-type', file.mediaType)
        .header('content-length', file.sizeBytes)
        .header('cache-control', 'no-store')
        .header(
          'content-security-policy',
          "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        )
        .header('content-disposition', file.mediaType === 'application/pdf' ? 'attachment' : 'inline')
        .send(uploadContentStream(app.db.db, file.id, file.sizeBytes));
    },
  );

  app.post(
    '/tracking/conversation/messages',
    {
      config: guest,
      schema: {
        tags: ['conversations'],
        summary: 'Write to the staff about my claim, from its tracking link (no account)',
        description:
          'Photos go first to POST /api/v1/uploads?kind=photo with a `conversation.reply` upload ticket; each is attached with the ticket it came with.',
        body: guestMessageRequestSchema,
        response: {
          201: conversationSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
          409: errorResponseSchema,
          410: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const view = await postGuestMessage(deps(), {
        token: request.body.token,
        body: request.body.text,
        attachments: request.body.attachments,
      });
      return reply.code(201).send(view);
    },
  );
};
