import { and, asc, count, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { preparedStatement } from '../../db/prepared.js';
import { apiKeys, sessions, type User, users } from '../../db/schema.js';
import type { Actor, InvitableRole, Role } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { resolveStaffScope, type StaffScopeInput } from './scope.js';

export type UserView = {
  id: string;
  name: string;
  email: string;
  role: Role;
  dealerId: string | null;
  serviceCenterId: string | null;
  oemClientId: string | null;
  endUserId: string | null;
  active: boolean;
  createdAt: string;
};

export function userView(row: User): UserView {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    dealerId: row.dealerId,
    serviceCenterId: row.serviceCenterId,
    oemClientId: row.oemClientId,
    endUserId: row.endUserId,
    active: row.deactivatedAt === null,
    createdAt: row.createdAt.toISOString(),
  };
}

export type UsersDeps = { db: Database; now: () => Temporal.Instant };

const userNotFound = { code: 'USER_NOT_FOUND', message: 'no such user' };

export async function listUsers(deps: UsersDeps, actor: Actor): Promise<UserView[]> {
  assertAllowed(actor, 'users.manage', {}, userNotFound);
  const rows = await deps.db.select().from(users).orderBy(asc(users.email));
  return rows.map(userView);
}

async function lockUser(tx: Transaction, userId: string): Promise<User> {
  const [row] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  if (!row) throw new AppError('not_found', userNotFound.code, userNotFound.message);
  return row;
}

/** Refuses a change that would leave nobody able to administer the installation. */
async function assertAnotherActiveAdmin(tx: Transaction, userId: string): Promise<void> {
  const [row] = await tx
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.deactivatedAt), ne(users.id, userId)));
  if (!row || row.n === 0) {
    throw new AppError('conflict', 'LAST_ADMIN', 'this is the last active administrator');
  }
}

/**
 * Moves a staff, dealer, technician or OEM account to another role and scope. Customers are not moved:
 * their role is bound to their own purchases, and staff cannot become someone's customer record.
 * The next request of that user already sees the new role: sessions carry no role of their own.
 */
export async function changeUserRole(
  deps: UsersDeps,
  actor: Actor,
  userId: string,
  input: { role: InvitableRole } & StaffScopeInput,
): Promise<UserView> {
  assertAllowed(actor, 'users.manage', {}, userNotFound);
  return deps.db.transaction(async (tx) => {
    const row = await lockUser(tx, userId);
    if (row.role === 'customer') {
      throw new AppError('invalid', 'CUSTOMER_ROLE_FIXED', 'a customer account keeps its role');
    }
    const scope = await resolveStaffScope(tx, input.role, input);
    if (row.role === 'admin' && input.role !== 'admin') await assertAnotherActiveAdmin(tx, row.id);
    const [updated] = await tx
      .update(users)
      .set({ role: input.role, ...scope, updatedAt: new Date(deps.now().epochMilliseconds) })
      .where(eq(users.id, row.id))
      .returning();
    if (!updated) throw new Error('update returned no user');
    await recordAudit(tx, actor, {
      action: 'user.role_changed',
      entityType: 'user',
      entityId: row.id,
      data: { from: row.role, to: input.role, ...scope },
    });
    return userView(updated);
  });
}

/** Signs the user out everywhere and keeps them out; their history stays attributed to them. */
export async function deactivateUser(deps: UsersDeps, actor: Actor, userId: string): Promise<UserView> {
  assertAllowed(actor, 'users.manage', {}, userNotFound);
  if (userId === actor.userId) {
    throw new AppError('conflict', 'CANNOT_DEACTIVATE_SELF', 'you cannot deactivate your own account');
  }
  return deps.db.transaction(async (tx) => {
    const row = await lockUser(tx, userId);
    if (row.deactivatedAt) return userView(row);
    if (row.role === 'admin') await assertAnotherActiveAdmin(tx, row.id);
    const at = new Date(deps.now().epochMilliseconds);
    const [updated] = await tx
      .update(users)
      .set({ deactivatedAt: at, updatedAt: at })
      .where(eq(users.id, row.id))
      .returning();
    if (!updated) throw new Error('update returned no user');
    await tx.delete(sessions).where(eq(sessions.userId, row.id));
    await recordAudit(tx, actor, { action: 'user.deactivated', entityType: 'user', entityId: row.id });
    return userView(updated);
  });
}

// Read by every page load of the web app.
const userById = preparedStatement('me_user', (db, name) =>
  db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare(name),
);

export async function getMe(deps: { db: Database }, actor: Actor): Promise<UserView> {
  if (actor.keyId !== undefined) {
    // A machine has no account: it is its key, with the key's name, role and scope and no address.
    const [key] = await deps.db.select().from(apiKeys).where(eq(apiKeys.id, actor.keyId));
    if (!key) throw new AppError('unauthenticated', 'UNAUTHENTICATED', 'sign in first');
    return {
      id: actor.userId,
      name: key.name,
      email: '',
      role: key.role,
      dealerId: key.dealerId,
      serviceCenterId: key.serviceCenterId,
      oemClientId: key.oemClientId,
      endUserId: null,
      active: key.revokedAt === null,
      createdAt: key.createdAt.toISOString(),
    };
  }
  const [row] = await userById(deps.db).execute({ id: actor.userId });
  if (!row) throw new AppError('unauthenticated', 'UNAUTHENTICATED', 'sign in first');
  return userView(row);
}
