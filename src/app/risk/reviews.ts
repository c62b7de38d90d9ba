import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { outbox, type RiskReview, type RiskReviewStatus, riskReviews } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { RiskSignal, RiskSubjectKind } from '../../domain/risk/signals.js';
import { assertAllowed, forbidden } from '../access.js';
import { type AuditActor, auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { roleRecipient } from '../service-messages.js';
import { reviewOpenedMessage } from './messages.js';

export type RiskReviewView = {
  id: string;
  subjectKind: RiskSubjectKind;
  subjectId: string;
  dealerId: string | null;
  endUserId: string | null;
  oemClientId: string | null;
  signals: RiskSignal[];
  status: RiskReviewStatus;
  raisedBy: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  version: number;
  createdAt: string;
};

export const riskReviewNotFound = { code: 'RISK_REVIEW_NOT_FOUND', message: 'no such review' };

/**
 * Who reviews what: support the customers' and dealers' (claims, reimbursements), QA the OEM clients'
 * credits — QA adjudicates their defects already. Admins may do either.
 */
export const reviewerRoles: Record<RiskSubjectKind, readonly string[]> = {
  claim: ['admin', 'support'],
  reimbursement: ['admin', 'support'],
  excess_resolution: ['admin', 'qa'],
};

export function riskReviewView(row: RiskReview): RiskReviewView {
  return {
    id: row.id,
    subjectKind: row.subjectKind,
    subjectId: row.subjectId,
    dealerId: row.dealerId,
    endUserId: row.endUserId,
    oemClientId: row.oemClientId,
    signals: row.signals,
    status: row.status,
    raisedBy: row.raisedBy,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    reason: row.reason,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The kinds a staff role reviews; a role that reviews nothing sees nothing. */
function kindsFor(actor: Actor): RiskSubjectKind[] {
  return (Object.keys(reviewerRoles) as RiskSubjectKind[]).filter((k) =>
    reviewerRoles[k].includes(actor.role),
  );
}

export async function listRiskReviews(
  deps: { db: Database },
  actor: Actor,
  query: {
    status?: RiskReviewStatus | undefined;
    subjectKind?: RiskSubjectKind | undefined;
    limit?: number | undefined;
  },
): Promise<RiskReviewView[]> {
  if (listFilter(actor, 'riskReviews.read').kind === 'none') throw forbidden();
  const kinds = kindsFor(actor).filter((k) => query.subjectKind === undefined || k === query.subjectKind);
  if (kinds.length === 0) return [];
  const where: SQL[] = [inArray(riskReviews.subjectKind, kinds)];
  if (query.status) where.push(eq(riskReviews.status, query.status));
  const rows = await deps.db
    .select()
    .from(riskReviews)
    .where(and(...where))
    // What waits is worked oldest first; what was decided is looked back on newest first.
    .orderBy(
      query.status === 'pending' ? asc(riskReviews.createdAt) : desc(riskReviews.createdAt),
      asc(riskReviews.id),
    )
    .limit(query.limit ?? 100);
  return rows.map(riskReviewView);
}

export async function getRiskReview(
  deps: { db: Database },
  actor: Actor,
  id: string,
): Promise<RiskReviewView> {
  const [row] = await deps.db.select().from(riskReviews).where(eq(riskReviews.id, id)).limit(1);
  if (!row || !reviewerRoles[row.subjectKind].includes(actor.role)) {
    throw new AppError('not_found', riskReviewNotFound.code, riskReviewNotFound.message);
  }
  assertAllowed(actor, 'riskReviews.read', {}, riskReviewNotFound);
  return riskReviewView(row);
}

/** The review of one object, if it was ever stopped: what the object's own pages show. */
export async function reviewOf(
  db: Database | Transaction,
  subjectKind: RiskSubjectKind,
  subjectId: string,
): Promise<RiskReview | undefined> {
  const [row] = await db
    .select()
    .from(riskReviews)
    .where(and(eq(riskReviews.subjectKind, subjectKind), eq(riskReviews.subjectId, subjectId)))
    .limit(1);
  return row;
}

export type Subject = {
  kind: RiskSubjectKind;
  id: string;
  owners: { dealerId?: string | null; endUserId?: string | null; oemClientId?: string | null };
};

function heldError(row: RiskReview): AppError {
  if (row.status === 'rejected') {
    return new AppError(
      'conflict',
      'RISK_REVIEW_REJECTED',
      `this ${row.subjectKind.replace('_', ' ')} was reviewed and declined: ${row.reason ?? ''}`,
      { reviewId: row.id, reason: row.reason },
    );
  }
  return new AppError(
    'conflict',
    'RISK_REVIEW_PENDING',
    `this ${row.subjectKind.replace('_', ' ')} waits for a person to review it before anything is paid out`,
    // Not which rule: the party held is told that it waits, not how to get past the rules.
    { reviewId: row.id },
  );
}

/**
 * Raised inside a use case's transaction when an object that was never reviewed has signals: the
 * transaction rolls back (nothing pays out), and `holdingForReview` — outside it — opens the review
 * and answers 409. The review cannot be written inside the transaction, which is rolling back.
 */
export class RiskHold extends Error {
  constructor(
    readonly subject: Subject,
    readonly signals: RiskSignal[],
    readonly raisedBy: AuditActor,
  ) {
    super(`held for review: ${signals.map((s) => s.code).join(', ')}`);
    this.name = 'RiskHold';
  }
}

/**
 * The gate before anything pays out on an object, called inside the use case's transaction after its
 * access checks (so a stranger can neither learn of an object nor open a review of it): an approved
 * review lets it through, a pending or rejected one stops it with 409; an object never reviewed has its
 * signals worked out now, and if any is raised the use case is stopped with a RiskHold.
 */
export async function assertCleared(
  tx: Transaction,
  subject: Subject,
  raisedBy: AuditActor,
  signalsNow: () => Promise<RiskSignal[]>,
): Promise<void> {
  const existing = await reviewOf(tx, subject.kind, subject.id);
  if (existing?.status === 'approved') return;
  if (existing) throw heldError(existing);
  const signals = await signalsNow();
  if (signals.length > 0) throw new RiskHold(subject, signals, raisedBy);
}

/**
 * Runs a use case whose transaction may stop at `assertCleared`: a hold opens the review (committed on
 * its own, so it stays though the request is refused) and becomes 409 RISK_REVIEW_PENDING. Two
 * requests held at once share one review.
 */
export async function holdingForReview<T>(db: Database, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof RiskHold)) throw err;
    const row = await openReview(db, err.subject, err.raisedBy, err.signals);
    throw heldError(row);
  }
}

