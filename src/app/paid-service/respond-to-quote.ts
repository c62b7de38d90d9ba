import { and, eq, isNull } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { type GuestAccessToken, guestAccessTokens, outbox, users } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import type { Money } from '../../domain/money.js';
import type { QuoteResponseChannel, QuoteState } from '../../domain/paid-service/quote.js';
import { hashToken } from '../accounts/tokens.js';
import { assertAllowed } from '../access.js';
import { type AuditActor, auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { roleRecipient } from '../service-messages.js';
import {
  type LoadedQuote,
  loadQuote,
  moveQuoteRow,
  type QuoteLineView,
  quoteLineView,
  quoteNotFound,
  quoteView,
  type QuoteView,
} from './quotes.js';
import { recordQuoteEvent } from './quote-events.js';

export type QuoteResponse = 'accept' | 'decline';

export type RespondDeps = { db: Database; now: () => Temporal.Instant };

/** What a guest holding the link sees: the offer and where it stands, nothing about who they are. */
export type GuestQuoteView = {
  state: QuoteState;
  lines: QuoteLineView[];
  total: Money;
  maintenanceNumber: string | null;
  sentAt: string | null;
  /** Until when the link works; after it, ask for a new quote. */
  linkExpiresAt: string;
  /** Whether this link may still accept or decline. */
  awaitingResponse: boolean;
};

async function applyResponse(
  tx: Transaction,
  actor: AuditActor,
  loaded: LoadedQuote,
  response: QuoteResponse,
  input: {
    expectedVersion: number;
    now: Temporal.Instant;
    via: QuoteResponseChannel;
    /** By phone: the staff member who took the call, and what was said. */
    takenBy?: string | undefined;
    note?: string | undefined;
  },
) {
  const at = new Date(input.now.epochMilliseconds);
  const accepted = response === 'accept';
  const moved = await moveQuoteRow(tx, loaded.quote, accepted ? 'accepted' : 'declined', {
    expectedVersion: input.expectedVersion,
    now: at,
    set: {
      ...(accepted ? { acceptedAt: at } : { declinedAt: at }),
      responseChannel: input.via,
      responseTakenBy: input.takenBy ?? null,
      responseNote: input.note ?? null,
    },
  });
  await recordAudit(tx, actor, {
    action: accepted ? 'quote.accepted' : 'quote.declined',
    entityType: 'quote',
    entityId: moved.id,
    data: {
      via: input.via,
      version: moved.version,
      ...(input.takenBy ? { takenBy: input.takenBy } : {}),
      ...(input.note ? { note: input.note } : {}),
    },
  });
  // Whoever does the work learns the answer: the center holding the product, or sales' desk.
  const order = loaded.maintenanceNumber;
  const word = accepted ? { en: 'accepted', zh: '接受' } : { en: 'declined', zh: '拒绝' };
  await tx.insert(outbox).values({
    topic: accepted ? 'quote.accepted' : 'quote.declined',
    recipient: loaded.center?.email ?? roleRecipient('sales'),
    subject: `Quote ${word.en}${order ? ` (${order})` : ''} — 客户已${word.zh}报价`,
    body:
      `${loaded.customer.name} ${word.en} quote ${moved.id}${order ? ` for maintenance order ${order}` : ''}.` +
      `${accepted ? ' The repair may go ahead.' : ' Return the product unrepaired.'}\n\n` +
      `${loaded.customer.name} 已${word.zh}报价 ${moved.id}${order ? `（维修单 ${order}）` : ''}。` +
      (accepted ? '可以开始维修。' : '请将产品原样退回。'),
    payload: { quoteId: moved.id, claimId: moved.claimId, response },
  });
  await recordQuoteEvent(tx, 'quote.answered', loaded, moved, input.now);
  return moved;
}

/** A signed-in customer accepts or declines their own quote. */
export async function respondToQuote(
  deps: RespondDeps,
  actor: Actor,
  quoteId: string,
  input: { response: QuoteResponse; expectedVersion: number },
): Promise<QuoteView> {
  return deps.db.transaction(async (tx) => {
    const loaded = await loadQuote(tx, quoteId);
    assertAllowed(actor, 'quotes.respond', loaded.owners, quoteNotFound);
    const moved = await applyResponse(tx, actor, loaded, input.response, {
      expectedVersion: input.expectedVersion,
      now: deps.now(),
      via: 'account',
    });
    return quoteView(moved, loaded.maintenanceNumber, loaded.customer);
  });
}

/**
 * Sales record the answer a customer gave by phone, with the same rules as the customer's own answer
 * (a sent quote, at the version read; once answered, the link and the account refuse another answer).
 * Who took the call is the one recording it; what was said is required, for the audit and the desk.
 */
export async function recordPhoneResponse(
  deps: RespondDeps,
  actor: Actor,
  quoteId: string,
  input: { response: QuoteResponse; expectedVersion: number; note: string },
): Promise<QuoteView> {
  const note = input.note.trim();
  if (!note) {
    throw new AppError('invalid', 'NOTE_REQUIRED', 'say what the customer said on the phone', {
      field: 'note',
    });
  }
  return deps.db.transaction(async (tx) => {
    const loaded = await loadQuote(tx, quoteId);
    assertAllowed(actor, 'quotes.recordPhoneResponse', loaded.owners, quoteNotFound);
    const [taker] = await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.userId));
    const moved = await applyResponse(tx, actor, loaded, input.response, {
      expectedVersion: input.expectedVersion,
      now: deps.now(),
      via: 'phone',
      takenBy: taker?.name ?? auditActor(actor),
      note,
    });
    return quoteView(moved, loaded.maintenanceNumber, loaded.customer);
  });
}

