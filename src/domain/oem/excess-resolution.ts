import { type Money, multiplyAmount } from '../money.js';
import type { ExcessRemedyCode } from '../policy/schema.js';

/*
 * Beyond the spares, the client chooses (policy clause OEM 1): new products shipped to replace the
 * excess defects, or a credit on its next order — in units of the product, or in money at the order's
 * unit price. A credit is applied whole to the client's next order that can take it.
 */

export type CreditKind = 'units' | 'money';

export type ExcessRemedyChoice =
  | { remedy: 'replacement_shipment'; units?: number | undefined }
  | { remedy: 'next_order_credit'; credit: CreditKind; units?: number | undefined };

export type ExcessResolutionDecision = {
  remedy: ExcessRemedyCode;
  units: number;
  creditKind: CreditKind | null;
  /** A money credit's amount: the units at the order's unit price. */
  creditAmount: Money | null;
};

export type ExcessResolutionError = {
  code:
    | 'NO_EXCESS'
    | 'REMEDY_NOT_OFFERED'
    | 'UNITS_EXCEED_EXCESS'
    | 'INVALID_UNITS'
    | 'UNIT_PRICE_UNKNOWN'
    | 'AMOUNT_OUT_OF_RANGE';
  message: string;
  unresolvedExcess: number;
};

/** Excess units no remedy was chosen for yet. Never below zero (a remake may cover units later). */
export function unresolvedExcess(excess: number, resolvedUnits: number): number {
  return Math.max(0, excess - resolvedUnits);
}

/**
 * The client's choice for the excess of one order: all the unresolved excess by default, or part of
 * it (the rest stays to be chosen for). Pure: the caller stores it with its version check.
 */
export function resolveExcess(args: {
  excess: number;
  resolvedUnits: number;
  unitPrice: Money | null;
  offered: readonly ExcessRemedyCode[];
  choice: ExcessRemedyChoice;
}): { ok: true; resolution: ExcessResolutionDecision } | { ok: false; error: ExcessResolutionError } {
  const open = unresolvedExcess(args.excess, args.resolvedUnits);
  const fail = (code: ExcessResolutionError['code'], message: string) =>
    ({ ok: false, error: { code, message, unresolvedExcess: open } }) as const;
  if (!args.offered.includes(args.choice.remedy)) {
    return fail('REMEDY_NOT_OFFERED', `the policy does not offer ${args.choice.remedy} for excess defects`);
  }
  if (open === 0) {
    return fail(
      'NO_EXCESS',
      args.excess === 0
        ? 'the spares cover every defect reported so far: there is no excess to choose a remedy for'
        : 'a remedy was already chosen for every excess unit',
    );
  }
  const units = args.choice.units ?? open;
  if (!Number.isSafeInteger(units) || units <= 0) {
    return fail('INVALID_UNITS', 'a remedy is for a whole number of units above zero');
  }
  if (units > open) {
    return fail('UNITS_EXCEED_EXCESS', `only ${open} excess units are without a remedy, not ${units}`);
  }
  if (args.choice.remedy === 'replacement_shipment') {
    return {
      ok: true,
      resolution: { remedy: 'replacement_shipment', units, creditKind: null, creditAmount: null },
    };
  }
  if (args.choice.credit === 'units') {
    return {
      ok: true,
      resolution: { remedy: 'next_order_credit', units, creditKind: 'units', creditAmount: null },
    };
  }
  if (!args.unitPrice) {
    return fail(
      'UNIT_PRICE_UNKNOWN',
      'the order has no unit price, so a money credit cannot be worked out: take a credit in units, or ask sales to record the price',
    );
  }
  const amountMinor = multiplyAmount(units, args.unitPrice.amountMinor);
  if (typeof amountMinor !== 'number')
    return fail('AMOUNT_OUT_OF_RANGE', `the credit: ${amountMinor.message}`);
  return {
    ok: true,
    resolution: {
      remedy: 'next_order_credit',
      units,
      creditKind: 'money',
      creditAmount: { amountMinor, currency: args.unitPrice.currency },
    },
  };
}

/** A credit waiting for the client's next order. */
export type PendingCredit = {
  id: string;
  productId: string;
  kind: CreditKind;
  units: number;
  amount: Money | null;
};

/**
 * Which pending credits a new order of the client takes, oldest first: a unit credit goes to the next
 * order of the same product (its units ship free with it); a money credit to the next order priced in
 * its currency whose value can hold it whole (so a credit is never split or lost). The rest wait.
 */
export function creditsForNewOrder(
  pending: readonly PendingCredit[],
  order: { productId: string; quantity: number; unitPrice: Money | null },
): string[] {
  const applied: string[] = [];
  let valueLeft = order.unitPrice === null ? 0 : order.quantity * order.unitPrice.amountMinor;
  for (const credit of pending) {
    if (credit.kind === 'units') {
      if (credit.productId === order.productId) applied.push(credit.id);
      continue;
    }
    if (!credit.amount || !order.unitPrice || credit.amount.currency !== order.unitPrice.currency) continue;
    if (credit.amount.amountMinor <= valueLeft) {
      applied.push(credit.id);
      valueLeft -= credit.amount.amountMinor;
    }
  }
  return applied;
}

export type OrderBilling = {
  /** Units shipped free because of unit credits from earlier orders. */
  freeUnits: number;
  orderValue: Money | null;
  creditApplied: Money | null;
  amountDue: Money | null;
};

/** What an order costs the client once its credits are applied. */
export function orderBilling(
  order: { quantity: number; unitPrice: Money | null },
  applied: readonly Pick<PendingCredit, 'kind' | 'units' | 'amount'>[],
): OrderBilling {
  const freeUnits = applied.filter((c) => c.kind === 'units').reduce((s, c) => s + c.units, 0);
  if (!order.unitPrice) return { freeUnits, orderValue: null, creditApplied: null, amountDue: null };
  const { currency } = order.unitPrice;
  const value = multiplyAmount(order.quantity, order.unitPrice.amountMinor);
  // Only an order booked before amounts were checked can be worth more than any amount may be: it is
  // shown without a value rather than answered with a number no client (nor the response schema) takes.
  if (typeof value !== 'number') return { freeUnits, orderValue: null, creditApplied: null, amountDue: null };
  const credit = applied
    .filter((c) => c.kind === 'money' && c.amount?.currency === currency)
    .reduce((s, c) => s + (c.amount?.amountMinor ?? 0), 0);
  return {
    freeUnits,
    orderValue: { amountMinor: value, currency },
    creditApplied: { amountMinor: credit, currency },
    amountDue: { amountMinor: Math.max(0, value - credit), currency },
  };
}
