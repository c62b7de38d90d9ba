import { z } from 'zod';
import { invitableRoles, roles } from '../domain/access/access.js';

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

/** A role and its scope: `dealerId` for dealer, `serviceCenterId` for technician, `oemClientId` for oem. */
export const roleAssignmentSchema = z
  .object({
    role: z.enum(invitableRoles),
    dealerId: z.uuid().nullish(),
    serviceCenterId: z.uuid().nullish(),
    oemClientId: z.uuid().nullish(),
  })
  .strict();
