import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type ServiceCenter, serviceCenters } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { ServiceCenterKind } from '../../domain/reference-data.js';
import { assertAllowed, forbidden } from '../access.js';
import { recordAudit } from '../audit.js';
import { changesOf } from '../changes.js';
import { AppError } from '../errors.js';

export type ServiceCenterView = {
  id: string;
  kind: ServiceCenterKind;
  nameEn: string;
  nameZh: string;
  city: string;
  address: string;
  latitude: number;
  longitude: number;
  timeZone: string;
  committedServiceDays: number;
  businessDays: number[];
  email: string;
  phone: string;
  createdAt: string;
};

export type ServiceCenterInput = Omit<ServiceCenterView, 'id' | 'createdAt'>;

export type ServiceCentersDeps = { db: Database };

const centerNotFound = { code: 'SERVICE_CENTER_NOT_FOUND', message: 'no such service center' };

function view(row: ServiceCenter): ServiceCenterView {
  return {
    id: row.id,
    kind: row.kind,
    nameEn: row.nameEn,
    nameZh: row.nameZh,
    city: row.city,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    timeZone: row.timeZone,
    committedServiceDays: row.committedServiceDays,
    businessDays: row.businessDays,
    email: row.email,
    phone: row.phone,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Stored in weekday order, so two centers open the same days compare equal and read the same. */
function weekdayOrder(days: readonly number[]): number[] {
  return [...new Set(days)].sort((a, b) => a - b);
}

/** Every center for staff; a technician sees its own center only. */
export async function listServiceCenters(
  deps: ServiceCentersDeps,
  actor: Actor,
): Promise<ServiceCenterView[]> {
  const filter = listFilter(actor, 'serviceCenters.read');
  if (filter.kind === 'none') throw forbidden();
  const own = filter.kind === 'scope' ? filter.owners.serviceCenterId : undefined;
  if (filter.kind === 'scope' && !own) return [];
  const rows = await deps.db
    .select()
    .from(serviceCenters)
    .where(own ? eq(serviceCenters.id, own) : undefined)
    .orderBy(asc(serviceCenters.city), asc(serviceCenters.nameEn), asc(serviceCenters.id));
  return rows.map(view);
}

export async function getServiceCenter(
  deps: ServiceCentersDeps,
  actor: Actor,
  centerId: string,
): Promise<ServiceCenterView> {
  const [row] = await deps.db.select().from(serviceCenters).where(eq(serviceCenters.id, centerId));
  if (!row) throw new AppError('not_found', centerNotFound.code, centerNotFound.message);
  assertAllowed(actor, 'serviceCenters.read', { serviceCenterId: row.id }, centerNotFound);
  return view(row);
}

export async function createServiceCenter(
  deps: ServiceCentersDeps,
  actor: Actor,
  input: ServiceCenterInput,
): Promise<ServiceCenterView> {
  assertAllowed(actor, 'serviceCenters.manage', {}, centerNotFound);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(serviceCenters)
      .values({ ...input, businessDays: weekdayOrder(input.businessDays) })
      .returning();
    if (!row) throw new Error('insert returned no service center');
    const { id, createdAt, ...fields } = view(row);
    await recordAudit(tx, actor, {
      action: 'service_center.created',
      entityType: 'service_center',
      entityId: id,
      data: fields,
    });
    return { id, createdAt, ...fields };
  });
}

/** Changes the fields sent; an edit that changes nothing writes nothing, not even an audit event. */
export async function updateServiceCenter(
  deps: ServiceCentersDeps,
  actor: Actor,
  centerId: string,
  patch: Partial<ServiceCenterInput>,
): Promise<ServiceCenterView> {
  assertAllowed(actor, 'serviceCenters.manage', { serviceCenterId: centerId }, centerNotFound);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(serviceCenters).where(eq(serviceCenters.id, centerId)).for('update');
    if (!row) throw new AppError('not_found', centerNotFound.code, centerNotFound.message);
    const changes = changesOf(row, {
      ...patch,
      businessDays: patch.businessDays && weekdayOrder(patch.businessDays),
    });
    if (!changes.changed) return view(row);
    const [updated] = await tx
      .update(serviceCenters)
      .set(changes.set)
      .where(eq(serviceCenters.id, row.id))
      .returning();
    if (!updated) throw new Error('update returned no service center');
    await recordAudit(tx, actor, {
      action: 'service_center.updated',
      entityType: 'service_center',
      entityId: row.id,
      data: { before: changes.before, after: changes.after },
    });
    return view(updated);
  });
}
