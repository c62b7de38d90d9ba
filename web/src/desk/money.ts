import type { Money } from './desk-api.js';

/*
 * Money travels as integer minor units (fen, cents) with its currency. What a person types is a decimal
 * amount; it is turned into minor units by its digits, never through a floating-point multiplication.
 */

/** The currencies the desk offers; CNY first, Halotek's own. */
export const currencies = ['CNY', 'USD', 'EUR', 'HKD'] as const;

/** How many minor-unit digits a currency has (CNY 2, JPY 0). */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** "123.45" in CNY → 12345; undefined for anything that is not a plain non-negative amount. */
export function parseAmount(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const match = /^(\d{1,12})(?:[.,](\d*))?$/.exec(text.trim());
  if (!match) return undefined;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  return Number(whole + fraction.padEnd(digits, '0'));
}

/** 12345 in CNY → "123.45", for an input to show a stored amount. */
export function amountText(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(amountMinor);
  const padded = String(amountMinor).padStart(digits + 1, '0');
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** { amountMinor: 12345, currency: 'CNY' } → "¥123.45" / "CN¥123.45" in the reader's locale. */
export function formatMoney(money: Money, locale: string): string {
  const digits = minorDigits(money.currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(
    money.amountMinor / 10 ** digits,
  );
}
