import { addAmounts, type Money, multiplyAmount } from '../money.js';

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

export type QuoteLine = { kind: 'part' | 'labour'; description: string; quantity: number; unitPrice: Money };

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

/** The quote's total; all lines in one currency, whole positive quantities, no negative prices. */
export function quoteTotal(lines: readonly QuoteLine[]): Money | QuoteError {
  const first = lines[0];
  if (!first) return { code: 'EMPTY_QUOTE', message: 'a quote has at least one line' };
  const amounts: number[] = [];
  for (const line of lines) {
    if (line.unitPrice.currency !== first.unitPrice.currency) {
      return { code: 'CURRENCY_MISMATCH', message: 'every line of a quote is in one currency' };
    }
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      return {
        code: 'INVALID_QUANTITY',
        message: `quantity ${line.quantity} must be a whole number above zero`,
      };
    }
    if (line.unitPrice.amountMinor < 0)
      return { code: 'NEGATIVE_PRICE', message: 'a price cannot be negative' };
    const amount = multiplyAmount(line.quantity, line.unitPrice.amountMinor);
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
