import { and, eq, inArray } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import { claims, dealerRemedies, products, purchases, units } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { mayStartRemedy } from '../../domain/claims/remedy-chain.js';
import { checkRefund, checkReimbursement } from '../../domain/claims/remedy-amounts.js';
import type { Money } from '../../domain/money.js';
import { unitTransition, unitTransitions, type UnitState } from '../../domain/units/unit-state.js';
import { approvalReasons, type ApprovalReason } from '../approvals/request-approval.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { UNKNOWN_LOT } from '../purchases/sales.js';
import type { DealerRemedyInput } from './perform-dealer-remedy.js';

/*
 * The trust rules of a dealer remedy (issue 14), kept beside the use case so that it reads as before:
 * the unit registry is the truth for what comes back and what is handed over, one sale has one free
 * remedy chain, and the amounts are bounded by what was paid and what things cost.
 */

/** The sale a claim is on, locked for the remedy: its unit, its price, its product's catalogue price. */
export type SaleOfClaim = {
  purchaseId: string;
  productId: string;
  sku: string;
  unitId: string | null;
  /** The day the warranty counts from, for the replacement unit too. */
  purchaseDate: string;
  price: Money | null;
  cataloguePrice: Money | null;
};

const moneyOf = (amountMinor: number | null, currency: string | null): Money | null =>
  amountMinor === null || currency === null ? null : { amountMinor, currency };

/**
 * Locks the sale's row (after the claim's, as every remedy locks them), so that two counters working
 * on two claims of one sale at once are taken one after the other.
 */
export async function lockSaleOfClaim(tx: Transaction, purchaseId: string): Promise<SaleOfClaim> {
  const [row] = await tx
    .select({
      purchaseId: purchases.id,
      productId: purchases.productId,
      unitId: purchases.unitId,
      purchaseDate: purchases.purchaseDate,
      priceMinor: purchases.priceMinor,
      currency: purchases.currency,
      sku: products.sku,
      catalogueMinor: products.priceMinor,
      catalogueCurrency: products.currency,
    })
    .from(purchases)
    .innerJoin(products, eq(products.id, purchases.productId))
    .where(eq(purchases.id, purchaseId))
    .for('update', { of: purchases });
  if (!row) throw new Error(`purchase ${purchaseId} of a claim is missing`);
  return {
    purchaseId: row.purchaseId,
    productId: row.productId,
    sku: row.sku,
    unitId: row.unitId,
    purchaseDate: row.purchaseDate,
    price: moneyOf(row.priceMinor, row.currency),
    cataloguePrice: moneyOf(row.catalogueMinor, row.catalogueCurrency),
  };
}

/**
 * One sale, one free remedy chain (domain/claims/remedy-chain.ts): a sale refunded or replaced at the
 * counter — on any of its claims, the replacement unit's included, since it carries on the same sale —
 * takes no other dealer remedy.
 */
export async function assertRemedyChainOpen(tx: Transaction, purchaseId: string): Promise<void> {
  const done = await tx
    .select({ claimId: dealerRemedies.claimId, kind: dealerRemedies.kind, approval: dealerRemedies.approval })
    .from(dealerRemedies)
    .innerJoin(claims, eq(claims.id, dealerRemedies.claimId))
    .where(eq(claims.purchaseId, purchaseId));
  const decision = mayStartRemedy(done);
  if (decision.ok) return;
  const { blocking } = decision;
  throw new AppError(
    'conflict',
    'PURCHASE_ALREADY_REMEDIED',
    blocking.kind === 'refund'
      ? `this sale was already refunded (claim ${blocking.claimId}); a refunded sale takes no other remedy`
      : `this sale already got a new unit (claim ${blocking.claimId}); one sale has one free remedy at the dealer — a fault of the new unit is repaired under the remaining warranty`,
    { claimId: blocking.claimId, kind: blocking.kind, approval: blocking.approval },
  );
}

type RegistryUnit = {
  id: string;
  serial: string;
  productId: string;
  sku: string;
  state: UnitState;
  sold: boolean;
};

async function lockUnit(
  tx: Transaction,
  where: { serial: string } | { id: string },
): Promise<RegistryUnit | undefined> {
  const [row] = await tx
    .select({
      id: units.id,
      serial: units.serial,
      productId: units.productId,
      sku: products.sku,
      state: units.state,
    })
    .from(units)
    .innerJoin(products, eq(products.id, units.productId))
    .where('serial' in where ? eq(units.serial, where.serial) : eq(units.id, where.id))
    .for('update', { of: units });
  if (!row) return undefined;
  const [sale] = await tx
    .select({ id: purchases.id })
    .from(purchases)
    .where(eq(purchases.unitId, row.id))
    .limit(1);
  return { ...row, sold: sale !== undefined };
}

