import { and, desc, eq, inArray } from 'drizzle-orm';
import { batchDefectInvestigations } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { InvestigationState } from '../../domain/oem/batch-investigation.js';
import { type InvestigationView, investigationView } from './investigation-records.js';
import { assertMay } from './lot-defect-rates.js';
import type { OemDeps } from './oem-records.js';

export async function listInvestigations(
  deps: OemDeps,
  actor: Actor,
  query: {
    state?: InvestigationState[] | undefined;
    productId?: string | undefined;
    limit: number;
    offset: number;
  },
): Promise<InvestigationView[]> {
  assertMay(actor, 'batchInvestigations.read');
  const rows = await deps.db
    .select({ id: batchDefectInvestigations.id })
    .from(batchDefectInvestigations)
    .where(
      and(
        query.state?.length ? inArray(batchDefectInvestigations.state, query.state) : undefined,
        query.productId ? eq(batchDefectInvestigations.productId, query.productId) : undefined,
      ),
    )
    .orderBy(desc(batchDefectInvestigations.createdAt), desc(batchDefectInvestigations.id))
    .limit(query.limit)
    .offset(query.offset);
  const views: InvestigationView[] = [];
  for (const r of rows) views.push(await investigationView(deps.db, r.id));
  return views;
}

export async function getInvestigation(deps: OemDeps, actor: Actor, id: string): Promise<InvestigationView> {
  assertMay(actor, 'batchInvestigations.read');
  return investigationView(deps.db, id);
}
