import { isDeepStrictEqual } from 'node:util';
import { sql } from 'drizzle-orm';
import { policyDrafts } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';
import { recordAudit } from '../audit.js';
import type { PolicyDraftDeps } from './create-policy-draft.js';
import {
  assertDraftsAllowed,
  draftDocument,
  draftView,
  openAt,
  type PolicyDraftView,
  whyNotUpdated,
} from './policy-drafts.js';

/** The top-level parts of a version that an edit changed, for the audit log (the whole is in the row). */
function changedParts(before: PolicyVersion, after: PolicyVersion): string[] {
  return (Object.keys(after) as (keyof PolicyVersion)[]).filter(
    (key) => !isDeepStrictEqual(before[key], after[key]),
  );
}

/** Replaces an open draft's document, if nobody changed, published or discarded it since it was read. */
export async function editPolicyDraft(
  deps: Pick<PolicyDraftDeps, 'db'>,
  actor: Actor,
  id: string,
  input: { document: PolicyVersion; version: number },
): Promise<PolicyDraftView> {
  assertDraftsAllowed(actor);
  return deps.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ id: policyDrafts.id, document: policyDrafts.document })
      .from(policyDrafts)
      .where(openAt(id, input.version))
      .for('update');
    if (!before) throw await whyNotUpdated(tx, id, input.version);
    const [row] = await tx
      .update(policyDrafts)
      .set({ document: input.document, version: sql`${policyDrafts.version} + 1`, updatedAt: sql`now()` })
      .where(openAt(id, input.version))
      .returning();
    if (!row) throw await whyNotUpdated(tx, id, input.version);
    await recordAudit(tx, actor, {
      action: 'policy_draft.edited',
      entityType: 'policy_draft',
      entityId: id,
      data: {
        version: row.version,
        changed: changedParts(before.document, input.document),
        versionId: input.document.id,
        effectiveFrom: input.document.effectiveFrom,
        previous: draftDocument(before),
      },
    });
    return draftView(row);
  });
}
