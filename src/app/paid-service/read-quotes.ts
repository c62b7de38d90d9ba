import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { claims, endUsers, maintenanceOrders, quotes } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { QuoteState } from '../../domain/paid-service/quote.js';
import { assertAllowed, forbidden } from '../access.js';
import { loadQuote, quoteNotFound, quoteView, type QuoteView } from './quotes.js';

export type QuotesDeps = { db: Database };

/**
 * Quotes newest first: every one for staff, a customer's own, or those a center's engineers priced for
 * its maintenance orders. The scope is a condition of the query, never a filter after it.
 */
export async function listQuotes(
  deps: QuotesDeps,
  actor: Actor,
  query: { state?: QuoteState | undefined; claimId?: string | undefined },
): Promise<QuoteView[]> {
  const filter = listFilter(actor, 'quotes.read');
  if (filter.kind === 'none') throw forbidden();
  const conditions: SQL[] = [];
  if (filter.kind === 'scope') {
    const { endUserId, serviceCenterId } = filter.owners;
    if (endUserId) conditions.push(eq(claims.endUserId, endUserId));
    else if (serviceCenterId) conditions.push(eq(maintenanceOrders.serviceCenterId, serviceCenterId));
    else return [];
  }
  if (query.state) conditions.push(eq(quotes.state, query.state));
  if (query.claimId) conditions.push(eq(quotes.claimId, query.claimId));
  const rows = await deps.db
    .select({
      quote: quotes,
      maintenanceNumber: maintenanceOrders.maintenanceNumber,
      customer: { name: endUsers.name, email: endUsers.email, phone: endUsers.phone },
    })
    .from(quotes)
    .innerJoin(claims, eq(claims.id, quotes.claimId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .leftJoin(maintenanceOrders, eq(maintenanceOrders.id, quotes.maintenanceOrderId))
    .where(and(...conditions))
    .orderBy(desc(quotes.createdAt), desc(quotes.id))
    .limit(500);
  return rows.map((r) => quoteView(r.quote, r.maintenanceNumber, r.customer));
}

export async function getQuote(deps: QuotesDeps, actor: Actor, quoteId: string): Promise<QuoteView> {
  const loaded = await loadQuote(deps.db, quoteId);
  assertAllowed(actor, 'quotes.read', loaded.owners, quoteNotFound);
  return quoteView(loaded.quote, loaded.maintenanceNumber, loaded.customer);
}
