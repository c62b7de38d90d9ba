import type { Money } from '../../domain/money.js';
import type { DealerRemedyKind } from '../messages/en.js';
import { bilingual } from '../messages/index.js';
import { formatMoney } from '../service-messages.js';

/*
 * What a dealer is told when its reimbursement is decided — by one agent (decide-reimbursement.ts) or by
 * the second pair of eyes (reimbursement-approval.ts): one message, final either way. The words are in
 * the message catalogues (app/messages).
 */
export function reimbursementDecidedMessage(input: {
  reimbursementId: string;
  decision: 'approved' | 'rejected';
  remedy: { kind: DealerRemedyKind; performedOn: string; claimId: string };
  amount: Money | null;
  reason: string | null;
}) {
  const { decision, remedy, reason } = input;
  return {
    topic: `reimbursement.${decision}`,
    ...bilingual((m) =>
      m.reimbursements.decided({
        decision,
        kind: remedy.kind,
        performedOn: remedy.performedOn,
        claimId: remedy.claimId,
        amount: input.amount ? formatMoney(input.amount) : '—',
        reason,
      }),
    ),
    payload: { reimbursementId: input.reimbursementId, claimId: remedy.claimId, decision },
  };
}
