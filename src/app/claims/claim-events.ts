import type { Transaction } from '../../db/client.js';
import type { Temporal } from '../../domain/calendar.js';
import { recordEvent } from '../events/record-event.js';
import { claimOwners, type ClaimView, claimViewFor, presentClaim } from './claim-view.js';

export type ClaimEventType = 'claim.submitted' | 'claim.remedy_chosen' | 'claim.resolved';

/**
 * The claim's event, written in the transaction that changed it: the claim as the API shows it after
 * the change (clauses in English), for its customer and its sale's dealer.
 */
export async function recordClaimEvent(
  tx: Transaction,
  type: ClaimEventType,
  claimId: string,
  occurredAt: Temporal.Instant | Date,
): Promise<ClaimView> {
  const view = await claimViewFor(tx, null, 'claims.read', claimId);
  await recordEvent(tx, {
    type,
    subjectId: view.id,
    scope: claimOwners(view),
    data: presentClaim(view, 'en'),
    occurredAt,
  });
  return view;
}