const linkNotFound = () => new AppError('not_found', 'GUEST_LINK_NOT_FOUND', 'this link is not valid');

async function quoteLink(tx: Transaction, token: string): Promise<GuestAccessToken & { quoteId: string }> {
  const [link] = await tx
    .select()
    .from(guestAccessTokens)
    .where(
      and(eq(guestAccessTokens.tokenHash, hashToken(token)), eq(guestAccessTokens.purpose, 'quote.accept')),
    );
  if (!link?.quoteId) throw linkNotFound();
  return { ...link, quoteId: link.quoteId };
}

function guestView(loaded: LoadedQuote, link: GuestAccessToken, now: Temporal.Instant): GuestQuoteView {
  const { quote } = loaded;
  return {
    state: quote.state,
    lines: quote.lines.map(quoteLineView),
    total: { amountMinor: quote.totalMinor, currency: quote.currency },
    maintenanceNumber: loaded.maintenanceNumber,
    sentAt: quote.sentAt?.toISOString() ?? null,
    linkExpiresAt: link.expiresAt.toISOString(),
    awaitingResponse:
      quote.state === 'sent' && link.usedAt === null && link.expiresAt.getTime() > now.epochMilliseconds,
  };
}

/** The quote behind a link, for the page that asks the guest to accept or decline. */
export async function viewQuoteByLink(deps: RespondDeps, token: string): Promise<GuestQuoteView> {
  return deps.db.transaction(async (tx) => {
    const link = await quoteLink(tx, token);
    const now = deps.now();
    if (link.expiresAt.getTime() <= now.epochMilliseconds && link.usedAt === null) throw linkExpired();
    return guestView(await loadQuote(tx, link.quoteId), link, now);
  });
}

const linkExpired = () =>
  new AppError('gone', 'GUEST_LINK_EXPIRED', 'this link has expired; contact us for a new quote');

/**
 * A guest answers the quote through the link they were sent. The link works once: it is marked used in
 * the same transaction as the answer, so a second click (or a forwarded copy) gets a 409.
 */
export async function respondToQuoteByLink(
  deps: RespondDeps,
  input: { token: string; response: QuoteResponse },
): Promise<GuestQuoteView> {
  return deps.db.transaction(async (tx) => {
    const link = await quoteLink(tx, input.token);
    const now = deps.now();
    if (link.usedAt !== null) {
      throw new AppError('conflict', 'GUEST_LINK_USED', 'this link was already used to answer the quote');
    }
    if (link.expiresAt.getTime() <= now.epochMilliseconds) throw linkExpired();
    const loaded = await loadQuote(tx, link.quoteId);
    if (loaded.quote.state !== 'sent') {
      throw new AppError(
        'conflict',
        'QUOTE_NOT_AWAITING_RESPONSE',
        `this quote is ${loaded.quote.state} and no longer waits for an answer`,
        { state: loaded.quote.state },
      );
    }
    const at = new Date(now.epochMilliseconds);
    const [used] = await tx
      .update(guestAccessTokens)
      .set({ usedAt: at })
      .where(and(eq(guestAccessTokens.id, link.id), isNull(guestAccessTokens.usedAt)))
      .returning();
    if (!used) {
      throw new AppError('conflict', 'GUEST_LINK_USED', 'this link was already used to answer the quote');
    }
    const moved = await applyResponse(tx, 'guest', loaded, input.response, {
      expectedVersion: loaded.quote.version,
      now,
      via: 'link',
    });
    return guestView({ ...loaded, quote: moved }, used, now);
  });
}
