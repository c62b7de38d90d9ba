import { sql } from 'drizzle-orm';
import { policyDrafts } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';
import { auditActor, recordAudit } from '../audit.js';
import { assertPublishable, insertPolicyVersion, publishConflictOf } from './create-policy-version.js';
import type { PolicyDraftDeps } from './create-policy-draft.js';
import {
  assertDraftsAllowed,
  draftDocument,
  draftView,
  loadDraft,
  openAt,
  type PolicyDraftView,
  whyNotUpdated,
} from './policy-drafts.js';

export type PublishPolicyDraftDeps = PolicyDraftDeps & { storeTimeZone: string; now: () => Temporal.Instant };

/**
 * Publishes an open draft: it becomes a policy version, in force from its effective date (which must be
 * after today, as for any new version). One transaction: the draft is closed by a conditional update —
 * of two publishes at once, the second finds it closed (409 POLICY_DRAFT_CLOSED) — and the version is
 * inserted under the same unique constraints as any other (409 POLICY_VERSION_EXISTS,
 * POLICY_EFFECTIVE_FROM_TAKEN), so nothing is left half done.
 */
export async function publishPolicyDraft(
  deps: PublishPolicyDraftDeps,
  actor: Actor,
  id: string,
  input: { version: number },
): Promise<{ draft: PolicyDraftView; published: PolicyVersion }> {
  assertDraftsAllowed(actor);
  // Checked before anything is written, for the clearer answer; the conditional update decides a race.
  const read = await loadDraft(deps.db, id);
  if (read.status !== 'draft' || read.version !== input.version) {
    throw await whyNotUpdated(deps.db, id, input.version);
  }
  assertPublishable(deps, draftDocument(read));
  let document: PolicyVersion | undefined;
  try {
    const draft = await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .update(policyDrafts)
        .set({
          status: 'published',
          closedBy: auditActor(actor),
          closedAt: sql`now()`,
          version: sql`${policyDrafts.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(openAt(id, input.version))
        .returning();
      if (!row) throw await whyNotUpdated(tx, id, input.version);
      document = draftDocument(row);
      // The document that won the update is the one published: an edit cannot slip in between.
      assertPublishable(deps, document);
      await insertPolicyVersion(tx, actor, document, { draftId: id });
      await recordAudit(tx, actor, {
        action: 'policy_draft.published',
        entityType: 'policy_draft',
        entityId: id,
        data: { versionId: document.id, effectiveFrom: document.effectiveFrom },
      });
      return draftView(row);
    });
    deps.policies.invalidate();
    if (!document) throw new Error('published without a document');
    return { draft, published: document };
  } catch (error) {
    throw (document && publishConflictOf(error, document)) ?? error;
  }
}
