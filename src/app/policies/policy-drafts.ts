import { and, desc, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { type PolicyDraftRow, type PolicyDraftStatus, policyDrafts } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { type PolicyVersion, policyVersionSchema } from '../../domain/policy/schema.js';
import { assertAllowed } from '../access.js';
import { AppError } from '../errors.js';
import { versionConflict } from '../optimistic-lock.js';

/*
 * Draft policy versions (table policy_drafts): the reading side and what the writing use cases share.
 * A draft is never in force: nothing that decides reads this table.
 */

export type PolicyDraftView = {
  id: string;
  status: PolicyDraftStatus;
  version: number;
  basedOn: string | null;
  document: PolicyVersion;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closedBy: string | null;
  closedAt: string | null;
};

export function draftView(row: PolicyDraftRow): PolicyDraftView {
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    basedOn: row.basedOn,
    document: row.document,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    closedBy: row.closedBy,
    closedAt: row.closedAt?.toISOString() ?? null,
  };
}

export const draftNotFound = (id: string) =>
  new AppError('not_found', 'POLICY_DRAFT_NOT_FOUND', `no policy draft "${id}"`);

/** Admins alone; anyone else is told the drafts do not exist for them. */
export function assertDraftsAllowed(actor: Actor): void {
  assertAllowed(actor, 'policyDrafts.manage', {}, { code: 'NOT_FOUND', message: 'not found' });
}

/** Its document, validated again: a hand-edited row fails loudly here, not in a replay or a decision. */
export function draftDocument(row: Pick<PolicyDraftRow, 'id' | 'document'>): PolicyVersion {
  const parsed = policyVersionSchema.safeParse(row.document);
  if (!parsed.success) {
    throw new AppError('unprocessable', 'POLICY_DRAFT_INVALID', `policy draft ${row.id} is invalid`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

export async function loadDraft(db: Database | Transaction, id: string): Promise<PolicyDraftRow> {
  const [row] = await db.select().from(policyDrafts).where(eq(policyDrafts.id, id));
  if (!row) throw draftNotFound(id);
  return row;
}

/**
 * Why a conditional update of an open draft at `expectedVersion` touched no row: it is gone, closed
 * (published or discarded by someone else — 409 POLICY_DRAFT_CLOSED), or at another version.
 */
export async function whyNotUpdated(
  tx: Database | Transaction,
  id: string,
  expectedVersion: number,
): Promise<AppError> {
  const row = await loadDraft(tx, id);
  if (row.status !== 'draft') {
    return new AppError(
      'conflict',
      'POLICY_DRAFT_CLOSED',
      `this draft was already ${row.status} (by ${row.closedBy ?? 'someone'}); it can no longer be changed`,
      { status: row.status, currentVersion: row.version },
    );
  }
  if (row.version !== expectedVersion) return versionConflict('policy draft', row.version);
  return draftNotFound(id);
}

/** The open drafts, newest first. */
export async function listPolicyDrafts(deps: { db: Database }, actor: Actor): Promise<PolicyDraftView[]> {
  assertDraftsAllowed(actor);
  const rows = await deps.db
    .select()
    .from(policyDrafts)
    .where(eq(policyDrafts.status, 'draft'))
    .orderBy(desc(policyDrafts.createdAt), desc(policyDrafts.id))
    .limit(200);
  return rows.map(draftView);
}

export async function policyDraftById(
  deps: { db: Database },
  actor: Actor,
  id: string,
): Promise<PolicyDraftView> {
  assertDraftsAllowed(actor);
  return draftView(await loadDraft(deps.db, id));
}

/** The condition of every write to a draft: still open, still at the version the writer read. */
export const openAt = (id: string, expectedVersion: number) =>
  and(eq(policyDrafts.id, id), eq(policyDrafts.status, 'draft'), eq(policyDrafts.version, expectedVersion));
