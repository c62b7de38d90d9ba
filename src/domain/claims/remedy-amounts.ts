import type { Money } from '../money.js';

/*
 * Amounts bounded by what was paid and what things cost. A refund gives back at most what the customer
 * paid (the price on the sale); what the dealer asks the maker back is at most the catalogue price of
 * the unit it replaced or refunded, and for a refund not more than the refund itself.
 */

export type AmountRefusal = {
  code:
    | 'REFUND_ABOVE_PRICE'
    | 'REFUND_CURRENCY_MISMATCH'
    | 'REIMBURSEMENT_ABOVE_CATALOGUE_PRICE'
    | 'REIMBURSEMENT_ABOVE_REFUND'
    | 'REIMBURSEMENT_CURRENCY_MISMATCH';
  field: 'refund' | 'reimbursement';
  message: string;
  limit: Money;
};

const fmt = (m: Money) => `${m.currency} ${(m.amountMinor / 100).toFixed(2)}`;

/**
 * The refund against the sale's price. `price: null` — a sale recorded without its price — cannot
 * bound it: the refund then waits for support (`needsApproval`).
 */
export function checkRefund(
  refund: Money,
  price: Money | null,
): { ok: true; needsApproval: boolean } | { ok: false; error: AmountRefusal } {
  if (price === null) return { ok: true, needsApproval: true };
  if (refund.currency !== price.currency) {
    return {
      ok: false,
      error: {
        code: 'REFUND_CURRENCY_MISMATCH',
        field: 'refund',
        message: `the sale was paid in ${price.currency}; refund in it`,
        limit: price,
      },
    };
  }
  if (refund.amountMinor > price.amountMinor) {
    return {
      ok: false,
      error: {
        code: 'REFUND_ABOVE_PRICE',
        field: 'refund',
        message: `a refund of ${fmt(refund)} is more than the ${fmt(price)} paid for this sale`,
        limit: price,
      },
    };
  }
  return { ok: true, needsApproval: false };
}

/**
 * What the dealer asks back, against the catalogue price of the product (and a refund's amount). A
 * product without a catalogue price cannot bound it: the decision then needs a second person
 * (`unbounded`).
 */
export function checkReimbursement(
  asked: Money,
  context: { cataloguePrice: Money | null; refund?: Money | undefined },
): { ok: true; unbounded: boolean } | { ok: false; error: AmountRefusal } {
  const { cataloguePrice, refund } = context;
  if (refund !== undefined) {
    if (asked.currency !== refund.currency) {
      return {
        ok: false,
        error: {
          code: 'REIMBURSEMENT_CURRENCY_MISMATCH',
          field: 'reimbursement',
          message: `ask back in the refund's currency, ${refund.currency}`,
          limit: refund,
        },
      };
    }
    if (asked.amountMinor > refund.amountMinor) {
      return {
        ok: false,
        error: {
          code: 'REIMBURSEMENT_ABOVE_REFUND',
          field: 'reimbursement',
          message: `${fmt(asked)} is more than the refund of ${fmt(refund)}`,
          limit: refund,
        },
      };
    }
  }
  if (cataloguePrice === null) return { ok: true, unbounded: true };
  if (asked.currency !== cataloguePrice.currency) {
    return {
      ok: false,
      error: {
        code: 'REIMBURSEMENT_CURRENCY_MISMATCH',
        field: 'reimbursement',
        message: `the catalogue price is in ${cataloguePrice.currency}; ask back in it`,
        limit: cataloguePrice,
      },
    };
  }
  if (asked.amountMinor > cataloguePrice.amountMinor) {
    return {
      ok: false,
      error: {
        code: 'REIMBURSEMENT_ABOVE_CATALOGUE_PRICE',
        field: 'reimbursement',
        message: `${fmt(asked)} is more than the catalogue price of the product, ${fmt(cataloguePrice)}`,
        limit: cataloguePrice,
      },
    };
  }
  return { ok: true, unbounded: false };
}
