import { addAmounts, MAX_AMOUNT_MINOR, type Money, type MoneyError } from '../money.js';

export const quoteStates = [
  'draft',
  'sent',
  'accepted',
  'declined',
  'repaired',
  'invoiced',
  'withdrawn',
] as const;
export type QuoteState = (typeof quoteStates)[number];

/** How a customer's answer to a quote came: signed in, through the link, or by phone to sales. */
export const quoteResponseChannels = ['account', 'link', 'phone'] as const;
export type QuoteResponseChannel = (typeof quoteResponseChannels)[number];

/**
 * Paid service (after the warranty, or for misuse): sales or an engineer quotes parts and labour, the
 * customer accepts or declines by link, the work is done and invoiced.
 */
export const quoteTransitions = {
  draft: { to: ['sent', 'withdrawn'] },
  sent: { to: ['accepted', 'declined', 'withdrawn'] },
  accepted: { to: ['repaired'] },
  repaired: { to: ['invoiced'] },
  declined: { to: [] },
  invoiced: { to: [] },
  withdrawn: { to: [] },
} as const satisfies Record<QuoteState, { to: readonly QuoteState[] }>;

/**
 * A quote line as stored: its quantity in tenths (1.5 hours of labour is 15), so a fraction never passes
 * through floating point; money stays in integer minor units.
 */
export type QuoteLine = {
  kind: 'part' | 'labour';
  description: string;
  quantityTenths: number;
  unitPrice: Money;
};

/** The most a line may count: 100,000 (units or hours), i.e. 1,000,000 tenths. */
export const MAX_QUOTE_QUANTITY = 100_000;

export type QuantityError = {
  code: 'INVALID_QUANTITY';
  reason: 'not_positive' | 'too_precise' | 'too_large' | 'not_a_number';
  message: string;
};

/**
 * A quantity as people write it (1, 1.5, 0.5) in tenths: above zero, at most one decimal, at most
 * MAX_QUOTE_QUANTITY. 1.55 is refused, not rounded: a quote says what the customer pays for.
 */
export function quantityTenths(quantity: number): number | QuantityError {
  if (!Number.isFinite(quantity)) {
    return { code: 'INVALID_QUANTITY', reason: 'not_a_number', message: 'a quantity is a number' };
  }
  if (quantity <= 0) {
    return {
      code: 'INVALID_QUANTITY',
      reason: 'not_positive',
      message: `quantity ${quantity} must be above zero`,
    };
  }
  if (quantity > MAX_QUOTE_QUANTITY) {
    return {
      code: 'INVALID_QUANTITY',
      reason: 'too_large',
      message: `quantity ${quantity} is more than ${MAX_QUOTE_QUANTITY}`,
    };
  }
  const tenths = Math.round(quantity * 10);
  // 0.3 × 10 is 3.0000000000000004 in binary floating point: a tenth is what stays within a rounding error.
  if (Math.abs(quantity * 10 - tenths) > 1e-6) {
    return {
      code: 'INVALID_QUANTITY',
      reason: 'too_precise',
      message: `quantity ${quantity} has more than one decimal; quantities are in tenths (1.5)`,
    };
  }
  return tenths;
}

/** Tenths back to the number people read (15 → 1.5). */
export function quantityOfTenths(tenths: number): number {
  return tenths / 10;
}

/**
 * A line's total: unit price × quantity, rounded half up to the minor unit (1.5 h at ¥33.33 is
 * 4999.5 fen → ¥50.00). Computed exactly on integers: price × tenths, then divided by ten with the
 * half rounded away from zero (prices are never negative). The quote's total is the sum of its lines'
 * rounded totals, so the lines the customer reads add up to the total they accept.
 */
export function lineTotalMinor(line: Pick<QuoteLine, 'quantityTenths' | 'unitPrice'>): number | MoneyError {
  const { quantityTenths: tenths, unitPrice } = line;
  if (!Number.isSafeInteger(tenths) || !Number.isSafeInteger(unitPrice.amountMinor)) {
    return {
      code: 'INVALID_AMOUNT',
      message: `${tenths / 10} × ${unitPrice.amountMinor} is not a line total`,
    };
  }
  const exact = BigInt(tenths) * BigInt(unitPrice.amountMinor);
  if (exact < 0n) return { code: 'INVALID_AMOUNT', message: 'a line total cannot be negative' };
  const rounded = (exact + 5n) / 10n;
  if (rounded > BigInt(MAX_AMOUNT_MINOR)) {
    return {
      code: 'AMOUNT_OUT_OF_RANGE',
      message: `${tenths / 10} × ${unitPrice.amountMinor} is past ${MAX_AMOUNT_MINOR} minor units, the most an amount may be`,
    };
  }
  return Number(rounded);
}

export type QuoteError =
  | {
      code: 'ILLEGAL_TRANSITION';
      message: string;
      from: QuoteState;
      to: QuoteState;
      allowed: readonly QuoteState[];
    }
  | {
      code:
        'EMPTY_QUOTE' | 'CURRENCY_MISMATCH' | 'INVALID_QUANTITY' | 'NEGATIVE_PRICE' | 'AMOUNT_OUT_OF_RANGE';
      message: string;
    };

/** The quote's total; all lines in one currency, positive quantities in tenths, no negative prices. */
export function quoteTotal(lines: readonly QuoteLine[]): Money | QuoteError {
  const first = lines[0];
  if (!first) return { code: 'EMPTY_QUOTE', message: 'a quote has at least one line' };
  const amounts: number[] = [];
  for (const line of lines) {
    if (line.unitPrice.currency !== first.unitPrice.currency) {
      return { code: 'CURRENCY_MISMATCH', message: 'every line of a quote is in one currency' };
    }
    if (
      !Number.isSafeInteger(line.quantityTenths) ||
      line.quantityTenths <= 0 ||
      line.quantityTenths > MAX_QUOTE_QUANTITY * 10
    ) {
      return {
        code: 'INVALID_QUANTITY',
        message: `quantity ${line.quantityTenths / 10} must be above zero, in tenths, at most ${MAX_QUOTE_QUANTITY}`,
      };
    }
    if (line.unitPrice.amountMinor < 0)
      return { code: 'NEGATIVE_PRICE', message: 'a price cannot be negative' };
    const amount = lineTotalMinor(line);
    if (typeof amount !== 'number')
      return { code: 'AMOUNT_OUT_OF_RANGE', message: `a line: ${amount.message}` };
    amounts.push(amount);
  }
  const total = addAmounts(amounts);
  if (typeof total !== 'number')
    return { code: 'AMOUNT_OUT_OF_RANGE', message: `the total: ${total.message}` };
  return { amountMinor: total, currency: first.unitPrice.currency };
}

export function moveQuote(
  from: QuoteState,
  to: QuoteState,
): { ok: true; state: QuoteState } | { ok: false; error: QuoteError } {
  const allowed: readonly QuoteState[] = quoteTransitions[from].to;
  if (!allowed.includes(to)) {
    return {
      ok: false,
      error: {
        code: 'ILLEGAL_TRANSITION',
        message: `a quote cannot go from ${from} to ${to}; it may go to ${allowed.length ? allowed.join(', ') : 'nowhere: it is finished'}`,
        from,
        to,
        allowed,
      },
    };
  }
  return { ok: true, state: to };
}
