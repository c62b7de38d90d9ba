import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type OemClient, oemClients } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import { assertAllowed, forbidden } from '../access.js';
import { recordAudit } from '../audit.js';
import { changesOf } from '../changes.js';
import { AppError } from '../errors.js';

export type OemClientView = {
  id: string;
  name: string;
  country: string;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  createdAt: string;
};

export type OemClientInput = {
  name: string;
  country: string;
  contactName?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
};

export type OemClientsDeps = { db: Database };

const clientNotFound = { code: 'OEM_CLIENT_NOT_FOUND', message: 'no such OEM client' };

function view(row: OemClient): OemClientView {
  return {
    id: row.id,
    name: row.name,
    country: row.country,
    contactName: row.contactName,
    email: row.email,
    phone: row.phone,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Every client for staff; an OEM client's own user sees its own client only. */
export async function listOemClients(deps: OemClientsDeps, actor: Actor): Promise<OemClientView[]> {
  const filter = listFilter(actor, 'oemClients.read');
  if (filter.kind === 'none') throw forbidden();
  const own = filter.kind === 'scope' ? filter.owners.oemClientId : undefined;
  if (filter.kind === 'scope' && !own) return [];
  const rows = await deps.db
    .select()
    .from(oemClients)
    .where(own ? eq(oemClients.id, own) : undefined)
    .orderBy(asc(oemClients.name), asc(oemClients.id));
  return rows.map(view);
}

export async function getOemClient(
  deps: OemClientsDeps,
  actor: Actor,
  clientId: string,
): Promise<OemClientView> {
  const [row] = await deps.db.select().from(oemClients).where(eq(oemClients.id, clientId));
  if (!row) throw new AppError('not_found', clientNotFound.code, clientNotFound.message);
  assertAllowed(actor, 'oemClients.read', { oemClientId: row.id }, clientNotFound);
  return view(row);
}

export async function createOemClient(
  deps: OemClientsDeps,
  actor: Actor,
  input: OemClientInput,
): Promise<OemClientView> {
  assertAllowed(actor, 'oemClients.manage', {}, clientNotFound);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(oemClients)
      .values({
        name: input.name,
        country: input.country,
        contactName: input.contactName ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
      })
      .returning();
    if (!row) throw new Error('insert returned no OEM client');
    const { id, createdAt, ...fields } = view(row);
    await recordAudit(tx, actor, {
      action: 'oem_client.created',
      entityType: 'oem_client',
      entityId: id,
      data: fields,
    });
    return { id, createdAt, ...fields };
  });
}

/** Changes the fields sent; an edit that changes nothing writes nothing, not even an audit event. */
export async function updateOemClient(
  deps: OemClientsDeps,
  actor: Actor,
  clientId: string,
  patch: Partial<OemClientInput>,
): Promise<OemClientView> {
  assertAllowed(actor, 'oemClients.manage', { oemClientId: clientId }, clientNotFound);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(oemClients).where(eq(oemClients.id, clientId)).for('update');
    if (!row) throw new AppError('not_found', clientNotFound.code, clientNotFound.message);
    const changes = changesOf(row, patch);
    if (!changes.changed) return view(row);
    const [updated] = await tx
      .update(oemClients)
      .set(changes.set)
      .where(eq(oemClients.id, row.id))
      .returning();
    if (!updated) throw new Error('update returned no OEM client');
    await recordAudit(tx, actor, {
      action: 'oem_client.updated',
      entityType: 'oem_client',
      entityId: row.id,
      data: { before: changes.before, after: changes.after },
    });
    return view(updated);
  });
}
