import { and, eq, isNull, like, or } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { outbox } from '../../db/schema.js';
import { withoutSecrets } from '../../domain/outbox/message-status.js';
import { type MessageKey, sealLink } from './sealed-links.js';

const URL_IN_TEXT = /https?:\/\/[^\s]+/g;

/**
 * Messages queued before links were sealed still carry theirs in the clear. Each server seals them
 * when it starts: the first link that acts for the recipient is sealed and every such link in the body
 * loses its secret. A row is rewritten only if it is still as read, so processes starting together
 * seal each row once. (Sent messages lost their secrets in migration 0017.)
 */
export async function sealQueuedLinks(db: Database, messageKey: MessageKey): Promise<number> {
  const rows = await db
    .select({ id: outbox.id, recipient: outbox.recipient, body: outbox.body })
    .from(outbox)
    .where(
      and(
        isNull(outbox.sentAt),
        isNull(outbox.sealedLink),
        or(
          like(outbox.body, '%token=%'),
          like(outbox.body, '%code=%'),
          like(outbox.body, '%/reset-password/%'),
        ),
      ),
    );
  let sealed = 0;
  for (const row of rows) {
    const links = [...new Set(row.body.match(URL_IN_TEXT) ?? [])].filter(
      (url) => withoutSecrets(url) !== url,
    );
    const [first] = links;
    if (!first) continue;
    const link = sealLink(messageKey, { url: first, recipient: row.recipient });
    const body = links.reduce((text, url) => text.replaceAll(url, withoutSecrets(url)), row.body);
    const updated = await db
      .update(outbox)
      .set({ body, sealedLink: link.sealed })
      .where(and(eq(outbox.id, row.id), isNull(outbox.sealedLink), eq(outbox.body, row.body)))
      .returning({ id: outbox.id });
    sealed += updated.length;
  }
  return sealed;
}
