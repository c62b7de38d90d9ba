import type { Transaction } from '../../db/client.js';
import type { Quote } from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';
import { recordEvent } from '../events/record-event.js';
import { type LoadedQuote, quoteView, type QuoteView } from './quotes.js';

/**
 * A quote's event, written in the transaction that moved it: the quote as the API shows it, for its
 * customer and the service center holding the product.
 */
export async function recordQuoteEvent(
  tx: Transaction,
  type: 'quote.sent' | 'quote.answered' | 'quote.invoiced',
  loaded: LoadedQuote,
  quote: Quote,
  occurredAt: Temporal.Instant | Date,
): Promise<QuoteView> {
  const view = quoteView(quote, loaded.maintenanceNumber, loaded.customer);
  await recordEvent(tx, { type, subjectId: quote.id, scope: loaded.owners, data: view, occurredAt });
  return view;
}
