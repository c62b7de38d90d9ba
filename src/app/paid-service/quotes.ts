import { and, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { claims, endUsers, maintenanceOrders, type Quote, quotes, serviceCenters } from '../../db/schema.js';
import type { Owners } from '../../domain/access/access.js';
import type { Money } from '../../domain/money.js';
import {
  lineTotalMinor,
  moveQuote,
  type QuoteLine,
  quantityOfTenths,
  type QuoteResponseChannel,
  type QuoteState,
  quoteTransitions,
} from '../../domain/paid-service/quote.js';
import { AppError } from '../errors.js';
import { assertVersion, versionConflict } from '../optimistic-lock.js';
import { formatMoney } from '../service-messages.js';

/** A line as the quote shows it: the quantity people read (1.5), in tenths as stored, and its total. */
export type QuoteLineView = {
  kind: QuoteLine['kind'];
  description: string;
  quantity: number;
  quantityTenths: number;
  unitPrice: Money;
  lineTotal: Money;
};

export function quoteLineView(line: QuoteLine): QuoteLineView {
  const total = lineTotalMinor(line);
  // A stored line was checked when the quote was made; a total out of range here is a broken row.
  if (typeof total !== 'number') throw new Error(`a stored quote line has no total: ${total.message}`);
  return {
    kind: line.kind,
    description: line.description,
    quantity: quantityOfTenths(line.quantityTenths),
    quantityTenths: line.quantityTenths,
    unitPrice: line.unitPrice,
    lineTotal: { amountMinor: total, currency: line.unitPrice.currency },
  };
}

export type QuoteCustomer = { name: string; email: string | null; phone: string | null };

export type QuoteView = {
  id: string;
  claimId: string;
  maintenanceOrderId: string | null;
  maintenanceNumber: string | null;
  state: QuoteState;
  /** Where the quote may go next: the same list a refused move answers with. */
  allowedMoves: QuoteState[];
  lines: QuoteLineView[];
  total: Money;
  quotedBy: string;
  /** Whom to call about it. */
  customer: QuoteCustomer;
  sentAt: string | null;
  acceptedAt: string | null;
  declinedAt: string | null;
  response: { channel: QuoteResponseChannel; takenBy: string | null; note: string | null } | null;
  repairedAt: string | null;
  invoiceNumber: string | null;
  invoicedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export const quoteNotFound = { code: 'QUOTE_NOT_FOUND', message: 'no such quote' };

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function quoteView(
  quote: Quote,
  maintenanceNumber: string | null,
  customer: QuoteCustomer,
): QuoteView {
  return {
    id: quote.id,
    claimId: quote.claimId,
    maintenanceOrderId: quote.maintenanceOrderId,
    maintenanceNumber,
    state: quote.state,
    allowedMoves: [...quoteTransitions[quote.state].to],
    lines: quote.lines.map(quoteLineView),
    total: { amountMinor: quote.totalMinor, currency: quote.currency },
    quotedBy: quote.quotedBy,
    customer,
    sentAt: iso(quote.sentAt),
    acceptedAt: iso(quote.acceptedAt),
    declinedAt: iso(quote.declinedAt),
    response: quote.responseChannel
      ? { channel: quote.responseChannel, takenBy: quote.responseTakenBy, note: quote.responseNote }
      : null,
    repairedAt: iso(quote.repairedAt),
    invoiceNumber: quote.invoiceNumber,
    invoicedAt: iso(quote.invoicedAt),
    version: quote.version,
    createdAt: quote.createdAt.toISOString(),
    updatedAt: quote.updatedAt.toISOString(),
  };
}

/** A quote with what deciding who may touch it and telling its customer needs. */
export type LoadedQuote = {
  quote: Quote;
  owners: Owners;
  maintenanceNumber: string | null;
  customer: QuoteCustomer;
  /** Where a quote for a maintenance order is handled; sales' desk otherwise. */
  center: { email: string; nameEn: string; nameZh: string } | null;
};

/** A quote is its customer's, and the center's whose maintenance order it prices. */
export async function loadQuote(tx: Database | Transaction, id: string): Promise<LoadedQuote> {
  const [row] = await tx
    .select({
      quote: quotes,
      endUserId: claims.endUserId,
      serviceCenterId: maintenanceOrders.serviceCenterId,
      maintenanceNumber: maintenanceOrders.maintenanceNumber,
      customerName: endUsers.name,
      customerEmail: endUsers.email,
      customerPhone: endUsers.phone,
      centerEmail: serviceCenters.email,
      centerNameEn: serviceCenters.nameEn,
      centerNameZh: serviceCenters.nameZh,
    })
    .from(quotes)
    .innerJoin(claims, eq(claims.id, quotes.claimId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .leftJoin(maintenanceOrders, eq(maintenanceOrders.id, quotes.maintenanceOrderId))
    .leftJoin(serviceCenters, eq(serviceCenters.id, maintenanceOrders.serviceCenterId))
    .where(eq(quotes.id, id));
  if (!row) throw new AppError('not_found', quoteNotFound.code, quoteNotFound.message);
  return {
    quote: row.quote,
    owners: { endUserId: row.endUserId, serviceCenterId: row.serviceCenterId },
    maintenanceNumber: row.maintenanceNumber,
    customer: { name: row.customerName, email: row.customerEmail, phone: row.customerPhone },
    center:
      row.centerEmail !== null && row.centerNameEn !== null && row.centerNameZh !== null
        ? { email: row.centerEmail, nameEn: row.centerNameEn, nameZh: row.centerNameZh }
        : null,
  };
}

/** Refuses a stale version (VERSION_CONFLICT) or a move the table forbids (listing the allowed ones). */
export function assertQuoteMove(quote: Quote, to: QuoteState, expectedVersion: number): void {
  assertVersion('quote', quote, expectedVersion);
  const move = moveQuote(quote.state, to);
  if (!move.ok) {
    const { error } = move;
    const details =
      'allowed' in error ? { from: error.from, to: error.to, allowed: error.allowed } : undefined;
    throw new AppError('conflict', error.code, error.message, details);
  }
}

/**
 * Moves a quote along its state machine, if it is still at the version the caller read: a stale
 * version is a VERSION_CONFLICT, a move the table forbids an ILLEGAL_TRANSITION listing the allowed ones.
 */
export async function moveQuoteRow(
  tx: Transaction,
  quote: Quote,
  to: QuoteState,
  input: { expectedVersion: number; now: Date; set?: Partial<typeof quotes.$inferInsert> },
): Promise<Quote> {
  assertQuoteMove(quote, to, input.expectedVersion);
  const [moved] = await tx
    .update(quotes)
    .set({ ...input.set, state: to, version: input.expectedVersion + 1, updatedAt: input.now })
    .where(
      and(eq(quotes.id, quote.id), eq(quotes.version, input.expectedVersion), eq(quotes.state, quote.state)),
    )
    .returning();
  if (!moved) {
    const [latest] = await tx.select({ version: quotes.version }).from(quotes).where(eq(quotes.id, quote.id));
    throw versionConflict('quote', latest?.version ?? quote.version);
  }
  return moved;
}

/** The lines and total as a customer reads them, in both languages. */
export function quoteText(quote: Quote): { en: string; zh: string } {
  const kinds = { part: { en: 'Part', zh: '配件' }, labour: { en: 'Labour', zh: '工时' } } as const;
  const lines = (lang: 'en' | 'zh') =>
    quote.lines
      .map(quoteLineView)
      .map(
        (l) =>
          `• ${kinds[l.kind][lang]}: ${l.description} × ${l.quantity} @ ${formatMoney(l.unitPrice)} = ${formatMoney(l.lineTotal)}`,
      )
      .join('\n');
  const total = formatMoney({ amountMinor: quote.totalMinor, currency: quote.currency });
  return { en: `${lines('en')}\nTotal: ${total}`, zh: `${lines('zh')}\n合计：${total}` };
}
