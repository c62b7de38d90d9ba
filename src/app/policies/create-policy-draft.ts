import type { Database } from '../../db/client.js';
import { policyDrafts } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { assertDraftsAllowed, draftView, type PolicyDraftView } from './policy-drafts.js';
import type { PolicySource } from './policy-source.js';

export type PolicyDraftDeps = { db: Database; policies: PolicySource };

/**
 * Starts a draft policy version (usually a copy of the version in force, changed). It decides nothing
 * until it is published; its effective date is checked then, not now, so a draft may wait.
 */
export async function createPolicyDraft(
  deps: PolicyDraftDeps,
  actor: Actor,
  input: { document: PolicyVersion; basedOn?: string | undefined },
): Promise<PolicyDraftView> {
  assertDraftsAllowed(actor);
  if (input.basedOn !== undefined) {
    const known = (await deps.policies.versions()).some((v) => v.id === input.basedOn);
    if (!known) {
      throw new AppError('invalid', 'POLICY_VERSION_NOT_FOUND', `no policy version "${input.basedOn}"`, {
        field: 'basedOn',
      });
    }
  }
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(policyDrafts)
      .values({ document: input.document, basedOn: input.basedOn ?? null, createdBy: auditActor(actor) })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, actor, {
      action: 'policy_draft.created',
      entityType: 'policy_draft',
      entityId: row.id,
      data: {
        versionId: input.document.id,
        effectiveFrom: input.document.effectiveFrom,
        basedOn: row.basedOn,
      },
    });
    return draftView(row);
  });
}
