import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type Dealer, dealers } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import { assertAllowed, forbidden } from '../access.js';
import { recordAudit } from '../audit.js';
import { changesOf } from '../changes.js';
import { AppError } from '../errors.js';

export type DealerView = {
  id: string;
  name: string;
  nameZh: string | null;
  city: string;
  email: string | null;
  phone: string | null;
  timeZone: string;
  createdAt: string;
};

/** What anyone choosing a dealer may know of it: its name and city, no contact, no time zone. */
export type DealerDirectoryEntry = { id: string; name: string; nameZh: string | null; city: string };

export type DealerInput = {
  name: string;
  nameZh?: string | null | undefined;
  city: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  timeZone: string;
};

export type DealersDeps = { db: Database };

const dealerNotFound = { code: 'DEALER_NOT_FOUND', message: 'no such dealer' };

function view(row: Dealer): DealerView {
  return {
    id: row.id,
    name: row.name,
    nameZh: row.nameZh,
    city: row.city,
    email: row.email,
    phone: row.phone,
    timeZone: row.timeZone,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Every dealer for staff; a dealer's own user sees its own dealer only. */
export async function listDealers(deps: DealersDeps, actor: Actor): Promise<DealerView[]> {
  const filter = listFilter(actor, 'dealers.read');
  if (filter.kind === 'none') throw forbidden();
  const own = filter.kind === 'scope' ? filter.owners.dealerId : undefined;
  if (filter.kind === 'scope' && !own) return [];
  const rows = await deps.db
    .select()
    .from(dealers)
    .where(own ? eq(dealers.id, own) : undefined)
    .orderBy(asc(dealers.name), asc(dealers.id));
  return rows.map(view);
}

/**
 * Every dealer of the maker by name and city, for a customer registering a product bought elsewhere:
 * whoever sold it, not only the dealers of their earlier purchases. Names and cities are what the
 * shops show on their doors; e-mail and phone stay with staff.
 */
export async function dealerDirectory(deps: DealersDeps, actor: Actor): Promise<DealerDirectoryEntry[]> {
  assertAllowed(actor, 'dealers.directory', {}, dealerNotFound);
  return deps.db
    .select({ id: dealers.id, name: dealers.name, nameZh: dealers.nameZh, city: dealers.city })
    .from(dealers)
    .orderBy(asc(dealers.name), asc(dealers.id));
}

export async function getDealer(deps: DealersDeps, actor: Actor, dealerId: string): Promise<DealerView> {
  const [row] = await deps.db.select().from(dealers).where(eq(dealers.id, dealerId));
  if (!row) throw new AppError('not_found', dealerNotFound.code, dealerNotFound.message);
  assertAllowed(actor, 'dealers.read', { dealerId: row.id }, dealerNotFound);
  return view(row);
}

export async function createDealer(deps: DealersDeps, actor: Actor, input: DealerInput): Promise<DealerView> {
  assertAllowed(actor, 'dealers.manage', {}, dealerNotFound);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(dealers)
      .values({
        name: input.name,
        nameZh: input.nameZh ?? null,
        city: input.city,
        email: input.email ?? null,
        phone: input.phone ?? null,
        timeZone: input.timeZone,
      })
      .returning();
    if (!row) throw new Error('insert returned no dealer');
    const { id, createdAt, ...fields } = view(row);
    await recordAudit(tx, actor, {
      action: 'dealer.created',
      entityType: 'dealer',
      entityId: id,
      data: fields,
    });
    return { id, createdAt, ...fields };
  });
}

/** Changes the fields sent; an edit that changes nothing writes nothing, not even an audit event. */
export async function updateDealer(
  deps: DealersDeps,
  actor: Actor,
  dealerId: string,
  patch: Partial<DealerInput>,
): Promise<DealerView> {
  assertAllowed(actor, 'dealers.manage', { dealerId }, dealerNotFound);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(dealers).where(eq(dealers.id, dealerId)).for('update');
    if (!row) throw new AppError('not_found', dealerNotFound.code, dealerNotFound.message);
    const changes = changesOf(row, patch);
    if (!changes.changed) return view(row);
    const [updated] = await tx.update(dealers).set(changes.set).where(eq(dealers.id, row.id)).returning();
    if (!updated) throw new Error('update returned no dealer');
    await recordAudit(tx, actor, {
      action: 'dealer.updated',
      entityType: 'dealer',
      entityId: row.id,
      data: { before: changes.before, after: changes.after },
    });
    return view(updated);
  });
}
