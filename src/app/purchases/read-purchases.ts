import { type Actor, listFilter } from '../../domain/access/access.js';
import { forbidden } from '../access.js';
import {
  type PurchasesDeps,
  purchaseScopeCondition,
  purchaseViewFor,
  purchaseViews,
  type PurchaseView,
} from './purchase-view.js';

export type PurchaseListQuery = { limit: number; offset: number };

/**
 * Purchases the actor may see, newest first: a dealer's own sales, a customer's own purchases, or
 * every one for support and admins. The scope is a WHERE clause, never a filter after the fact.
 */
export async function listPurchases(
  deps: PurchasesDeps,
  actor: Actor,
  query: PurchaseListQuery,
): Promise<PurchaseView[]> {
  const filter = listFilter(actor, 'purchases.read');
  if (filter.kind === 'none') throw forbidden();
  const scope = purchaseScopeCondition(filter);
  if (scope === false) return [];
  return purchaseViews(deps, deps.db, scope, query);
}

export async function getPurchase(
  deps: PurchasesDeps,
  actor: Actor,
  purchaseId: string,
): Promise<PurchaseView> {
  return purchaseViewFor(deps, deps.db, actor, purchaseId);
}
