import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { excessResolutions } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { ExcessRemedyCode } from '../../domain/policy/schema.js';
import { assertAllowed, forbidden } from '../access.js';
import { AppError } from '../errors.js';
import { type ExcessResolutionView, type OemDeps, resolutionViews } from './oem-records.js';

const resolutionNotFound = { code: 'EXCESS_RESOLUTION_NOT_FOUND', message: 'no such remedy' };

/**
 * The remedies chosen for excess defects, newest first: replacement shipments and next-order credits
 * (`pending`: not yet applied to an order). An OEM client's user sees its own.
 */
export async function listExcessResolutions(
  deps: OemDeps,
  actor: Actor,
  query: {
    remedy?: ExcessRemedyCode | undefined;
    pending?: boolean | undefined;
    clientId?: string | undefined;
    limit: number;
    offset: number;
  },
): Promise<ExcessResolutionView[]> {
  const filter = listFilter(actor, 'oemOrders.read');
  if (filter.kind === 'none') throw forbidden();
  const own = filter.kind === 'scope' ? filter.owners.oemClientId : undefined;
  if (filter.kind === 'scope' && !own) return [];
  const rows = await deps.db
    .select()
    .from(excessResolutions)
    .where(
      and(
        own ? eq(excessResolutions.clientId, own) : undefined,
        query.clientId ? eq(excessResolutions.clientId, query.clientId) : undefined,
        query.remedy ? eq(excessResolutions.remedy, query.remedy) : undefined,
        query.pending === undefined
          ? undefined
          : query.pending
            ? and(
                eq(excessResolutions.remedy, 'next_order_credit'),
                isNull(excessResolutions.appliedToOrderId),
              )
            : isNotNull(excessResolutions.appliedToOrderId),
      ),
    )
    .orderBy(desc(excessResolutions.createdAt), desc(excessResolutions.id))
    .limit(query.limit)
    .offset(query.offset);
  return resolutionViews(deps.db, rows);
}

export async function getExcessResolution(
  deps: OemDeps,
  actor: Actor,
  id: string,
): Promise<ExcessResolutionView> {
  const [row] = await deps.db.select().from(excessResolutions).where(eq(excessResolutions.id, id));
  if (!row) throw new AppError('not_found', resolutionNotFound.code, resolutionNotFound.message);
  assertAllowed(actor, 'oemOrders.read', { oemClientId: row.clientId }, resolutionNotFound);
  const [view] = await resolutionViews(deps.db, [row]);
  if (!view) throw new Error('no view of the resolution');
  return view;
}
