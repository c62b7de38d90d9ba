import type { RiskSubjectKind } from '../../domain/risk/signals.js';
import { bilingual, dealerNameIn, type Mail } from '../messages/index.js';

/*
 * What people are told about a review, in English then Chinese in one message (the outbox does not
 * know which language its reader reads; the words are in app/messages). Never which rule raised it:
 * the party is told that a person checks, and the reason when declined.
 */

export type OutboxText = Mail;

/** To the reviewers' inbox (`role:support` / `role:qa`) when something new waits. */
export function reviewOpenedMessage(kind: RiskSubjectKind, subjectId: string): OutboxText {
  return bilingual((m) => m.risk.reviewOpened({ kind, subjectId }));
}

/** To the customer when support has checked a held claim. */
export function claimReviewedMessage(input: {
  customerName: string;
  claimId: string;
  decision: 'approved' | 'rejected';
  reason: string | null;
}): OutboxText {
  const { customerName, claimId } = input;
  return input.decision === 'approved'
    ? bilingual((m) => m.risk.claimApproved({ customerName, claimId }))
    : bilingual((m) => m.risk.claimRejected({ customerName, claimId, reason: input.reason }));
}

/** To the dealer when a held reimbursement is declined: it is then declined as a reimbursement too. */
export function reimbursementReviewDeclinedMessage(input: {
  dealer: { name: string; nameZh: string | null };
  reimbursementId: string;
  reason: string;
}): OutboxText {
  const { dealer, reimbursementId, reason } = input;
  return bilingual((m, lang) =>
    m.risk.reimbursementDeclined({ dealerName: dealerNameIn(dealer, lang), reimbursementId, reason }),
  );
}
