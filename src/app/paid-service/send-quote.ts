import type { Database } from '../../db/client.js';
import { outbox } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { issueGuestLink } from '../guest/guest-links.js';
import { type MessageKey, sealLink } from '../outbox/sealed-links.js';
import { loadQuote, moveQuoteRow, quoteNotFound, quoteText, type QuoteView } from './quotes.js';
import { recordQuoteEvent } from './quote-events.js';

export type SendQuoteDeps = {
  db: Database;
  now: () => Temporal.Instant;
  publicUrl: URL;
  /** Seals the link in the quote's message. */
  messageKey: MessageKey;
};

/**
 * The quote goes to the customer with its lines, its total and a link to accept or decline it without
 * signing in; the link answers this quote only, once, for 14 days.
 */
export async function sendQuote(
  deps: SendQuoteDeps,
  actor: Actor,
  quoteId: string,
  input: { expectedVersion: number },
): Promise<QuoteView> {
  return deps.db.transaction(async (tx) => {
    const loaded = await loadQuote(tx, quoteId);
    assertAllowed(actor, 'quotes.manage', loaded.owners, quoteNotFound);
    const now = deps.now();
    const at = new Date(now.epochMilliseconds);
    const sent = await moveQuoteRow(tx, loaded.quote, 'sent', {
      expectedVersion: input.expectedVersion,
      now: at,
      set: { sentAt: at },
    });
    const link = await issueGuestLink(tx, {
      purpose: 'quote.accept',
      claimId: sent.claimId,
      quoteId: sent.id,
      now,
      publicUrl: deps.publicUrl,
    });
    await recordAudit(tx, actor, {
      action: 'quote.sent',
      entityType: 'quote',
      entityId: sent.id,
      data: { version: sent.version, linkExpiresAt: link.expiresAt.toISOString() },
    });

    const { customer } = loaded;
    const recipient = customer.email ?? customer.phone;
    if (recipient) {
      const text = quoteText(sent);
      const until = link.expiresAt.toISOString().slice(0, 10);
      const order = loaded.maintenanceNumber;
      const sealed = sealLink(deps.messageKey, { url: link.url, recipient });
      await tx.insert(outbox).values({
        topic: 'quote.sent',
        recipient,
        subject: 'Your paid-service quote — 您的有偿服务报价',
        body:
          `Dear ${customer.name}, here is our quote for the paid service${order ? ` of maintenance order ${order}` : ''}:\n${text.en}\n` +
          `Accept or decline it here (until ${until}): ${sealed.shown}\n\n` +
          `${customer.name}，您好：以下是${order ? `维修单 ${order} 的` : ''}有偿服务报价：\n${text.zh}\n` +
          `请在 ${until} 前通过以下链接接受或拒绝：${sealed.shown}`,
        sealedLink: sealed.sealed,
        payload: { quoteId: sent.id, claimId: sent.claimId },
      });
    }
    return recordQuoteEvent(tx, 'quote.sent', loaded, sent, now);
  });
}
