import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { rowsOf, scalarOf } from '../db/rows.js';
import { recordAudit } from '../app/audit.js';
import type { Temporal } from '../domain/calendar.js';
import { UNCLAIMED_UPLOAD_MAX_AGE_MS } from '../domain/uploads.js';

/** One runner at a time across processes: whoever holds this lock in its transaction runs. */
export const UNCLAIMED_UPLOADS_LOCK_KEY = 7_361_205_118;

export type UnclaimedUploadsResult = {
  /** False when another process was running the job: this one did nothing. */
  ran: boolean;
  deleted: number;
  ticketsDeleted: number;
};

/**
 * Deletes files attached to nothing — no purchase's proof, no defect report's or investigation's
 * evidence — a day after they arrived (UNCLAIMED_UPLOAD_MAX_AGE_MS), with their slices and an audit
 * event each, and the upload tickets that expired a day ago and brought nothing still kept. The
 * candidates are locked `for update skip locked`: a file being attached right now holds a key-share
 * lock on its row, so it is skipped rather than deleted from under the attachment.
 */
export async function runUnclaimedUploadCleanup(
  deps: { db: Database; now: () => Temporal.Instant },
  options: { batchSize?: number } = {},
): Promise<UnclaimedUploadsResult> {
  const cutoff = new Date(deps.now().epochMilliseconds - UNCLAIMED_UPLOAD_MAX_AGE_MS);
  return deps.db.transaction(async (tx) => {
    const locked = scalarOf(
      await tx.execute(sql`select pg_try_advisory_xact_lock(${UNCLAIMED_UPLOADS_LOCK_KEY}) as locked`),
      'locked',
    );
    const result: UnclaimedUploadsResult = { ran: locked === true, deleted: 0, ticketsDeleted: 0 };
    if (!result.ran) return result;

    const unclaimed = rowsOf(
      await tx.execute(sql`
        select u.id, u.kind, u.size_bytes, u.sha256, u.uploaded_by, u.created_at
          from uploads u
         where u.created_at <= ${cutoff}
           and not exists (select 1 from purchases p where p.proof_upload_id = u.id)
           and not exists (select 1 from defect_report_evidence d where d.upload_id = u.id)
           and not exists (select 1 from investigation_evidence i where i.upload_id = u.id)
           and not exists (select 1 from conversation_attachments c where c.upload_id = u.id)
         order by u.created_at, u.id
         limit ${options.batchSize ?? 1000}
           for update of u skip locked`),
    );
    for (const row of unclaimed) {
      const id = String(row.id);
      await tx.execute(sql`delete from uploads where id = ${id}`);
      await recordAudit(tx, 'system', {
        action: 'upload.discarded',
        entityType: 'upload',
        entityId: id,
        data: {
          reason: 'unclaimed',
          kind: row.kind,
          sizeBytes: Number(row.size_bytes),
          sha256: row.sha256,
          uploadedBy: row.uploaded_by,
          uploadedAt: (row.created_at instanceof Date
            ? row.created_at
            : new Date(String(row.created_at))
          ).toISOString(),
        },
      });
    }
    result.deleted = unclaimed.length;

    // A ticket is a credential: once it can neither bring a file nor attach one, it goes.
    const tickets = rowsOf(
      await tx.execute(sql`
        delete from upload_tickets t
         where t.expires_at <= ${cutoff}
           and not exists (select 1 from uploads u where u.ticket_id = t.id)
        returning t.id`),
    );
    result.ticketsDeleted = tickets.length;
    return result;
  });
}
