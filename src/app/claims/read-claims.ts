import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type ClaimStatus, claims } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import { forbidden } from '../access.js';
import { ownerCondition } from '../ownership/owner-filter.js';
import { claimScopeCondition, type ClaimView, claimViewFor, claimViews } from './claim-view.js';

export type ClaimListQuery = {
  status?: ClaimStatus | undefined;
  /** me, none, or a user's id (app/ownership/owner-filter.ts). */
  owner?: string | undefined;
  limit: number;
  offset: number;
};

/**
 * Claims the actor may see, newest first: a customer's own, those on a dealer's sales, or every one
 * for staff. The scope is part of the query, so a page never holds another scope's claim.
 */
export async function listClaims(
  deps: { db: Database },
  actor: Actor,
  query: ClaimListQuery,
): Promise<ClaimView[]> {
  const filter = listFilter(actor, 'claims.read');
  if (filter.kind === 'none') throw forbidden();
  const scope = claimScopeCondition(filter);
  if (scope === false) return [];
  const where = and(
    scope,
    query.status ? eq(claims.status, query.status) : undefined,
    ownerCondition(actor, query.owner, claims.ownerId),
  );
  return claimViews(deps.db, where, { limit: query.limit, offset: query.offset });
}

export async function getClaim(deps: { db: Database }, actor: Actor, claimId: string): Promise<ClaimView> {
  return claimViewFor(deps.db, actor, 'claims.read', claimId);
}
