/** Money as integer minor units (fen, cents) with its ISO 4217 currency: no floating point, ever. */
export type Money = { amountMinor: number; currency: string };

export type MoneyError = {
  code: 'CURRENCY_MISMATCH' | 'INVALID_AMOUNT' | 'AMOUNT_OUT_OF_RANGE';
  message: string;
};

/*
 * The ranges every amount and count is held to: in the request schemas (zod), in the database (CHECK
 * constraints, migration 0017) and in arithmetic (below). An amount is 0 … 10^12 minor units
 * (10,000,000,000.00 CNY), far past any order the business takes and far inside both a bigint column
 * and the integers a double holds exactly (2^53); a count of units is 1 … 10^8 per order or report,
 * inside an int4 column. A product or a sum is checked against the same range, so that 10^8 units at
 * 10^12 each is a refusal, not a number no column or double can hold.
 */

/** The largest amount of money, in minor units, anything holds: 10^12. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;
/** The most units an order, a lot, a report or a credit counts: 10^8. */
export const MAX_UNITS = 100_000_000;

function outOfRange(what: string): MoneyError {
  return {
    code: 'AMOUNT_OUT_OF_RANGE',
    message: `${what} is past ${MAX_AMOUNT_MINOR} minor units, the most an amount may be`,
  };
}

/**
 * `a × b` in minor units when the exact product is a whole number within 0 … MAX_AMOUNT_MINOR; an error
 * otherwise (computed exactly, so a product past 2^53 is never rounded into range).
 */
export function multiplyAmount(a: number, b: number): number | MoneyError {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) {
    return { code: 'INVALID_AMOUNT', message: `${a} × ${b} is not a product of whole numbers` };
  }
  const exact = BigInt(a) * BigInt(b);
  if (exact < 0n || exact > BigInt(MAX_AMOUNT_MINOR)) return outOfRange(`${a} × ${b}`);
  return Number(exact);
}

/** The sum of amounts in minor units when it is within 0 … MAX_AMOUNT_MINOR, exactly; an error otherwise. */
export function addAmounts(amounts: readonly number[]): number | MoneyError {
  let exact = 0n;
  for (const a of amounts) {
    if (!Number.isSafeInteger(a)) return { code: 'INVALID_AMOUNT', message: `${a} is not a whole number` };
    exact += BigInt(a);
  }
  if (exact < 0n || exact > BigInt(MAX_AMOUNT_MINOR)) return outOfRange('the sum');
  return Number(exact);
}

export function isMoneyError(value: unknown): value is MoneyError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

const CURRENCY = /^[A-Z]{3}$/;

export function money(amountMinor: number, currency: string): Money | MoneyError {
  if (!Number.isSafeInteger(amountMinor)) {
    return { code: 'INVALID_AMOUNT', message: `${amountMinor} is not a whole number of minor units` };
  }
  if (!CURRENCY.test(currency))
    return { code: 'INVALID_AMOUNT', message: `"${currency}" is not an ISO 4217 code` };
  return { amountMinor, currency };
}

/** Sums amounts of one currency; an empty list is zero in `currency`. */
export function sum(amounts: readonly Money[], currency: string): Money | MoneyError {
  for (const a of amounts) {
    if (a.currency !== currency) {
      return { code: 'CURRENCY_MISMATCH', message: `cannot add ${a.currency} to ${currency}` };
    }
  }
  const total = addAmounts(amounts.map((a) => a.amountMinor));
  return typeof total === 'number' ? money(total, currency) : total;
}

/** Minor units per major unit, for display: ¥12.34 is 1234 fen. */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}