/** The unit that comes back: the registry's, or a serial first seen now (a sale recorded by SKU alone). */
export type ReturnedUnit = { kind: 'registry'; unit: RegistryUnit } | { kind: 'new'; serial: string };

const unitAlreadyReturned = (serial: string) =>
  new AppError(
    'conflict',
    'UNIT_ALREADY_RETURNED',
    `the unit ${serial} was already returned; a unit comes back once`,
    {
      field: 'returnedSerial',
    },
  );

/**
 * The returned serial is the sale's own unit when the sale has one (left out, it is that unit). A sale
 * recorded by SKU alone may name the unit that comes back: a registry unit of the product nobody else
 * bought, or a serial the registry does not know yet (it is added as returned). Either way a unit
 * comes back once.
 */
export async function resolveReturnedUnit(
  tx: Transaction,
  sale: SaleOfClaim,
  returnedSerial: string | undefined,
): Promise<ReturnedUnit | undefined> {
  if (sale.unitId !== null) {
    const own = await lockUnit(tx, { id: sale.unitId });
    if (!own) throw new Error(`unit ${sale.unitId} of a purchase is missing`);
    if (returnedSerial !== undefined && returnedSerial !== own.serial) {
      throw new AppError(
        'invalid',
        'RETURNED_SERIAL_MISMATCH',
        `the unit sold in this sale is ${own.serial}; the returned unit must be that one, not ${returnedSerial}`,
        { field: 'returnedSerial', expected: own.serial },
      );
    }
    if (!unitTransition(own.state, 'return').ok) throw unitAlreadyReturned(own.serial);
    return { kind: 'registry', unit: own };
  }
  if (returnedSerial === undefined) return undefined;
  const unit = await lockUnit(tx, { serial: returnedSerial });
  if (!unit) return { kind: 'new', serial: returnedSerial };
  if (unit.productId !== sale.productId) {
    throw new AppError(
      'invalid',
      'RETURNED_SERIAL_WRONG_PRODUCT',
      `${returnedSerial} is a unit of ${unit.sku}; this sale was of ${sale.sku}`,
      { field: 'returnedSerial', expectedSku: sale.sku, unitSku: unit.sku },
    );
  }
  if (!unitTransition(unit.state, 'return').ok) throw unitAlreadyReturned(returnedSerial);
  if (unit.sold || unit.state !== 'in_stock') {
    throw new AppError(
      'conflict',
      'RETURNED_SERIAL_OF_ANOTHER_SALE',
      `${returnedSerial} belongs to another sale; the returned unit must be this sale's`,
      { field: 'returnedSerial' },
    );
  }
  return { kind: 'registry', unit };
}

/**
 * The new unit of a same-type replacement: a unit of the claimed product's SKU that the registry knows,
 * in stock — not sold, not returned, not already someone's replacement.
 */
export async function resolveReplacementUnit(
  tx: Transaction,
  sale: SaleOfClaim,
  serial: string,
): Promise<RegistryUnit> {
  const unit = await lockUnit(tx, { serial });
  const field = { field: 'replacementSerial' };
  if (!unit) {
    throw new AppError(
      'invalid',
      'REPLACEMENT_UNKNOWN_SERIAL',
      `no unit with the serial ${serial} is on record; hand over a unit from the registry`,
      field,
    );
  }
  if (unit.productId !== sale.productId) {
    throw new AppError(
      'invalid',
      'REPLACEMENT_WRONG_PRODUCT',
      `${serial} is a unit of ${unit.sku}; a same-type replacement of ${sale.sku} must be a ${sale.sku}`,
      { ...field, expectedSku: sale.sku, unitSku: unit.sku },
    );
  }
  const move = unitTransition(unit.state, 'handOver');
  if (!move.ok || unit.sold) {
    const code =
      unit.state === 'returned'
        ? 'REPLACEMENT_UNIT_RETURNED'
        : unit.state === 'replacement'
          ? 'REPLACEMENT_UNIT_TAKEN'
          : 'REPLACEMENT_UNIT_SOLD';
    const what = {
      REPLACEMENT_UNIT_RETURNED: 'was returned',
      REPLACEMENT_UNIT_TAKEN: 'was already handed over as a replacement',
      REPLACEMENT_UNIT_SOLD: 'was sold',
    }[code];
    throw new AppError('conflict', code, `the unit ${serial} ${what}; hand over a unit in stock`, {
      ...field,
      state: unit.state,
    });
  }
  return unit;
}

