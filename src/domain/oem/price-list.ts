import { Temporal } from '../calendar.js';
import type { Money } from '../money.js';

/*
 * The maker's contract prices for its OEM clients, kept by sales: per client and product, versioned by
 * the day each price takes effect. Entries are never edited — a new price is a new entry — so an order
 * confirmed at one price keeps it, and what a price was on any day can always be told.
 */

export type PriceListEntry = {
  id: string;
  clientId: string;
  productId: string;
  unitPrice: Money;
  /** The first calendar day (store's time zone) the price applies to. */
  effectiveFrom: Temporal.PlainDate;
};

/**
 * The price in force for a client and product on a day: the entry that took effect last on or before
 * that day; none when no entry had taken effect yet (the order cannot be confirmed until sales set one).
 */
export function priceInForce<E extends PriceListEntry>(
  entries: readonly E[],
  clientId: string,
  productId: string,
  on: Temporal.PlainDate,
): E | null {
  let best: E | null = null;
  for (const e of entries) {
    if (e.clientId !== clientId || e.productId !== productId) continue;
    if (Temporal.PlainDate.compare(e.effectiveFrom, on) > 0) continue;
    if (!best || Temporal.PlainDate.compare(e.effectiveFrom, best.effectiveFrom) > 0) best = e;
  }
  return best;
}
