import { eq, type SQL, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { dealers, products, purchases, units, uploads } from '../../db/schema.js';
import type { Actor, ListFilter } from '../../domain/access/access.js';
import { calendarDateIn, type CalendarLength, type Temporal } from '../../domain/calendar.js';
import type { DecisionWindow } from '../../domain/policy/evaluate.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';
import type { RejectionCode, VerificationState } from '../../domain/purchases/verification.js';
import { decideEntitlement } from '../entitlements/evaluate-entitlement.js';
import { assertAllowed } from '../access.js';
import { AppError } from '../errors.js';
import type { PolicySource } from '../policies/policy-source.js';

export type PurchasesDeps = {
  db: Database;
  policies: PolicySource;
  storeTimeZone: string;
  now: () => Temporal.Instant;
};

/** Where the purchase stands under the policy today, as a quality problem reported today would. */
export type WarrantyStatus = {
  window: DecisionWindow;
  daysSincePurchase: number;
  warrantyEndsOn: string;
  paid: boolean;
};

export type PurchaseView = {
  id: string;
  purchaseDate: string;
  serial: string | null;
  product: { id: string; sku: string; name: { en: string; zh: string } };
  dealer: { id: string; name: string; nameZh: string | null; phone: string | null } | null;
  endUserId: string;
  buyer: { name: string | null; email: string | null; phone: string | null };
  proofUploadId: string | null;
  /** The proof's type and size, to show it beside the sale (null without one). */
  proof: { mediaType: string; sizeBytes: number } | null;
  /** Whether the sale is known to have happened as recorded; until verified, no money moves on it. */
  verification: {
    state: VerificationState;
    /** Who verified or rejected it, as the audit log names them; null while pending. */
    decidedBy: string | null;
    decidedAt: string | null;
    rejectionCode: RejectionCode | null;
    rejectionReason: string | null;
  };
  /** The day the unit left the maker, when known: no purchase of it is dated earlier. */
  unitMadeOn: string | null;
  /** What the buyer paid, when the dealer recorded it. */
  price: { amountMinor: number; currency: string } | null;
  warranty: WarrantyStatus | null;
  /** The day the dealer gave the buyer's money back (at the counter, or once support approved it). */
  refundedOn: string | null;
  createdAt: string;
};

export const purchaseNotFound = { code: 'PURCHASE_NOT_FOUND', message: 'no such purchase' };

/** The owners of a purchase, for `authorize`: its dealer and its customer. */
export const purchaseOwners = (row: { dealerId: string | null; endUserId: string }) => ({
  dealerId: row.dealerId,
  endUserId: row.endUserId,
});

/**
 * A list's scope as a WHERE condition on the purchase's own columns: a dealer's sales, a customer's
 * purchases, or everything. `false` when the scope is empty (an actor without its scope id).
 */
export function purchaseScopeCondition(filter: ListFilter): SQL | undefined | false {
  if (filter.kind === 'none') return false;
  if (filter.kind === 'all') return undefined;
  if (filter.owners.dealerId) return eq(purchases.dealerId, filter.owners.dealerId);
  if (filter.owners.endUserId) return eq(purchases.endUserId, filter.owners.endUserId);
  return false;
}

function warrantyToday(
  versions: readonly PolicyVersion[],
  today: string,
  row: { purchaseDate: string; warrantyOverride: CalendarLength | null },
  storeTimeZone: string,
): WarrantyStatus | null {
  try {
    const decision = decideEntitlement(
      versions,
      { purchaseDate: row.purchaseDate, reportDate: today, cause: 'quality' },
      { storeTimeZone, warrantyOverride: row.warrantyOverride },
    );
    return {
      window: decision.window,
      daysSincePurchase: decision.daysSincePurchase,
      warrantyEndsOn: decision.warrantyEndsOn,
      paid: decision.paid,
    };
  } catch (err) {
    // A purchase dated before any policy version has no status to show; the list must still load.
    if (err instanceof AppError) return null;
    throw err;
  }
}

const selection = {
  purchase: purchases,
  serial: units.serial,
  sku: products.sku,
  nameEn: products.nameEn,
  nameZh: products.nameZh,
  warrantyOverride: products.warrantyOverride,
  dealerName: dealers.name,
  dealerNameZh: dealers.nameZh,
  dealerPhone: dealers.phone,
  unitMadeOn: units.madeOn,
  proofMediaType: uploads.mediaType,
  proofSizeBytes: uploads.sizeBytes,
  // A refund carried out on any claim of the sale: one a support approval still waits for, or refused,
  // did not happen. The claim's remedy is unique per claim, so this reads one or two rows.
  refundedOn: sql<string | null>`(select min(r.performed_on)::text from dealer_remedies r
    join claims c on c.id = r.claim_id
    where c.purchase_id = ${purchases.id} and r.kind = 'refund' and r.approval in ('none', 'approved'))`,
};

/** How a read of purchases is ordered and cut: a list's keyset (its ORDER BY and key text), or one row. */
export type PurchaseRead = { orderBy: SQL[]; limit: number; keyText?: SQL<string> | undefined };

const oneRow: PurchaseRead = { orderBy: [sql`${purchases.id}`], limit: 1 };

/** Purchases with their product, unit and dealer, each with today's warranty (and its list key). */
export async function purchaseRows(
  deps: PurchasesDeps,
  db: Database | Transaction,
  where: SQL | undefined,
  read: PurchaseRead,
): Promise<{ keyText: string; id: string; view: PurchaseView }[]> {
  const [rows, versions] = await Promise.all([
    db
      .select({ ...selection, keyText: read.keyText ?? sql<string>`''` })
      .from(purchases)
      .innerJoin(products, eq(products.id, purchases.productId))
      .leftJoin(units, eq(units.id, purchases.unitId))
      .leftJoin(dealers, eq(dealers.id, purchases.dealerId))
      .leftJoin(uploads, eq(uploads.id, purchases.proofUploadId))
      .where(where)
      .orderBy(...read.orderBy)
      .limit(read.limit),
    deps.policies.versions(),
  ]);
  const today = calendarDateIn(deps.now(), deps.storeTimeZone).toString();
  return rows.map((row) => {
    const p = row.purchase;
    const view: PurchaseView = {
      id: p.id,
      purchaseDate: p.purchaseDate,
      serial: row.serial,
      product: { id: p.productId, sku: row.sku, name: { en: row.nameEn, zh: row.nameZh } },
      dealer:
        p.dealerId && row.dealerName !== null
          ? { id: p.dealerId, name: row.dealerName, nameZh: row.dealerNameZh, phone: row.dealerPhone }
          : null,
      endUserId: p.endUserId,
      buyer: { name: p.buyerName, email: p.buyerEmail, phone: p.buyerPhone },
      proofUploadId: p.proofUploadId,
      proof:
        p.proofUploadId && row.proofMediaType !== null && row.proofSizeBytes !== null
          ? { mediaType: row.proofMediaType, sizeBytes: row.proofSizeBytes }
          : null,
      verification: {
        state: p.verification,
        decidedBy: p.verifiedBy,
        decidedAt: p.verifiedAt?.toISOString() ?? null,
        rejectionCode: p.rejectionCode,
        rejectionReason: p.rejectionReason,
      },
      unitMadeOn: row.unitMadeOn,
      price:
        p.priceMinor === null || p.currency === null
          ? null
          : { amountMinor: p.priceMinor, currency: p.currency },
      warranty: warrantyToday(
        versions,
        today,
        { ...p, warrantyOverride: row.warrantyOverride },
        deps.storeTimeZone,
      ),
      refundedOn: row.refundedOn,
      createdAt: p.createdAt.toISOString(),
    };
    return { keyText: row.keyText, id: p.id, view };
  });
}

/** The purchases a condition selects (one, by default): as the answers of single-purchase actions show them. */
export async function purchaseViews(
  deps: PurchasesDeps,
  db: Database | Transaction,
  where: SQL | undefined,
  read: PurchaseRead = oneRow,
): Promise<PurchaseView[]> {
  return (await purchaseRows(deps, db, where, read)).map((r) => r.view);
}

/** One purchase by id, as the actor may see it: another scope's purchase is a 404. */
export async function purchaseViewFor(
  deps: PurchasesDeps,
  db: Database | Transaction,
  actor: Actor,
  purchaseId: string,
): Promise<PurchaseView> {
  const [view] = await purchaseViews(deps, db, eq(purchases.id, purchaseId));
  if (!view) throw new AppError('not_found', purchaseNotFound.code, purchaseNotFound.message);
  assertAllowed(
    actor,
    'purchases.read',
    { dealerId: view.dealer?.id ?? null, endUserId: view.endUserId },
    purchaseNotFound,
  );
  return view;
}
