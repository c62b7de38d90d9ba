import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptInvitation } from '../../app/accounts/accept-invitation.js';
import { createInvitation, listInvitations, revokeInvitation } from '../../app/accounts/invitations.js';
import {
  acceptInvitationRequestSchema,
  acceptInvitationResponseSchema,
  createInvitationRequestSchema,
  idParams,
  invitationSchema,
} from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { hashPassword } from '../auth/auth.js';
import { errorResponseSchema } from '../errors.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

export const invitationRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({
    db: app.db.db,
    now: app.clock,
    publicUrl: app.config.publicUrl,
    messageKey: app.messageKey,
  });

  app.post(
    '/',
    {
      config: { access: 'invitations.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Invite someone with a role: a one-time link goes out through the outbox',
        body: createInvitationRequestSchema,
        response: { 201: invitationSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createInvitation(deps(), currentActor(request), request.body)),
  );

  app.get(
    '/',
    {
      config: { access: 'invitations.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Invitations, newest first',
        response: { 200: z.array(invitationSchema), ...errors },
      },
    },
    async (request) => listInvitations(deps(), currentActor(request)),
  );

  app.post(
    '/:id/revoke',
    {
      config: { access: 'invitations.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Withdraw a pending invitation',
        params: idParams,
        response: { 200: invitationSchema, ...errors },
      },
    },
    async (request) => revokeInvitation(deps(), currentActor(request), request.params.id),
  );

  app.post(
    '/accept',
    {
      config: {
        access: 'public',
        rateLimit: { max: app.config.authRateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['accounts'],
        summary: 'Accept an invitation: creates the account with the invited role; then sign in',
        body: acceptInvitationRequestSchema,
        response: {
          201: acceptInvitationResponseSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
          409: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await acceptInvitation({ db: app.db.db, now: app.clock, hashPassword }, request.body)),
  );
};
