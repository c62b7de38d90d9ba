import { z } from 'zod';
import {
  acceptInvitationRequestSchema,
  acceptInvitationResponseSchema,
  createInvitationRequestSchema,
  invitationSchema,
  meSchema,
  roleAssignmentSchema,
  userSchema,
} from '../../src/http/accounts-schemas.js';
import type { InvitableRole, Role } from '../../src/domain/access/access.js';
import { ApiError, request, send } from './api.js';

/*
 * Accounts through the API: the session (better-auth under /api/auth), who I am, users and invitations.
 * Request bodies go through the server's own schemas where it publishes them.
 */

export type User = z.infer<typeof userSchema>;
/** The signed-in user, with what this server offers them (e.g. the Mail page of the mail catcher). */
export type Me = z.infer<typeof meSchema>;
export type Invitation = z.infer<typeof invitationSchema>;
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;
export type CreateInvitation = z.infer<typeof createInvitationRequestSchema>;
export type AcceptInvitation = z.infer<typeof acceptInvitationRequestSchema>;
export type { InvitableRole, Role };

// better-auth's success bodies are its own business; the app reads the session from /me afterwards.
const anything = z.unknown();

/** better-auth's answer to "is there a session?": 200 with the session, or 200 with null. */
const sessionProbeSchema = z
  .object({ session: z.object({}).loose() })
  .loose()
  .nullable();

/**
 * The signed-in user, or null when nobody is. An anonymous visitor is told so by the session probe
 * (200, null) and /me is not asked: a 401 there would be an error in every visitor's console.
 */
export async function fetchMe(): Promise<Me | null> {
  const session = await request(sessionProbeSchema, '/api/auth/get-session');
  if (!session) return null;
  try {
    return await request(meSchema, '/api/v1/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  await send(anything, 'POST', '/api/auth/sign-in/email', { email, password });
}

export async function signOut(): Promise<void> {
  await send(anything, 'POST', '/api/auth/sign-out');
}

/** A customer signs up; the account opens once the link in the verification message is followed. */
export async function signUp(input: { name: string; email: string; password: string }): Promise<void> {
  await send(anything, 'POST', '/api/auth/sign-up/email', { ...input, callbackURL: '/' });
}

export async function requestPasswordReset(email: string): Promise<void> {
  await send(anything, 'POST', '/api/auth/request-password-reset', {
    email,
    redirectTo: '/reset-password',
  });
}

export async function resetPassword(token: string, newPassword: string): Promise<void> {
  await send(anything, 'POST', '/api/auth/reset-password', { token, newPassword });
}

export function acceptInvitation(
  input: AcceptInvitation,
): Promise<z.infer<typeof acceptInvitationResponseSchema>> {
  return send(
    acceptInvitationResponseSchema,
    'POST',
    '/api/v1/invitations/accept',
    acceptInvitationRequestSchema.parse(input),
  );
}

export function fetchUsers(): Promise<User[]> {
  return request(z.array(userSchema), '/api/v1/users');
}

export function changeUserRole(id: string, assignment: RoleAssignment): Promise<User> {
  return send(
    userSchema,
    'PUT',
    `/api/v1/users/${encodeURIComponent(id)}/role`,
    roleAssignmentSchema.parse(assignment),
  );
}

export function deactivateUser(id: string): Promise<User> {
  return send(userSchema, 'POST', `/api/v1/users/${encodeURIComponent(id)}/deactivate`);
}

export function fetchInvitations(): Promise<Invitation[]> {
  return request(z.array(invitationSchema), '/api/v1/invitations');
}

export function createInvitation(input: CreateInvitation): Promise<Invitation> {
  return send(invitationSchema, 'POST', '/api/v1/invitations', createInvitationRequestSchema.parse(input));
}

export function revokeInvitation(id: string): Promise<Invitation> {
  return send(invitationSchema, 'POST', `/api/v1/invitations/${encodeURIComponent(id)}/revoke`);
}
