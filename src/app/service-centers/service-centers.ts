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
  closedOn: string[];
  openOn: string[];
  email: string;
  phone: string;
  createdAt: string;
};

export type ServiceCenterInput = Omit<ServiceCenterView, 'id' | 'createdAt' | 'closedOn' | 'openOn'> & {
  closedOn?: string[] | undefined;
  openOn?: string[] | undefined;
};

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
    closedOn: row.closedOn,
    openOn: row.openOn,
    email: row.email,
    phone: row.phone,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Stored in weekday order, so two centers open the same days compare equal and read the same. */
function weekdayOrder(days: readonly number[]): number[] {
  return [...new Set(days)].sort((a, b) => a - b);
}

/** Stored in date order, for the same reason; ISO dates sort as text. */
function dayOrder(days: readonly string[] | undefined): string[] | undefined {
  return days && [...new Set(days)].sort();
}

/** A day both closed and worked is a typing mistake the center would pay for in missed deadlines. */
function assertCalendarConsistent(closedOn: readonly string[], openOn: readonly string[]): void {
  const open = new Set(openOn);
  const both = closedOn.filter((day) => open.has(day));
  if (both.length > 0) {
    throw new AppError(
      'invalid',
      'CALENDAR_DAY_BOTH_CLOSED_AND_OPEN',
      `a day is either a holiday or a make-up working day, not both: ${both.join(', ')}`,
      { days: both },
    );
  }
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
  const closedOn = dayOrder(input.closedOn) ?? [];
  const openOn = dayOrder(input.openOn) ?? [];
  assertCalendarConsistent(closedOn, openOn);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(serviceCenters)
      .values({ ...input, businessDays: weekdayOrder(input.businessDays), closedOn, openOn })
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
    const closedOn = dayOrder(patch.closedOn);
    const openOn = dayOrder(patch.openOn);
    assertCalendarConsistent(closedOn ?? row.closedOn, openOn ?? row.openOn);
    const changes = changesOf(row, {
      ...patch,
      businessDays: patch.businessDays && weekdayOrder(patch.businessDays),
      closedOn,
      openOn,
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
