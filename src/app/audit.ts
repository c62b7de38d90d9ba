import type { Transaction } from '../db/client.js';
import { auditEvents } from '../db/schema.js';
import type { Actor } from '../domain/access/access.js';

/**
 * Who did something, for the audit log: a signed-in user by id, a machine by its API key's id,
 * someone without an account (a guest following a link), or the system itself.
 */
export type AuditActor = Actor | 'system' | 'guest';

export function auditActor(actor: AuditActor): string {
  if (typeof actor === 'string') return actor;
  return actor.keyId === undefined ? `user:${actor.userId}` : `key:${actor.keyId}`;
}

/** Written inside the use case's transaction, so a change and its record stand or fall together. */
export async function recordAudit(
  tx: Transaction,
  actor: AuditActor,
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
