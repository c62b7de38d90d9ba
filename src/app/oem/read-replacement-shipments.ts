import { and, desc, eq } from 'drizzle-orm';
import { replacementShipments } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { ShipmentState } from '../../domain/oem/shipment.js';
import { assertAllowed, forbidden } from '../access.js';
import { AppError } from '../errors.js';
import { replacementShipmentNotFound } from './move-replacement-shipment.js';
import { type OemDeps, type ReplacementShipmentView, replacementShipmentViews } from './oem-records.js';

/**
 * Replacement shipments, newest first: staff see every client's; an OEM client's user its own
 * (another client's is a 404 by id and absent from the list).
 */
export async function listReplacementShipments(
  deps: OemDeps,
  actor: Actor,
  query: {
    clientId?: string | undefined;
    orderId?: string | undefined;
    state?: ShipmentState | undefined;
    limit: number;
    offset: number;
  },
): Promise<ReplacementShipmentView[]> {
  const filter = listFilter(actor, 'replacementShipments.read');
  if (filter.kind === 'none') throw forbidden();
  const own = filter.kind === 'scope' ? filter.owners.oemClientId : undefined;
  if (filter.kind === 'scope' && !own) return [];
  const rows = await deps.db
    .select()
    .from(replacementShipments)
    .where(
      and(
        own ? eq(replacementShipments.clientId, own) : undefined,
        query.clientId ? eq(replacementShipments.clientId, query.clientId) : undefined,
        query.orderId ? eq(replacementShipments.orderId, query.orderId) : undefined,
        query.state ? eq(replacementShipments.state, query.state) : undefined,
      ),
    )
    .orderBy(desc(replacementShipments.createdAt), desc(replacementShipments.shipmentNumber))
    .limit(query.limit)
    .offset(query.offset);
  return replacementShipmentViews(deps.db, rows);
}

export async function getReplacementShipment(
  deps: OemDeps,
  actor: Actor,
  id: string,
): Promise<ReplacementShipmentView> {
  const [row] = await deps.db.select().from(replacementShipments).where(eq(replacementShipments.id, id));
  if (!row) {
    throw new AppError('not_found', replacementShipmentNotFound.code, replacementShipmentNotFound.message);
  }
  assertAllowed(
    actor,
    'replacementShipments.read',
    { oemClientId: row.clientId },
    replacementShipmentNotFound,
  );
  const [view] = await replacementShipmentViews(deps.db, [row]);
  if (!view) throw new Error('no view of the replacement shipment');
  return view;
}
