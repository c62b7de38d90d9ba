import { desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { maintenanceOrders } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn, Temporal } from '../../domain/calendar.js';
import { taxBreakdown, type TaxSetting } from '../../domain/documents/tax.js';
import type { Language } from '../../domain/policy/schema.js';
import { assertAllowed } from '../access.js';
import { AppError } from '../errors.js';
import { claimOfGuestLink } from '../guest/guest-links.js';
import {
  type LoadedOrder,
  loadOrder,
  orderNotFound,
  ownersOfOrder,
} from '../maintenance/maintenance-order-records.js';
import { loadQuote, quoteLineView, quoteNotFound } from '../paid-service/quotes.js';
import { documentSettings } from './document-settings.js';
import { type DocumentFont, renderQuoteDocument, renderReturnLabel } from './pdf.js';

/*
 * The documents people file: a quote and an invoice for paid service, and the return label for parts
 * mailed in. Each is read under the same access as its JSON (quotes.read, maintenanceOrders.read, the
 * tracking link) and drawn in the reader's language.
 */

export type DocumentDeps = {
  db: Database;
  now: () => Temporal.Instant;
  storeTimeZone: string;
  font: DocumentFont;
};

export type PrintedDocument = { fileName: string; pdf: Buffer };

/** A file name of letters, digits and dashes only: nothing a header or a file system reads otherwise. */
export function safeFileName(...parts: string[]): string {
  const name = parts
    .join('-')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return `${name.slice(0, 100) || 'document'}.pdf`;
}

const dayOf = (at: Date, timeZone: string) =>
  calendarDateIn(Temporal.Instant.fromEpochMilliseconds(at.getTime()), timeZone).toString();

/**
 * A quote, or its invoice, as a PDF. The invoice exists once the quote is invoiced (409
 * QUOTE_NOT_INVOICED before) and keeps the tax it was issued with; a quote not yet invoiced shows the
 * tax in force today.
 */
export async function printQuote(
  deps: DocumentDeps,
  actor: Actor,
  quoteId: string,
  kind: 'quote' | 'invoice',
  lang: Language,
): Promise<PrintedDocument> {
  const loaded = await loadQuote(deps.db, quoteId);
  assertAllowed(actor, 'quotes.read', loaded.owners, quoteNotFound);
  const { quote } = loaded;
  if (kind === 'invoice' && (quote.state !== 'invoiced' || !quote.invoiceNumber || !quote.invoicedAt)) {
    throw new AppError(
      'conflict',
      'QUOTE_NOT_INVOICED',
      `this quote is ${quote.state}: an invoice exists only once the repaired work is invoiced`,
      { state: quote.state },
    );
  }
  const settings = await documentSettings(deps.db);
  const tax: TaxSetting =
    quote.invoiceTaxRateBasisPoints !== null && quote.invoicePricesIncludeTax !== null
      ? { rateBasisPoints: quote.invoiceTaxRateBasisPoints, pricesIncludeTax: quote.invoicePricesIncludeTax }
      : settings.tax;
  const lines = quote.lines.map(quoteLineView);
  const breakdown = taxBreakdown(
    lines.map((l) => l.lineTotal.amountMinor),
    tax,
  );
  if ('code' in breakdown) {
    throw new AppError('unprocessable', breakdown.code, `this quote's figures: ${breakdown.message}`);
  }
  const issued =
    kind === 'invoice' && quote.invoicedAt ? quote.invoicedAt : (quote.sentAt ?? quote.createdAt);
  const pdf = await renderQuoteDocument(deps.font, {
    kind,
    lang,
    maker: settings.maker,
    tax,
    breakdown,
    currency: quote.currency,
    quote: {
      id: quote.id,
      state: quote.state,
      lines,
      maintenanceNumber: loaded.maintenanceNumber,
      invoiceNumber: quote.invoiceNumber,
      day: dayOf(issued, deps.storeTimeZone),
    },
    customer: loaded.customer,
    printedOn: calendarDateIn(deps.now(), deps.storeTimeZone).toString(),
  });
  const fileName =
    kind === 'invoice'
      ? safeFileName(quote.invoiceNumber ?? 'invoice')
      : safeFileName('quote', loaded.maintenanceNumber ?? quote.id.slice(0, 8));
  return { fileName, pdf };
}

function assertMailIn(loaded: LoadedOrder): void {
  if (loaded.order.mode !== 'mail_in') {
    throw new AppError(
      'conflict',
      'NOT_MAIL_IN',
      'a return label is for parts mailed in; this order is repaired at the center (walk-in)',
    );
  }
}

async function label(
  deps: DocumentDeps,
  loaded: LoadedOrder,
  lang: Language,
  withSender: boolean,
): Promise<PrintedDocument> {
  assertMailIn(loaded);
  const { order, center, customer } = loaded;
  const pdf = await renderReturnLabel(deps.font, {
    lang,
    maintenanceNumber: order.maintenanceNumber,
    center: {
      name: lang === 'zh' ? center.nameZh : center.nameEn,
      address: center.address,
      city: center.city,
      phone: center.phone,
    },
    sender: withSender ? { name: customer.name, phone: customer.phone, city: order.customerCity } : null,
  });
  return { fileName: safeFileName('return-label', order.maintenanceNumber), pdf };
}

/** The return label of a mail-in order, for its customer and the staff who may read the order. */
export async function printReturnLabel(
  deps: DocumentDeps,
  actor: Actor,
  orderId: string,
  lang: Language,
): Promise<PrintedDocument> {
  const loaded = await loadOrder(deps.db, orderId);
  if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
  assertAllowed(actor, 'maintenanceOrders.read', ownersOfOrder(loaded), orderNotFound);
  return label(deps, loaded, lang, true);
}

/**
 * A guest's label, through their tracking link: for the order the tracking page shows (the claim's
 * latest). Like the tracking page, it names nobody: a forwarded link must not print the customer's name
 * or phone, so the sender's lines are left to write on.
 */
export async function printGuestReturnLabel(
  deps: DocumentDeps,
  token: string,
  lang: Language,
): Promise<PrintedDocument> {
  const claimId = await claimOfGuestLink(deps.db, { token, purpose: 'claim.track', now: deps.now() });
  const [latest] = await deps.db
    .select({ id: maintenanceOrders.id })
    .from(maintenanceOrders)
    .where(eq(maintenanceOrders.claimId, claimId))
    .orderBy(desc(maintenanceOrders.createdAt))
    .limit(1);
  const loaded = latest ? await loadOrder(deps.db, latest.id) : undefined;
  if (!loaded) throw new AppError('not_found', orderNotFound.code, 'this claim has no maintenance order yet');
  return label(deps, loaded, lang, false);
}
