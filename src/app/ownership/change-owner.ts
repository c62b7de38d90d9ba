import { and, asc, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { claims, maintenanceOrders, purchases, users } from '../../db/schema.js';
import type { Action, Actor, Owners } from '../../domain/access/access.js';
import { type Candidate, decideOwnership, mayOwn, type OwnedKind } from '../../domain/ownership/ownership.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { claimNotFound } from '../claims/claim-view.js';
import { AppError } from '../errors.js';
import { orderNotFound } from '../maintenance/maintenance-order-records.js';

/*
 * Take, assign, release (issue 15). The object's row is locked for the length of the transaction, so two
 * people taking it at once are served one after the other: the second sees the first as owner and is
 * refused (409 OWNED_BY_ANOTHER) unless it asked for a reassignment. Every change is audited, from → to.
 */

export type OwnerRef = { id: string; name: string };

export type OwnershipChange =
  | { kind: 'take'; reassign?: boolean | undefined }
  | { kind: 'assign'; to: string; reassign?: boolean | undefined }
  | { kind: 'release'; reassign?: boolean | undefined };

type Locked = { ownerId: string | null; owners: Owners; serviceCenterId?: string };

type Target = {
  kind: OwnedKind;
  action: Action;
  notFound: { code: string; message: string };
  lock: (tx: Transaction, id: string) => Promise<Locked | undefined>;
  write: (tx: Transaction, id: string, ownerId: string | null) => Promise<void>;
};

const targets: Record<OwnedKind, Target> = {
  claim: {
    kind: 'claim',
    action: 'claims.own',
    notFound: claimNotFound,
    lock: async (tx, id) => {
      const [row] = await tx
        .select({ ownerId: claims.ownerId, endUserId: claims.endUserId, dealerId: purchases.dealerId })
        .from(claims)
        .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
        .where(eq(claims.id, id))
        .for('update', { of: claims });
      return row && { ownerId: row.ownerId, owners: { endUserId: row.endUserId, dealerId: row.dealerId } };
    },
    write: async (tx, id, ownerId) => {
      await tx.update(claims).set({ ownerId }).where(eq(claims.id, id));
    },
  },
  maintenance_order: {
    kind: 'maintenance_order',
    action: 'maintenanceOrders.own',
    notFound: orderNotFound,
    lock: async (tx, id) => {
      const [row] = await tx
        .select({
          ownerId: maintenanceOrders.ownerId,
          serviceCenterId: maintenanceOrders.serviceCenterId,
          endUserId: claims.endUserId,
        })
        .from(maintenanceOrders)
        .innerJoin(claims, eq(claims.id, maintenanceOrders.claimId))
        .where(eq(maintenanceOrders.id, id))
        .for('update', { of: maintenanceOrders });
      return (
        row && {
          ownerId: row.ownerId,
          serviceCenterId: row.serviceCenterId,
          owners: { serviceCenterId: row.serviceCenterId, endUserId: row.endUserId },
        }
      );
    },
    write: async (tx, id, ownerId) => {
      await tx.update(maintenanceOrders).set({ ownerId }).where(eq(maintenanceOrders.id, id));
    },
  },
};

async function candidate(tx: Transaction | Database, userId: string): Promise<Candidate | undefined> {
  const [row] = await tx
    .select({
      id: users.id,
      role: users.role,
      serviceCenterId: users.serviceCenterId,
      deactivatedAt: users.deactivatedAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row && { ...row, active: row.deactivatedAt === null };
}

async function ownerRef(tx: Transaction | Database, userId: string | null): Promise<OwnerRef | null> {
  if (userId === null) return null;
  const [row] = await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, userId));
  return row ?? null;
}

/** Take, assign or release one claim or order; answers who owns it afterwards. */
export async function changeOwner(
  deps: { db: Database },
  actor: Actor,
  kind: OwnedKind,
  objectId: string,
  change: OwnershipChange,
): Promise<{ owner: OwnerRef | null; changed: boolean }> {
  const target = targets[kind];
  return deps.db.transaction(async (tx) => {
    const locked = await target.lock(tx, objectId);
    if (!locked) throw new AppError('not_found', target.notFound.code, target.notFound.message);
    assertAllowed(actor, target.action, locked.owners, target.notFound);
    const object = locked.serviceCenterId ? { serviceCenterId: locked.serviceCenterId } : {};

    const newOwner = change.kind === 'take' ? actor.userId : change.kind === 'assign' ? change.to : null;
    if (newOwner !== null) {
      const person = await candidate(tx, newOwner);
      if (!person || !mayOwn(kind, person, object)) {
        throw new AppError(
          'unprocessable',
          change.kind === 'take' ? 'MAY_NOT_OWN' : 'ASSIGNEE_NOT_ELIGIBLE',
          kind === 'claim'
            ? 'a claim is worked by support'
            : 'an order is worked by support or a technician of its own service center',
        );
      }
    }

    const reassign = change.reassign ?? false;
    const outcome = decideOwnership(
      locked.ownerId,
      change.kind === 'assign'
        ? { kind: 'assign', caller: actor.userId, to: change.to, reassign }
        : { kind: change.kind, caller: actor.userId, reassign },
    );
    if (outcome.kind === 'refused') {
      throw new AppError(
        'conflict',
        outcome.code,
        'someone else works on this: ask for a reassignment to take it from them',
        { owner: await ownerRef(tx, outcome.owner) },
      );
    }
    if (outcome.kind === 'unchanged') return { owner: await ownerRef(tx, outcome.owner), changed: false };

    await target.write(tx, objectId, outcome.to);
    await recordAudit(tx, actor, {
      action: `${kind}.owner_changed`,
      entityType: kind,
      entityId: objectId,
      data: {
        how: change.kind,
        from: outcome.from,
        to: outcome.to,
        ...(reassign && outcome.from !== null && outcome.from !== actor.userId ? { reassigned: true } : {}),
      },
    });
    return { owner: await ownerRef(tx, outcome.to), changed: true };
  });
}

/** The people the caller may give this object to: what the assign picker offers. */
export async function eligibleOwners(
  deps: { db: Database },
  actor: Actor,
  kind: OwnedKind,
  objectId: string,
): Promise<(OwnerRef & { role: string })[]> {
  const target = targets[kind];
  return deps.db.transaction(async (tx) => {
    const locked = await target.lock(tx, objectId);
    if (!locked) throw new AppError('not_found', target.notFound.code, target.notFound.message);
    assertAllowed(actor, target.action, locked.owners, target.notFound);
    const staff = inArray(users.role, ['support', 'admin']);
    const who: SQL | undefined =
      kind === 'maintenance_order' && locked.serviceCenterId
        ? or(staff, and(eq(users.role, 'technician'), eq(users.serviceCenterId, locked.serviceCenterId)))
        : staff;
    return tx
      .select({ id: users.id, name: users.name, role: users.role })
      .from(users)
      .where(and(who, isNull(users.deactivatedAt)))
      .orderBy(asc(users.role), asc(users.name))
      .limit(500);
  });
}