/**
 * Moves the units in the registry: the returned one to `returned`, the new one to `replacement`, and
 * the sale onto the new unit — the sale (its purchase date, its warranty) carries on: the clock does
 * not restart. Conditional updates, so a unit that moved meanwhile refuses instead of moving twice.
 */
export async function moveUnits(
  tx: Transaction,
  actor: Actor,
  context: {
    sale: SaleOfClaim;
    remedyId: string;
    returned: ReturnedUnit | undefined;
    replacement?: RegistryUnit;
  },
): Promise<{ returnedUnitId: string | null; replacementUnitId: string | null }> {
  const { sale, remedyId, returned, replacement } = context;
  let returnedUnitId: string | null = null;
  if (returned?.kind === 'new') {
    const [created] = await tx
      .insert(units)
      .values({ serial: returned.serial, productId: sale.productId, lot: UNKNOWN_LOT, state: 'returned' })
      .returning({ id: units.id });
    returnedUnitId = created?.id ?? null;
  } else if (returned?.kind === 'registry') {
    const [moved] = await tx
      .update(units)
      .set({ state: unitTransitions.return.to })
      .where(and(eq(units.id, returned.unit.id), inArray(units.state, [...unitTransitions.return.from])))
      .returning({ id: units.id });
    if (!moved) throw unitAlreadyReturned(returned.unit.serial);
    returnedUnitId = moved.id;
  }
  if (returnedUnitId !== null) {
    await recordAudit(tx, actor, {
      action: 'unit.returned',
      entityType: 'unit',
      entityId: returnedUnitId,
      data: { purchaseId: sale.purchaseId, dealerRemedyId: remedyId, firstSeen: returned?.kind === 'new' },
    });
  }
  let replacementUnitId: string | null = null;
  if (replacement) {
    const [handed] = await tx
      .update(units)
      .set({ state: unitTransitions.handOver.to })
      .where(and(eq(units.id, replacement.id), inArray(units.state, [...unitTransitions.handOver.from])))
      .returning({ id: units.id });
    if (!handed) {
      throw new AppError(
        'conflict',
        'REPLACEMENT_UNIT_TAKEN',
        `the unit ${replacement.serial} was handed over meanwhile`,
        {
          field: 'replacementSerial',
        },
      );
    }
    replacementUnitId = handed.id;
    await tx.update(purchases).set({ unitId: handed.id }).where(eq(purchases.id, sale.purchaseId));
    await recordAudit(tx, actor, {
      action: 'unit.handed_over',
      entityType: 'unit',
      entityId: handed.id,
      data: { purchaseId: sale.purchaseId, dealerRemedyId: remedyId, replaces: sale.unitId },
    });
    await recordAudit(tx, actor, {
      action: 'purchase.unit_replaced',
      entityType: 'purchase',
      entityId: sale.purchaseId,
      data: { fromUnitId: sale.unitId, toUnitId: handed.id, dealerRemedyId: remedyId },
    });
  }
  return { returnedUnitId, replacementUnitId };
}

export type RemedyAmounts = {
  /** What the dealer asks back, checked against the catalogue price (and the refund). */
  asked: Money | undefined;
  /** Why the refund waits for support before it counts; empty: done at the counter. */
  refundWaits: ApprovalReason[];
};

/**
 * A refund gives back at most the sale's price (a sale without one: support approves first); a refund
 * above the four-eyes threshold waits for support too. What the dealer asks back is at most the
 * catalogue price, and for a refund at most the refund.
 */
export async function checkRemedyAmounts(
  tx: Transaction,
  sale: SaleOfClaim,
  input: DealerRemedyInput,
): Promise<RemedyAmounts> {
  const refund = input.kind === 'refund' ? input.refund : undefined;
  const asked = input.kind === 'refund' ? (input.reimbursement ?? input.refund) : input.reimbursement;
  const found: ApprovalReason[] = [];
  if (refund) {
    const checked = checkRefund(refund, sale.price);
    if (!checked.ok) throw amountRefused(checked.error);
    if (checked.needsApproval) found.push('no_sale_price');
  }
  if (asked) {
    const checked = checkReimbursement(asked, { cataloguePrice: sale.cataloguePrice, refund });
    if (!checked.ok) throw amountRefused(checked.error);
  }
  const refundWaits = refund ? await approvalReasons(tx, refund, found) : [];
  return { asked, refundWaits };
}

function amountRefused(error: { code: string; field: string; message: string; limit: Money }): AppError {
  return new AppError('invalid', error.code, error.message, { field: error.field, limit: error.limit });
}
