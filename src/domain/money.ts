/** Money as integer minor units (fen, cents) with its ISO 4217 currency: no floating point, ever. */
export type Money = { amountMinor: number; currency: string };

export type MoneyError = { code: 'CURRENCY_MISMATCH' | 'INVALID_AMOUNT'; message: string };

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
  let total = 0;
  for (const a of amounts) {
    if (a.currency !== currency) {
      return { code: 'CURRENCY_MISMATCH', message: `cannot add ${a.currency} to ${currency}` };
    }
    total += a.amountMinor;
  }
  return money(total, currency);
}

/** Minor units per major unit, for display: ¥12.34 is 1234 fen. */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}
