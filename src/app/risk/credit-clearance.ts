import { and, desc, eq, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import { approvals, excessResolutions, oemOrders } from '../../db/schema.js';
import { oemExcessOutlierSignal, type RateSample, type RiskSignal } from '../../domain/risk/signals.js';
import type { AuditActor } from '../audit.js';
import { openReviewIn, reviewOf } from './reviews.js';
import { readRiskSettings } from './risk-settings.js';

/**
 * An OEM client's accepted excess (units the maker granted a remedy for, which QA accepted first)
 * per unit delivered on its confirmed orders, against every other client's: what a credit of the
 * client is held for.
 */
async function clientExcessSignal(tx: Transaction, clientId: string): Promise<RiskSignal | null> {
  const [row] = await tx
    .select({
      clientExcess:
        sql<number>`coalesce((select sum(${excessResolutions.units}) from ${excessResolutions} where ${excessResolutions.clientId} = ${clientId}), 0)`.mapWith(
          Number,
        ),
      allExcess:
        sql<number>`coalesce((select sum(${excessResolutions.units}) from ${excessResolutions}), 0)`.mapWith(
          Number,
        ),
      clientUnits:
        sql<number>`coalesce((select sum(${oemOrders.quantity}) from ${oemOrders} where ${oemOrders.clientId} = ${clientId} and ${oemOrders.state} = 'confirmed'), 0)`.mapWith(
          Number,
        ),
      allUnits:
        sql<number>`coalesce((select sum(${oemOrders.quantity}) from ${oemOrders} where ${oemOrders.state} = 'confirmed'), 0)`.mapWith(
          Number,
        ),
    })
    .from(sql`(select 1) as one`);
  if (!row) return null;
  const client: RateSample = { events: row.clientExcess, base: row.clientUnits };
  const peers: RateSample = {
    events: row.allExcess - row.clientExcess,
    base: row.allUnits - row.clientUnits,
  };
  return oemExcessOutlierSignal(client, peers, await readRiskSettings(tx));
}

/**
 * Which of a client's waiting credits may be applied to the order being confirmed, in its transaction.
 * A credit waits while a second person has not approved it (four eyes, app/approvals) or while a fraud
 * review holds it; one rejected by either never applies. A credit never looked at is checked against
 * the client's accepted-excess rate now: when it stands out, a review is opened for QA (committed with
 * the confirmation, which goes on without the credit).
 */
export async function creditsClearedForPayout(
  tx: Transaction,
  raisedBy: AuditActor,
  clientId: string,
  credits: readonly { id: string }[],
): Promise<Set<string>> {
  const cleared = new Set<string>();
  let signal: RiskSignal | null | undefined;
  for (const credit of credits) {
    const [approval] = await tx
      .select({ state: approvals.state })
      .from(approvals)
      .where(and(eq(approvals.kind, 'oem_credit'), eq(approvals.subjectId, credit.id)))
      .orderBy(desc(approvals.createdAt))
      .limit(1);
    if (approval && approval.state !== 'approved') continue;
    const review = await reviewOf(tx, 'excess_resolution', credit.id);
    if (review) {
      if (review.status === 'approved') cleared.add(credit.id);
      continue;
    }
    signal ??= await clientExcessSignal(tx, clientId);
    if (signal) {
      await openReviewIn(
        tx,
        { kind: 'excess_resolution', id: credit.id, owners: { oemClientId: clientId } },
        raisedBy,
        [signal],
      );
      continue;
    }
    cleared.add(credit.id);
  }
  return cleared;
}
