import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { claims, products, purchases } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn, type Temporal } from '../../domain/calendar.js';
import { policyInForce } from '../../domain/policy/evaluate.js';
import {
  emptyTally,
  type RemedyCostLookup,
  replayBatch,
  type ReplayClaim,
  summarize,
  type WhatIfSummary,
} from '../../domain/policy/what-if.js';
import { assertAllowed } from '../access.js';
import { AppError } from '../errors.js';
import { draftDocument, loadDraft } from '../policies/policy-drafts.js';
import type { PolicySource } from '../policies/policy-source.js';
import { remedyCostLookup } from './remedy-costs.js';

export const WHAT_IF_MAX_MONTHS = 36;
export const WHAT_IF_DEFAULT_MONTHS = 12;
/** Claims read per query: enough to amortise a round trip, few enough to keep memory flat. */
export const WHAT_IF_BATCH = 2_000;

export type WhatIfDeps = {
  db: Database;
  policies: PolicySource;
  storeTimeZone: string;
  now: () => Temporal.Instant;
  /** Prices a remedy of a product; by default from the money already decided (remedy-costs.ts). */
  costs?: (db: Database) => Promise<RemedyCostLookup>;
  batchSize?: number;
};

export type WhatIfReport = WhatIfSummary & {
  draftId: string;
  draftVersionId: string;
  /** The published version each claim is compared under: the one in force today. */
  baselineVersionId: string;
  months: number;
  /** Claims reported from `from` to `to` (inclusive, store calendar) were replayed. */
  from: string;
  to: string;
  /** Of those, decided at the time by a version other than the baseline (an older one). */
  decidedUnderOtherVersions: number;
};

/**
 * Replays the claims reported in the last `months` months under a draft and under the published version
 * in force today, and tells what would differ. The baseline is today's version, not the one that decided
 * each claim: the question is what the draft changes compared to the rules it would replace, so a rule
 * that an older version had and today's already changed is not counted as the draft's doing (and an
 * unchanged copy of today's version differs in nothing). How many claims an older version decided is
 * reported beside.
 *
 * The claims are read in keyset batches (reported_on, id) and folded through the pure engine: memory
 * stays at one batch and a tally whatever the number of claims.
 */
export async function policyWhatIf(
  deps: WhatIfDeps,
  actor: Actor,
  input: { draftId: string; months: number },
): Promise<WhatIfReport> {
  assertAllowed(actor, 'insight.whatIf', {}, { code: 'NOT_FOUND', message: 'not found' });
  if (!Number.isInteger(input.months) || input.months < 1 || input.months > WHAT_IF_MAX_MONTHS) {
    throw new AppError('invalid', 'MONTHS_OUT_OF_RANGE', `months must be 1 to ${WHAT_IF_MAX_MONTHS}`, {
      field: 'months',
    });
  }
  const draft = draftDocument(await loadDraft(deps.db, input.draftId));
  const today = calendarDateIn(deps.now(), deps.storeTimeZone);
  const baseline = policyInForce(await deps.policies.versions(), today);
  if (!baseline.ok) throw new AppError('not_found', baseline.error.code, baseline.error.message);
  const from = today.subtract({ months: input.months });
  const costOf = await (deps.costs ?? remedyCostLookup)(deps.db);
  const limit = deps.batchSize ?? WHAT_IF_BATCH;

  let tally = emptyTally;
  let decidedUnderOtherVersions = 0;
  let after: { reportedOn: string; id: string } | undefined;
  for (;;) {
    const rows = await deps.db
      .select({
        id: claims.id,
        reportedOn: claims.reportedOn,
        cause: claims.cause,
        chosenRemedy: claims.chosenRemedy,
        policyVersionId: claims.policyVersionId,
        purchaseDate: purchases.purchaseDate,
        productId: purchases.productId,
        warrantyOverride: products.warrantyOverride,
      })
      .from(claims)
      .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
      .innerJoin(products, eq(products.id, purchases.productId))
      .where(
        and(
          gte(claims.reportedOn, from.toString()),
          lte(claims.reportedOn, today.toString()),
          after === undefined
            ? undefined
            : sql`(${claims.reportedOn}, ${claims.id}) > (cast(${after.reportedOn} as date), cast(${after.id} as uuid))`,
        ),
      )
      .orderBy(asc(claims.reportedOn), asc(claims.id))
      .limit(limit);
    const batch: ReplayClaim[] = rows.map((r) => ({
      productId: r.productId,
      purchaseDate: r.purchaseDate,
      reportedOn: r.reportedOn,
      cause: r.cause,
      chosenRemedy: r.chosenRemedy,
      warrantyOverride: r.warrantyOverride,
    }));
    tally = replayBatch(tally, baseline.value, draft, batch);
    for (const r of rows) if (r.policyVersionId !== baseline.value.id) decidedUnderOtherVersions++;
    const last = rows.at(-1);
    if (!last || rows.length < limit) break;
    after = { reportedOn: last.reportedOn, id: last.id };
  }
  return {
    draftId: input.draftId,
    draftVersionId: draft.id,
    baselineVersionId: baseline.value.id,
    months: input.months,
    from: from.toString(),
    to: today.toString(),
    decidedUnderOtherVersions,
    ...summarize(tally, costOf),
  };
}
