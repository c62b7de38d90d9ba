import type { Transaction } from '../db/client.js';
import { auditEvents } from '../db/schema.js';
import type { Actor } from '../domain/access/access.js';

/** How the audit log names who did something: a signed-in user by id, or the system itself. */
export function auditActor(actor: Actor | 'system'): string {
  return actor === 'system' ? 'system' : `user:${actor.userId}`;
}

/** Written inside the use case's transaction, so a change and its record stand or fall together. */
export async function recordAudit(
  tx: Transaction,
  actor: Actor | 'system',
  event: { action: string; entityType: string; entityId: string; data?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(auditEvents).values({
    actor: auditActor(actor),
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    data: event.data ?? {},
  });
}
