import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import {
  claims,
  conversationAttachments,
  conversationMessages,
  conversations,
  defectReportEvidence,
  maintenanceOrders,
  oemDefectReports,
  purchases,
  uploads,
} from '../../db/schema.js';
import { isShownTo } from '../../domain/conversations/conversation.js';
import { type Actor, authorize, type Owners } from '../../domain/access/access.js';
import { forbidden } from '../access.js';
import { auditActor } from '../audit.js';
import { AppError } from '../errors.js';

/** What is known of a stored file; its bytes are streamed from `upload_chunks` (upload-content.ts). */
export type StoredFile = { id: string; mediaType: string; sizeBytes: number };

const uploadNotFound = { code: 'UPLOAD_NOT_FOUND', message: 'no such file' };

/**
 * Whose a file is: the owners of what it is attached to — a proof of purchase is its purchase's dealer's
 * and customer's, a defect report's evidence its OEM client's. A file may be on several things.
 */
async function ownersOfUpload(db: Database, uploadId: string): Promise<Owners[]> {
  const proofs = await db
    .select({ dealerId: purchases.dealerId, endUserId: purchases.endUserId })
    .from(purchases)
    .where(eq(purchases.proofUploadId, uploadId));
  const evidence = await db
    .select({ oemClientId: oemDefectReports.clientId })
    .from(defectReportEvidence)
    .innerJoin(oemDefectReports, eq(oemDefectReports.id, defectReportEvidence.reportId))
    .where(eq(defectReportEvidence.uploadId, uploadId));
  const inConversation = await db
    .select({
      dealerId: purchases.dealerId,
      endUserId: claims.endUserId,
      visibility: conversationMessages.visibility,
      status: conversationMessages.status,
      serviceCenterId: sql<string | null>`(
        select ${maintenanceOrders.serviceCenterId} from ${maintenanceOrders}
         where ${maintenanceOrders.claimId} = ${claims.id}
         order by ${maintenanceOrders.createdAt} desc, ${maintenanceOrders.id} desc limit 1)`,
    })
    .from(conversationAttachments)
    .innerJoin(conversationMessages, eq(conversationMessages.id, conversationAttachments.messageId))
    .innerJoin(conversations, eq(conversations.id, conversationMessages.conversationId))
    .innerJoin(claims, eq(claims.id, conversations.claimId))
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .where(eq(conversationAttachments.uploadId, uploadId));
  const conversationOwners = inConversation.map((r) => ({
    dealerId: r.dealerId,
    serviceCenterId: r.serviceCenterId,
    // An internal note's file, or a held e-mail's, is not the customer's to see.
    endUserId: isShownTo('customer', r) ? r.endUserId : null,
  }));
  return [...proofs, ...evidence, ...conversationOwners];
}

/**
 * A stored file, for whoever may see it: staff with the `all` grant, the person who uploaded it, and the
 * owners of what it is attached to. To anyone else it does not exist.
 */
export async function readUpload(
  deps: { db: Database },
  actor: Actor,
  uploadId: string,
): Promise<StoredFile> {
  const decision = authorize(actor, 'uploads.read', {});
  if (decision === 'forbidden') throw forbidden();
  const [row] = await deps.db
    .select({ mediaType: uploads.mediaType, sizeBytes: uploads.sizeBytes, uploadedBy: uploads.uploadedBy })
    .from(uploads)
    .where(eq(uploads.id, uploadId));
  if (!row) throw new AppError('not_found', uploadNotFound.code, uploadNotFound.message);
  const file = { id: uploadId, mediaType: row.mediaType, sizeBytes: row.sizeBytes };
  if (decision === 'allowed' || row.uploadedBy === auditActor(actor)) return file;
  const owners = await ownersOfUpload(deps.db, uploadId);
  if (owners.some((o) => authorize(actor, 'uploads.read', o) === 'allowed')) return file;
  throw new AppError('not_found', uploadNotFound.code, uploadNotFound.message);
}
