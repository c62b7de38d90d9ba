import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { accounts, CREDENTIAL_PROVIDER, invitations, users } from '../../db/schema.js';
import { actorOf, type InvitableRole } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { hashToken } from './tokens.js';

export type AcceptInvitationDeps = {
  db: Database;
  now: () => Temporal.Instant;
  /** better-auth's own hasher, so the password verifies at its sign-in. */
  hashPassword: (password: string) => Promise<string>;
};

export type AcceptedInvitation = { userId: string; email: string; role: InvitableRole };

/**
 * The invited person chooses a name and password. The user (with the invited role and scope), its
 * password account and the invitation's acceptance are one transaction, with the invitation row
 * locked: no user exists without its role, and two racing acceptances of one token make one user.
 * The e-mail address counts as verified: the token reached that inbox.
 */
export async function acceptInvitation(
  deps: AcceptInvitationDeps,
  input: { token: string; name: string; password: string },
): Promise<AcceptedInvitation> {
  // Hashing takes tens of milliseconds on purpose; it is done before any row is locked.
  const passwordHash = await deps.hashPassword(input.password);
  const now = deps.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const [invitation] = await tx
        .select()
        .from(invitations)
        .where(eq(invitations.tokenHash, hashToken(input.token)))
        .for('update');
      if (!invitation) {
        throw new AppError('not_found', 'INVITATION_NOT_FOUND', 'this invitation link is not valid');
      }
      if (invitation.acceptedAt) {
        throw new AppError('conflict', 'INVITATION_ALREADY_ACCEPTED', 'this invitation was already used');
      }
      if (invitation.revokedAt) {
        throw new AppError('conflict', 'INVITATION_REVOKED', 'this invitation was withdrawn');
      }
      if (invitation.expiresAt.getTime() <= now.epochMilliseconds) {
        throw new AppError(
          'conflict',
          'INVITATION_EXPIRED',
          'this invitation has expired; ask for a new one',
        );
      }
      const userId = randomUUID();
      const at = new Date(now.epochMilliseconds);
      await tx.insert(users).values({
        id: userId,
        name: input.name,
        email: invitation.email,
        emailVerified: true,
        role: invitation.role,
        dealerId: invitation.dealerId,
        serviceCenterId: invitation.serviceCenterId,
        oemClientId: invitation.oemClientId,
        createdAt: at,
        updatedAt: at,
      });
      await tx.insert(accounts).values({
        id: randomUUID(),
        accountId: userId,
        providerId: CREDENTIAL_PROVIDER,
        userId,
        password: passwordHash,
        createdAt: at,
        updatedAt: at,
      });
      await tx
        .update(invitations)
        .set({ acceptedAt: at, acceptedUserId: userId })
        .where(eq(invitations.id, invitation.id));
      const actor = actorOf({ ...invitation, id: userId });
      if (!actor) throw new Error(`invitation ${invitation.id} has a role without its scope`);
      await recordAudit(tx, actor, {
        action: 'invitation.accepted',
        entityType: 'user',
        entityId: userId,
        data: { invitationId: invitation.id, role: invitation.role },
      });
      return { userId, email: invitation.email, role: invitation.role };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_unique')) {
      throw new AppError(
        'conflict',
        'USER_EXISTS',
        'someone already has an account with this e-mail address',
      );
    }
    throw error;
  }
}