/**
 * Opens the review of an object with the signals raised, or returns the one already open: two
 * requests stopping at once meet at the unique index and share one review.
 */
export async function openReview(
  db: Database,
  subject: Subject,
  raisedBy: AuditActor,
  signals: RiskSignal[],
): Promise<RiskReview> {
  return db.transaction((tx) => openReviewIn(tx, subject, raisedBy, signals));
}

/** The same, in a transaction the caller commits (a use case that goes on without the held object). */
export async function openReviewIn(
  tx: Transaction,
  subject: Subject,
  raisedBy: AuditActor,
  signals: RiskSignal[],
): Promise<RiskReview> {
  const [inserted] = await tx
    .insert(riskReviews)
    .values({
      subjectKind: subject.kind,
      subjectId: subject.id,
      dealerId: subject.owners.dealerId ?? null,
      endUserId: subject.owners.endUserId ?? null,
      oemClientId: subject.owners.oemClientId ?? null,
      signals,
      raisedBy: auditActor(raisedBy),
    })
    .onConflictDoNothing({ target: [riskReviews.subjectKind, riskReviews.subjectId] })
    .returning();
  if (inserted) {
    await recordAudit(tx, raisedBy, {
      action: 'risk.review.opened',
      entityType: 'risk_review',
      entityId: inserted.id,
      data: { subjectKind: subject.kind, subjectId: subject.id, signals },
    });
    await tx.insert(outbox).values({
      topic: 'risk_review.opened',
      recipient: roleRecipient(subject.kind === 'excess_resolution' ? 'qa' : 'support'),
      ...reviewOpenedMessage(subject.kind, subject.id),
      payload: { riskReviewId: inserted.id, subjectKind: subject.kind, subjectId: subject.id },
    });
    return inserted;
  }
  const existing = await reviewOf(tx, subject.kind, subject.id);
  if (!existing) throw new Error('a review that conflicted is not there');
  return existing;
}
