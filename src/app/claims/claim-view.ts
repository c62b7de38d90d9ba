import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Page } from '../lists/keyset.js';
import type { Database, Transaction } from '../../db/client.js';
import {
  type ClaimStatus,
  claims,
  dealers,
  products,
  purchases,
  type RiskReviewStatus,
  riskReviews,
  units,
  users,
} from '../../db/schema.js';
import type { Actor, Action, ListFilter } from '../../domain/access/access.js';
import type { Cause, Decision } from '../../domain/policy/evaluate.js';
import type { Language, RemedyCode } from '../../domain/policy/schema.js';
import type { VerificationState } from '../../domain/purchases/verification.js';
import { assertAllowed } from '../access.js';
import { presentDecision } from '../entitlements/present-decision.js';
import { AppError } from '../errors.js';

export type ClaimView = {
  id: string;
  purchaseId: string;
  endUserId: string;
  reportedOn: string;
  cause: Cause;
  description: string;
  status: ClaimStatus;
  chosenRemedy: RemedyCode | null;
  version: number;
  /** As given when the claim was reported, under the policy version in force then. */
  decision: Decision;
  product: { sku: string; name: { en: string; zh: string } };
  serial: string | null;
  /** `nameZh`: the dealer's name in Chinese, where the maker gave one (the Chinese UI shows it). */
  dealer: { id: string; name: string; nameZh: string | null; phone: string | null } | null;
  /**
   * Set when a fraud signal held the claim before anything was paid out on it: pending while support
   * looks, and the reason when declined. Which rule held it is support's alone (app/risk).
   */
  review: { status: RiskReviewStatus; reason: string | null } | null;
  /**
   * Whether the purchase is verified: until it is, the decision is provisional and no refund,
   * replacement or free repair is carried out on it.
   */
  purchaseVerification: VerificationState;
  /** Who works the claim (app/ownership), or nobody yet. */
  owner: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
};

export const claimNotFound = { code: 'CLAIM_NOT_FOUND', message: 'no such claim' };

/** A claim belongs to its customer and to the dealer who made the sale. */
export const claimOwners = (view: { endUserId: string; dealer: { id: string } | null }) => ({
  endUserId: view.endUserId,
  dealerId: view.dealer?.id ?? null,
});

/** A list's scope as a WHERE condition: a customer's own claims, the claims on a dealer's sales. */
export function claimScopeCondition(filter: ListFilter): SQL | undefined | false {
  if (filter.kind === 'none') return false;
  if (filter.kind === 'all') return undefined;
  if (filter.owners.dealerId) return eq(purchases.dealerId, filter.owners.dealerId);
  if (filter.owners.endUserId) return eq(claims.endUserId, filter.owners.endUserId);
  return false;
}

/**
 * Where a claim's context is read from: its purchase, product, unit (left-joined) and dealer
 * (left-joined). Spread into any select that joins those tables.
 */
export const claimContextColumns = {
  dealerId: purchases.dealerId,
  serial: units.serial,
  sku: products.sku,
  nameEn: products.nameEn,
  nameZh: products.nameZh,
  dealerName: dealers.name,
  dealerNameZh: dealers.nameZh,
  dealerPhone: dealers.phone,
  purchaseVerification: purchases.verification,
};

/** How a page of claims is ordered and cut: the keyset's ORDER BY and the sort key's text form. */
export type ClaimPageOrder = { orderBy: SQL[]; keyText: SQL<string>; limit: number };

function selectClaims(db: Database | Transaction, keyText: SQL<string>) {
  return db
    .select({
      claim: claims,
      ...claimContextColumns,
      reviewStatus: riskReviews.status,
      reviewReason: riskReviews.reason,
      keyText,
      ownerName: users.name,
    })
    .from(claims)
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .innerJoin(products, eq(products.id, purchases.productId))
    .leftJoin(units, eq(units.id, purchases.unitId))
    .leftJoin(dealers, eq(dealers.id, purchases.dealerId))
    .leftJoin(riskReviews, and(eq(riskReviews.subjectKind, 'claim'), eq(riskReviews.subjectId, claims.id)))
    .leftJoin(users, eq(users.id, claims.ownerId));
}

