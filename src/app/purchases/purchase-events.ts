import { inArray, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import { purchases } from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';
import { recordEvents } from '../events/record-event.js';
import { type PurchasesDeps, purchaseOwners, purchaseViews } from './purchase-view.js';

/**
 * The events of purchases just written, in the transaction that wrote them: each purchase as the API
 * shows it, for its dealer and its customer. The policy versions are the ones the caller read before
 * its transaction (on PGlite, one connection, nothing may be read outside it meanwhile). One read for
 * a whole import.
 */
export async function recordPurchaseEvents(
  tx: Transaction,
  deps: Pick<PurchasesDeps, 'storeTimeZone' | 'now'> & { versions: readonly PolicyVersion[] },
  type: 'purchase.recorded' | 'purchase.verified',
  purchaseIds: readonly string[],
  occurredAt: Temporal.Instant | Date,
): Promise<void> {
  if (purchaseIds.length === 0) return;
  const views = await purchaseViews(
    {
      db: tx,
      storeTimeZone: deps.storeTimeZone,
      now: deps.now,
      policies: { versions: () => Promise.resolve(deps.versions), invalidate: () => undefined },
    },
    tx,
    inArray(purchases.id, [...purchaseIds]),
    { orderBy: [sql`${purchases.id}`], limit: purchaseIds.length },
  );
  const byId = new Map(views.map((v) => [v.id, v]));
  await recordEvents(
    tx,
    purchaseIds.map((id) => {
      const view = byId.get(id);
      if (!view) throw new Error(`purchase ${id} just written is not there`);
      return {
        type,
        subjectId: id,
        scope: purchaseOwners({ dealerId: view.dealer?.id ?? null, endUserId: view.endUserId }),
        data: view,
        occurredAt,
      };
    }),
  );
}

/**
 * A dealer's sales just written: a new purchase is recorded; a customer's pending registration the
 * sale met became that sale, verified.
 */
export async function recordSaleEvents(
  tx: Transaction,
  deps: Pick<PurchasesDeps, 'storeTimeZone' | 'now'> & { versions: readonly PolicyVersion[] },
  written: { ids: readonly string[]; matched: readonly { purchaseId: string }[] },
  occurredAt: Temporal.Instant | Date,
): Promise<void> {
  const matched = new Set(written.matched.map((m) => m.purchaseId));
  const recorded = written.ids.filter((id) => !matched.has(id));
  await recordPurchaseEvents(tx, deps, 'purchase.recorded', recorded, occurredAt);
  await recordPurchaseEvents(tx, deps, 'purchase.verified', [...matched], occurredAt);
}
