import { and, eq, sql } from 'drizzle-orm';
import { batchDefectInvestigations, investigationEvidence } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { recordAudit, auditActor } from '../audit.js';
import { AppError } from '../errors.js';
import { assertVersion } from '../optimistic-lock.js';
import { type InvestigationView, investigationView, loadInvestigation } from './investigation-records.js';
import { assertMay } from './lot-defect-rates.js';
import { checkEvidence, type OemDeps } from './oem-records.js';

/** QA attaches evidence files (uploaded first) to an investigation that is not finished. */
export async function attachInvestigationEvidence(
  deps: OemDeps,
  actor: Actor,
  id: string,
  input: { uploadIds: string[]; expectedVersion: number },
): Promise<InvestigationView> {
  assertMay(actor, 'batchInvestigations.manage');
  await deps.db.transaction(async (tx) => {
    const inv = await loadInvestigation(tx, id, true);
    assertVersion('investigation', inv, input.expectedVersion);
    if (inv.state === 'dismissed' || inv.state === 'closed') {
      throw new AppError(
        'conflict',
        'INVESTIGATION_FINISHED',
        `the investigation is ${inv.state}: nothing more is attached to it`,
        {
          state: inv.state,
        },
      );
    }
    const uploadIds = await checkEvidence(tx, actor, input.uploadIds);
    if (uploadIds.length === 0) {
      throw new AppError('invalid', 'EVIDENCE_REQUIRED', 'name at least one uploaded file', {
        field: 'uploadIds',
      });
    }
    const added = await tx
      .insert(investigationEvidence)
      .values(
        uploadIds.map((uploadId) => ({ investigationId: inv.id, uploadId, addedBy: auditActor(actor) })),
      )
      .onConflictDoNothing()
      .returning({ uploadId: investigationEvidence.uploadId });
    await tx
      .update(batchDefectInvestigations)
      .set({
        version: sql`${batchDefectInvestigations.version} + 1`,
        updatedAt: new Date(deps.now().epochMilliseconds),
      })
      .where(
        and(eq(batchDefectInvestigations.id, inv.id), eq(batchDefectInvestigations.version, inv.version)),
      );
    await recordAudit(tx, actor, {
      action: 'batch_investigation.evidence_attached',
      entityType: 'batch_investigation',
      entityId: inv.id,
      data: { uploadIds: added.map((a) => a.uploadId) },
    });
  });
  return investigationView(deps.db, id);
}
