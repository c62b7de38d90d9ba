import type { Database } from '../../db/client.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { loadQuote, moveQuoteRow, quoteNotFound, quoteView, type QuoteView } from './quotes.js';

/** The engineers finished the work the customer accepted. */
export async function markQuoteRepaired(
  deps: { db: Database; now: () => Temporal.Instant },
  actor: Actor,
  quoteId: string,
  input: { expectedVersion: number },
): Promise<QuoteView> {
  return deps.db.transaction(async (tx) => {
    const loaded = await loadQuote(tx, quoteId);
    assertAllowed(actor, 'quotes.manage', loaded.owners, quoteNotFound);
    const at = new Date(deps.now().epochMilliseconds);
    const repaired = await moveQuoteRow(tx, loaded.quote, 'repaired', {
      expectedVersion: input.expectedVersion,
      now: at,
      set: { repairedAt: at },
    });
    await recordAudit(tx, actor, {
      action: 'quote.repaired',
      entityType: 'quote',
      entityId: repaired.id,
      data: { version: repaired.version },
    });
    return quoteView(repaired, loaded.maintenanceNumber, loaded.customer);
  });
}
