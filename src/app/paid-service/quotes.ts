import { and, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { claims, endUsers, maintenanceOrders, type Quote, quotes, serviceCenters } from '../../db/schema.js';
import type { Owners } from '../../domain/access/access.js';
import type { Money } from '../../domain/money.js';
import {
  moveQuote,
  type QuoteLine,
  type QuoteState,
  quoteTransitions,
} from '../../domain/paid-service/quote.js';
import { AppError } from '../errors.js';
import { assertVersion, versionConflict } from '../optimistic-lock.js';
import { formatMoney } from '../service-messages.js';

export type QuoteView = {
  id: string;
  claimId: string;
  maintenanceOrderId: string | null;
  maintenanceNumber: string | null;
  state: QuoteState;
  /** Where the quote may go next: the same list a refused move answers with. */
  allowedMoves: QuoteState[];
  lines: QuoteLine[];
  total: Money;
  quotedBy: string;
  sentAt: string | null;
  acceptedAt: string | null;
  declinedAt: string | null;
  repairedAt: string | null;
  invoiceNumber: string | null;
  invoicedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export const quoteNotFound = { code: 'QUOTE_NOT_FOUND', message: 'no such quote' };

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function quoteView(quote: Quote, maintenanceNumber: string | null): QuoteView {
  return {
    id: quote.id,
    claimId: quote.claimId,
    maintenanceOrderId: quote.maintenanceOrderId,
    maintenanceNumber,
    state: quote.state,
    allowedMoves: [...quoteTransitions[quote.state].to],
    lines: quote.lines,
    total: { amountMinor: quote.totalMinor, currency: quote.currency },
    quotedBy: quote.quotedBy,
    sentAt: iso(quote.sentAt),
    acceptedAt: iso(quote.acceptedAt),
    declinedAt: iso(quote.declinedAt),
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
  customer: { name: string; email: string | null; phone: string | null };
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
      .map(
        (l) =>
          `• ${kinds[l.kind][lang]}: ${l.description} × ${l.quantity} @ ${formatMoney(l.unitPrice)} = ${formatMoney({ amountMinor: l.unitPrice.amountMinor * l.quantity, currency: l.unitPrice.currency })}`,
      )
      .join('\n');
  const total = formatMoney({ amountMinor: quote.totalMinor, currency: quote.currency });
  return { en: `${lines('en')}\nTotal: ${total}`, zh: `${lines('zh')}\n合计：${total}` };
}
