import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type Invitation, invitations, outbox, users } from '../../db/schema.js';
import type { Actor, InvitableRole } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { type MessageKey, sealLink } from '../outbox/sealed-links.js';
import { invitationMessage } from './messages.js';
import { resolveStaffScope, type StaffScopeInput } from './scope.js';
import { hashToken, newOneTimeToken, normalizeEmail } from './tokens.js';

/** Long enough for someone back from a week away, short enough that a forgotten link dies. */
export const INVITATION_TTL_DAYS = 7;

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export type InvitationView = {
  id: string;
  email: string;
  role: InvitableRole;
  dealerId: string | null;
  serviceCenterId: string | null;
  oemClientId: string | null;
  status: InvitationStatus;
  expiresAt: string;
  createdAt: string;
  invitedBy: string;
  acceptedUserId: string | null;
};

export type InvitationDeps = {
  db: Database;
  now: () => Temporal.Instant;
  publicUrl: URL;
  /** Seals the link in the invitation's message. */
  messageKey: MessageKey;
};

function statusOf(row: Invitation, now: Temporal.Instant): InvitationStatus {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt.getTime() <= now.epochMilliseconds ? 'expired' : 'pending';
}

function view(row: Invitation, now: Temporal.Instant): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    dealerId: row.dealerId,
    serviceCenterId: row.serviceCenterId,
    oemClientId: row.oemClientId,
    status: statusOf(row, now),
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    invitedBy: row.invitedBy,
    acceptedUserId: row.acceptedUserId,
  };
}

/** The page of the web app that asks for a name and password; the token rides in the fragment-free query. */
export function invitationLink(publicUrl: URL, token: string): string {
  const url = new URL('/accept-invitation', publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

/**
 * An admin invites someone with a role (and its scope). The invitation, its message with the one-time
 * link and the audit event are one transaction; the token itself is stored nowhere but sealed in the
 * message.
 */
export async function createInvitation(
  deps: InvitationDeps,
  actor: Actor,
  input: { email: string; role: InvitableRole } & StaffScopeInput,
): Promise<InvitationView> {
  assertAllowed(actor, 'invitations.manage', {}, { code: 'NOT_FOUND', message: 'not found' });
  const email = normalizeEmail(input.email);
  const now = deps.now();
  const token = newOneTimeToken();
  const expiresAt = new Date(now.add({ hours: 24 * INVITATION_TTL_DAYS }).epochMilliseconds);
  return deps.db.transaction(async (tx) => {
    const scope = await resolveStaffScope(tx, input.role, input);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (existing) {
      throw new AppError(
        'conflict',
        'USER_EXISTS',
        'someone already has an account with this e-mail address',
      );
    }
    const [row] = await tx
      .insert(invitations)
      .values({
        email,
        role: input.role,
        ...scope,
        tokenHash: hashToken(token),
        expiresAt,
        invitedBy: actor.userId,
      })
      .returning();
    if (!row) throw new Error('insert returned no invitation');
    await tx.insert(outbox).values(
      invitationMessage({
        invitationId: row.id,
        email,
        role: input.role,
        link: sealLink(deps.messageKey, { url: invitationLink(deps.publicUrl, token), recipient: email }),
        expiresAt,
      }),
    );
    await recordAudit(tx, actor, {
      action: 'invitation.created',
      entityType: 'invitation',
      entityId: row.id,
      data: { email, role: input.role, ...scope },
    });
    return view(row, now);
  });
}

export async function listInvitations(deps: InvitationDeps, actor: Actor): Promise<InvitationView[]> {
  assertAllowed(actor, 'invitations.manage', {}, { code: 'NOT_FOUND', message: 'not found' });
  const now = deps.now();
  const rows = await deps.db.select().from(invitations).orderBy(desc(invitations.createdAt));
  return rows.map((r) => view(r, now));
}

export async function revokeInvitation(
  deps: InvitationDeps,
  actor: Actor,
  invitationId: string,
): Promise<InvitationView> {
  assertAllowed(actor, 'invitations.manage', {}, { code: 'NOT_FOUND', message: 'not found' });
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(invitations).where(eq(invitations.id, invitationId)).for('update');
    if (!row) throw new AppError('not_found', 'INVITATION_NOT_FOUND', 'no such invitation');
    if (row.acceptedAt) {
      throw new AppError('conflict', 'INVITATION_ALREADY_ACCEPTED', 'this invitation was already accepted');
    }
    if (row.revokedAt) return view(row, now);
    const [updated] = await tx
      .update(invitations)
      .set({ revokedAt: new Date(now.epochMilliseconds) })
      .where(and(eq(invitations.id, row.id), isNull(invitations.acceptedAt)))
      .returning();
    if (!updated) throw new Error('revoke updated no invitation');
    await recordAudit(tx, actor, {
      action: 'invitation.revoked',
      entityType: 'invitation',
      entityId: row.id,
      data: { email: row.email },
    });
    return view(updated, now);
  });
}
