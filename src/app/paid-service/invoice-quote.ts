import { sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { outbox } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn, type Temporal } from '../../domain/calendar.js';
import { assertAllowed } from '../access.js';
import { documentSettings } from '../documents/document-settings.js';
import { recordAudit } from '../audit.js';
import { formatMoney } from '../service-messages.js';
import { assertQuoteMove, loadQuote, moveQuoteRow, quoteNotFound, type QuoteView } from './quotes.js';
import { recordQuoteEvent } from './quote-events.js';

export type InvoiceQuoteDeps = { db: Database; now: () => Temporal.Instant; storeTimeZone: string };

/**
 * `INV-2026-000123`: the store's year, then a database sequence, so numbers are unique across
 * processes and years without a per-year counter to lock. A sequence may skip a number when a
 * transaction rolls back; an invoice number is never reused.
 */
export async function nextInvoiceNumber(tx: Transaction, year: number): Promise<string> {
  // Drizzle types a raw result over either driver as unknown; both answer `{ rows }`.
  const result: unknown = await tx.execute(sql`select nextval('invoice_number_seq')::text as n`);
  const rows = typeof result === 'object' && result !== null && 'rows' in result ? result.rows : undefined;
  const n: unknown = Array.isArray(rows) ? (rows[0] as { n?: unknown } | undefined)?.n : undefined;
  if (typeof n !== 'string') throw new Error('the invoice number sequence returned nothing');
  return `INV-${year}-${n.padStart(6, '0')}`;
}

/** The repaired product is invoiced: the quote gets its invoice number and the customer is told. */
export async function invoiceQuote(
  deps: InvoiceQuoteDeps,
  actor: Actor,
  quoteId: string,
  input: { expectedVersion: number },
): Promise<QuoteView> {
  return deps.db.transaction(async (tx) => {
    const loaded = await loadQuote(tx, quoteId);
    assertAllowed(actor, 'quotes.manage', loaded.owners, quoteNotFound);
    const now = deps.now();
    const at = new Date(now.epochMilliseconds);
    // Refused before a number is drawn, so a stale or illegal request does not burn one.
    assertQuoteMove(loaded.quote, 'invoiced', input.expectedVersion);
    const invoiceNumber = await nextInvoiceNumber(tx, calendarDateIn(now, deps.storeTimeZone).year);
    // The invoice keeps the tax in force now: printed again after an admin changes it, it reads the same.
    const { tax } = await documentSettings(tx);
    const invoiced = await moveQuoteRow(tx, loaded.quote, 'invoiced', {
      expectedVersion: input.expectedVersion,
      now: at,
      set: {
        invoiceNumber,
        invoicedAt: at,
        invoiceTaxRateBasisPoints: tax.rateBasisPoints,
        invoicePricesIncludeTax: tax.pricesIncludeTax,
      },
    });
    await recordAudit(tx, actor, {
      action: 'quote.invoiced',
      entityType: 'quote',
      entityId: invoiced.id,
      data: {
        invoiceNumber,
        total: { amountMinor: invoiced.totalMinor, currency: invoiced.currency },
        tax,
      },
    });
    const { customer } = loaded;
    const recipient = customer.email ?? customer.phone;
    if (recipient) {
      const total = formatMoney({ amountMinor: invoiced.totalMinor, currency: invoiced.currency });
      await tx.insert(outbox).values({
        topic: 'quote.invoiced',
        recipient,
        subject: `Invoice ${invoiceNumber} — 发票 ${invoiceNumber}`,
        body:
          `Dear ${customer.name}, your product is repaired. Invoice ${invoiceNumber}: ${total}.\n\n` +
          `${customer.name}，您好：您的产品已修复。发票 ${invoiceNumber}：${total}。`,
        payload: { quoteId: invoiced.id, claimId: invoiced.claimId, invoiceNumber },
      });
    }
    return recordQuoteEvent(tx, 'quote.invoiced', loaded, invoiced, now);
  });
}
