import { type Money, minorDigits } from '../domain/money.js';

/**
 * An amount as people read it, "CNY 1,234.50", from integer minor units without passing through a
 * floating-point number.
 */
export function formatMoney(amount: Money): string {
  const digits = minorDigits(amount.currency);
  const negative = amount.amountMinor < 0;
  const text = String(Math.abs(amount.amountMinor)).padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  return `${negative ? '-' : ''}${amount.currency} ${whole}${fraction}`;
}

/**
 * Staff without a personal address (support's queue, sales' desk) are reached through the outbox
 * under their role: such a row is never e-mailed and stays visible in the staff outbox.
 */
export function roleRecipient(role: 'support' | 'sales' | 'qa'): string {
  return `role:${role}`;
}