type ClaimRow = Awaited<ReturnType<ReturnType<typeof selectClaims>['execute']>>[number];

const viewOfRow = ({ claim, reviewStatus, reviewReason, keyText: _key, ...row }: ClaimRow) =>
  claimViewOf(claim, row, reviewStatus ? { status: reviewStatus, reason: reviewReason } : null);

/** Claims with their product, unit and dealer, newest first. */
export async function claimViews(
  db: Database | Transaction,
  where: SQL | undefined,
  limit = 1,
): Promise<ClaimView[]> {
  const rows = await selectClaims(db, sql<string>`''`)
    .where(where)
    .orderBy(desc(claims.createdAt), desc(claims.id))
    .limit(limit);
  return rows.map(viewOfRow);
}

/** One keyset page's rows (limit + 1 read, so the page knows whether more follow). */
export async function claimPageRows(
  db: Database | Transaction,
  where: SQL | undefined,
  order: ClaimPageOrder,
): Promise<{ keyText: string; id: string; view: ClaimView }[]> {
  const rows = await selectClaims(db, order.keyText)
    .where(where)
    .orderBy(...order.orderBy)
    .limit(order.limit + 1);
  return rows.map((row) => ({ keyText: row.keyText, id: row.claim.id, view: viewOfRow(row) }));
}

/** How many claims `where` selects, counting no further than `upTo`. */
export async function countClaims(db: Database, where: SQL | undefined, upTo: number): Promise<number> {
  const rows = await db
    .select({ id: claims.id })
    .from(claims)
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .where(where)
    .limit(upTo);
  return rows.length;
}

export type ClaimPage = Page<ClaimView>;

/** What a claim's view shows besides the claim row: its product, unit and dealer. */
export type ClaimContext = {
  dealerId: string | null;
  serial: string | null;
  sku: string;
  nameEn: string;
  nameZh: string;
  dealerName: string | null;
  dealerNameZh: string | null;
  dealerPhone: string | null;
  purchaseVerification: VerificationState;
  /** The owner's display name, when the select joined the users table. */
  ownerName?: string | null;
};

export function claimViewOf(
  claim: typeof claims.$inferSelect,
  row: ClaimContext,
  review: ClaimView['review'] = null,
): ClaimView {
  return {
    id: claim.id,
    purchaseId: claim.purchaseId,
    endUserId: claim.endUserId,
    reportedOn: claim.reportedOn,
    cause: claim.cause,
    description: claim.description,
    status: claim.status,
    chosenRemedy: claim.chosenRemedy,
    version: claim.version,
    decision: claim.decision,
    product: { sku: row.sku, name: { en: row.nameEn, zh: row.nameZh } },
    serial: row.serial,
    dealer:
      row.dealerId && row.dealerName !== null
        ? { id: row.dealerId, name: row.dealerName, nameZh: row.dealerNameZh, phone: row.dealerPhone }
        : null,
    review,
    purchaseVerification: row.purchaseVerification,
    owner: claim.ownerId ? { id: claim.ownerId, name: row.ownerName ?? '' } : null,
    createdAt: claim.createdAt.toISOString(),
    updatedAt: claim.updatedAt.toISOString(),
  };
}

/** One claim by id; unless `actor` is null (its own reporter, just now), checked against `action`. */
export async function claimViewFor(
  db: Database | Transaction,
  actor: Actor | null,
  action: Action,
  claimId: string,
): Promise<ClaimView> {
  const [view] = await claimViews(db, eq(claims.id, claimId));
  if (!view) throw new AppError('not_found', claimNotFound.code, claimNotFound.message);
  if (actor) assertAllowed(actor, action, claimOwners(view), claimNotFound);
  return view;
}

/** The claim as the API shows it: the decision's clauses quoted in the reader's language. */
export function presentClaim(view: ClaimView, lang: Language) {
  const { decision, ...rest } = view;
  return {
    ...rest,
    decision: { ...presentDecision(decision, lang), warrantyEndsOn: decision.warrantyEndsOn },
  };
}
export type PresentedClaim = ReturnType<typeof presentClaim>;
