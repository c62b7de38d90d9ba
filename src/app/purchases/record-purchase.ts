import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { dealers, purchases } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Money } from '../../domain/money.js';
import { calendarDateIn } from '../../domain/calendar.js';
import { checkSale, type Sale, type SaleField } from '../../domain/purchases/sale.js';
import { assertAllowed } from '../access.js';
import { AppError } from '../errors.js';
import { type PurchasesDeps, purchaseViews, type PurchaseView } from './purchase-view.js';
import { redecideClaims } from './redecide-claims.js';
import { recordSaleEvents } from './purchase-events.js';
import { resolveSales, saleRaceConflict, type SaleLookupCode, writeSalesAndMatches } from './sales.js';

export type RecordPurchaseInput = {
  /** Support and admins name the dealer; a dealer records its own sales and may leave it out. */
  dealerId?: string | undefined;
  serial?: string | undefined;
  sku?: string | undefined;
  purchaseDate: string;
  buyer: { name: string; email?: string | undefined; phone?: string | undefined };
  /** What the buyer paid (optional): a refund never gives back more; without it a refund waits for support. */
  price?: Money | undefined;
  idempotencyKey?: string | undefined;
};

export type RecordedPurchase = PurchaseView & { replayed: boolean };

const dealerNotFound = { code: 'DEALER_NOT_FOUND', message: 'no such dealer' };

/** Where each field of a sale is in the JSON request, for error details. */
const jsonField: Record<SaleField, string> = {
  serial: 'serial',
  sku: 'sku',
  purchaseDate: 'purchaseDate',
  buyerName: 'buyer.name',
  buyerEmail: 'buyer.email',
  buyerPhone: 'buyer.phone',
  price: 'price.amountMinor',
  currency: 'price.currency',
};

/** A sold unit is a conflict with what is on record; the other look-up failures are bad input. */
export function lookupErrorKind(code: SaleLookupCode): 'conflict' | 'invalid' | 'unprocessable' {
  if (code === 'SERIAL_ALREADY_RECORDED' || code === 'UNIT_RETURNED') return 'conflict';
  // Well-formed, but contradicts the unit's record.
  if (code === 'PURCHASE_BEFORE_UNIT_MADE') return 'unprocessable';
  return 'invalid';
}

/**
 * The dealer a sale is recorded for: a dealer's own (naming another is as if it did not exist),
 * or the one support or an admin names, which must exist.
 */
export async function dealerOfSale(
  db: Database,
  actor: Actor,
  dealerId: string | undefined,
): Promise<string> {
  const id = dealerId ?? (actor.role === 'dealer' ? actor.scope.dealerId : undefined);
  if (id === undefined) {
    throw new AppError('invalid', 'DEALER_REQUIRED', 'name the dealer who made the sale (dealerId)', {
      field: 'dealerId',
    });
  }
  assertAllowed(actor, 'purchases.record', { dealerId: id }, dealerNotFound);
  const [row] = await db.select({ id: dealers.id }).from(dealers).where(eq(dealers.id, id)).limit(1);
  if (!row) throw new AppError('not_found', dealerNotFound.code, dealerNotFound.message);
  return row.id;
}

/** A key names one sale: the same key with another sale is a client bug, not a retry. */
function assertSameSale(view: PurchaseView, dealerId: string, sale: Sale): void {
  const same =
    view.dealer?.id === dealerId &&
    view.purchaseDate === sale.purchaseDate &&
    (sale.sku === undefined || view.product.sku === sale.sku) &&
    view.serial === (sale.serial ?? null) &&
    view.buyer.name === sale.buyerName &&
    view.buyer.email === (sale.buyerEmail ?? null) &&
    view.buyer.phone === (sale.buyerPhone ?? null) &&
    (sale.price === undefined
      ? view.price === null
      : view.price?.amountMinor === sale.price.amountMinor && view.price.currency === sale.price.currency);
  if (!same) {
    throw new AppError(
      'conflict',
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used for a different sale; use a new key for a new sale',
    );
  }
}

async function purchaseByKey(deps: PurchasesDeps, key: string): Promise<PurchaseView | undefined> {
  const [view] = await purchaseViews(deps, deps.db, eq(purchases.idempotencyKey, key));
  return view;
}

/**
 * A dealer records one sale: the unit (known, or new with its SKU), the customer (found by e-mail or
 * phone, or created) and the purchase with its audit event, in one transaction. A retry with the same
 * Idempotency-Key answers with the sale first recorded, even when the retries race.
 */
export async function recordPurchase(
  deps: PurchasesDeps,
  actor: Actor,
  input: RecordPurchaseInput,
): Promise<RecordedPurchase> {
  const checked = checkSale(
    {
      serial: input.serial,
      sku: input.sku,
      purchaseDate: input.purchaseDate,
      buyerName: input.buyer.name,
      buyerEmail: input.buyer.email,
      buyerPhone: input.buyer.phone,
      price: input.price,
    },
    { today: calendarDateIn(deps.now(), deps.storeTimeZone), timeZone: deps.storeTimeZone },
  );
  if (!checked.ok) {
    const [first] = checked.problems;
    throw new AppError('invalid', first?.code ?? 'INVALID_SALE', first?.message ?? 'the sale is invalid', {
      field: first ? jsonField[first.field] : undefined,
      problems: checked.problems.map((p) => ({ ...p, field: jsonField[p.field] })),
    });
  }
  const { sale } = checked;
  const dealerId = await dealerOfSale(deps.db, actor, input.dealerId);

  const replay = async (key: string) => {
    const earlier = await purchaseByKey(deps, key);
    if (!earlier) return undefined;
    assertSameSale(earlier, dealerId, sale);
    return { ...earlier, replayed: true };
  };
  if (input.idempotencyKey) {
    const earlier = await replay(input.idempotencyKey);
    if (earlier) return earlier;
  }

  // Read before the transaction: a registration this sale matches may have claims to decide again.
  const versions = await deps.policies.versions();
  const now = new Date(deps.now().epochMilliseconds);
  try {
    const id = await deps.db.transaction(async (tx) => {
      const resolved = await resolveSales(tx, [sale]);
      if (!resolved.ok) {
        const [first] = resolved.problems;
        if (!first) throw new Error('a refused sale names its problem');
        throw new AppError(lookupErrorKind(first.code), first.code, first.message, {
          field: jsonField[first.field],
        });
      }
      const written = await writeSalesAndMatches(tx, resolved.resolved, {
        actor,
        dealerId,
        action: 'purchase.recorded',
        idempotencyKey: input.idempotencyKey,
        at: now,
      });
      for (const m of written.matched) {
        if (m.changes.purchaseDate) {
          const context = { versions, storeTimeZone: deps.storeTimeZone, actor, at: now };
          await redecideClaims(tx, context, m.purchaseId, m.changes.purchaseDate.to);
        }
      }
      await recordSaleEvents(tx, { ...deps, versions }, written, now);
      return written.ids[0];
    });
    // Read after the commit: the warranty status reads the policy versions, which on PGlite (one
    // connection) must not wait on the transaction that holds it.
    const [view] = await purchaseViews(deps, deps.db, eq(purchases.id, id ?? ''));
    if (!view) throw new Error('the recorded purchase is not there');
    return { ...view, replayed: false };
  } catch (err) {
    // Two retries raced: the loser's insert hit the key the winner wrote; answer with the winner's sale.
    if (input.idempotencyKey && isUniqueViolation(err, 'purchases_idempotency_key_unique')) {
      const winner = await replay(input.idempotencyKey);
      if (winner) return winner;
    }
    throw saleRaceConflict(err) ?? err;
  }
}
