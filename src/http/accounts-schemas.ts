import { z } from 'zod';
import { invitableRoles, roles } from '../domain/access/access.js';

/* Pure zod: the web app imports this module too. */

export const idParams = z.object({ id: z.uuid() }).strict();

export const userSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(roles),
    dealerId: z.string().nullable(),
    serviceCenterId: z.string().nullable(),
    oemClientId: z.string().nullable(),
    endUserId: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

/** Who I am, and what this server offers me that depends on its settings. */
export const meSchema = userSchema
  .extend({
    mailCatcher: z
      .boolean()
      .describe(
        'true for an admin where this server keeps its e-mail to read at /api/v1/dev-mail (no SMTP_URL: the embedded demo); false otherwise',
      ),
  })
  .meta({ id: 'Me' });

/** A role and its scope: `dealerId` for dealer, `serviceCenterId` for technician, `oemClientId` for oem. */
export const roleAssignmentSchema = z
  .object({
    role: z.enum(invitableRoles),
    dealerId: z.uuid().nullish(),
    serviceCenterId: z.uuid().nullish(),
    oemClientId: z.uuid().nullish(),
  })
  .strict();

/** What an admin sends to invite someone: an e-mail address and the role with its scope. */
export const createInvitationRequestSchema = roleAssignmentSchema
  .extend({ email: z.email().max(254) })
  .strict();

export const invitationSchema = z
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

export const acceptInvitationRequestSchema = z
  .object({
    token: z.string().min(20).max(128),
    name: z.string().trim().min(1).max(200),
    password: z.string().min(10).max(128),
  })
  .strict();

export const acceptInvitationResponseSchema = z.object({
  userId: z.string(),
  email: z.string(),
  role: z.enum(invitableRoles),
});
