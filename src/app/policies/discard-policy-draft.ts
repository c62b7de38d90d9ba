import { sql } from 'drizzle-orm';
import { policyDrafts } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { auditActor, recordAudit } from '../audit.js';
import type { PolicyDraftDeps } from './create-policy-draft.js';
import {
  assertDraftsAllowed,
  draftView,
  openAt,
  type PolicyDraftView,
  whyNotUpdated,
} from './policy-drafts.js';

/** Closes an open draft without publishing it; the row stays, closed, as history. */
export async function discardPolicyDraft(
  deps: Pick<PolicyDraftDeps, 'db'>,
  actor: Actor,
  id: string,
  input: { version: number },
): Promise<PolicyDraftView> {
  assertDraftsAllowed(actor);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(policyDrafts)
      .set({
        status: 'discarded',
        closedBy: auditActor(actor),
        closedAt: sql`now()`,
        version: sql`${policyDrafts.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(openAt(id, input.version))
      .returning();
    if (!row) throw await whyNotUpdated(tx, id, input.version);
    await recordAudit(tx, actor, {
      action: 'policy_draft.discarded',
      entityType: 'policy_draft',
      entityId: id,
      data: { versionId: row.document.id },
    });
    return draftView(row);
  });
}
