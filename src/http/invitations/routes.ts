import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptInvitation } from '../../app/accounts/accept-invitation.js';
import { createInvitation, listInvitations, revokeInvitation } from '../../app/accounts/invitations.js';
import { invitableRoles } from '../../domain/access/access.js';
import { idParams, roleAssignmentSchema } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { hashPassword } from '../auth/auth.js';
import { errorResponseSchema } from '../errors.js';

const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(invitableRoles),
    dealerId: z.string().nullable(),
    serviceCenterId: z.string().nullable(),
    oemClientId: z.string().nullable(),
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    expiresAt: z.string(),
    createdAt: z.string(),
    invitedBy: z.string(),
    acceptedUserId: z.string().nullable(),
  })
  .meta({ id: 'Invitation' });

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

export const invitationRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db, now: app.clock, publicUrl: app.config.publicUrl });

  app.post(
    '/',
    {
      config: { access: 'invitations.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Invite someone with a role: a one-time link goes out through the outbox',
        body: roleAssignmentSchema.extend({ email: z.email().max(254) }).strict(),
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
        body: z
          .object({
            token: z.string().min(20).max(128),
            name: z.string().trim().min(1).max(200),
            password: z.string().min(10).max(128),
          })
          .strict(),
        response: {
          201: z.object({ userId: z.string(), email: z.string(), role: z.enum(invitableRoles) }),
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
