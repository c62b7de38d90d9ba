import type { RiskSubjectKind } from '../../domain/risk/signals.js';

/*
 * What people are told about a review, in English then Chinese in one message (the outbox does not
 * know which language its reader reads). Never which rule raised it: the party is told that a person
 * checks, and the reason when declined.
 */

export type OutboxText = { subject: string; body: string };

/** To the reviewers' inbox (`role:support` / `role:qa`) when something new waits. */
export function reviewOpenedMessage(kind: RiskSubjectKind, subjectId: string): OutboxText {
  const what = {
    claim: { en: 'a claim', zh: '一条报修' },
    reimbursement: { en: 'a dealer reimbursement', zh: '一笔经销商补偿' },
    excess_resolution: { en: 'an OEM credit', zh: '一笔 OEM 抵扣' },
  }[kind];
  return {
    subject: `To review before it pays out: ${what.en} — 待复核：${what.zh}`,
    body:
      `A fraud signal held ${what.en} (${subjectId}) before anything was paid out on it. Open the review queue to approve it or decline it with a reason.\n\n` +
      `风险规则在付款前拦下了${what.zh}（${subjectId}）。请在复核队列中批准，或填写原因后拒绝。`,
  };
}

/** To the customer when support has checked a held claim. */
export function claimReviewedMessage(input: {
  customerName: string;
  claimId: string;
  decision: 'approved' | 'rejected';
  reason: string | null;
}): OutboxText {
  const { customerName: name, claimId } = input;
  if (input.decision === 'approved') {
    return {
      subject: 'Your claim has been checked — 您的报修已核实',
      body:
        `Dear ${name}, we have checked your claim (${claimId}) and you can go ahead with the remedy you chose.\n\n` +
        `${name}，您好：您的报修（${claimId}）已核实，您可以继续办理所选的处理方式。`,
    };
  }
  return {
    subject: 'About your claim — 关于您的报修',
    body:
      `Dear ${name}, we have checked your claim (${claimId}) and cannot carry out a free remedy on it. Reason: ${input.reason ?? ''}\nIf you think this is wrong, reply with your proof of purchase.\n\n` +
      `${name}，您好：经核实，您的报修（${claimId}）无法享受免费处理。原因：${input.reason ?? ''}\n如有异议，请回复并附上购买凭证。`,
  };
}

/** To the dealer when a held reimbursement is declined: it is then declined as a reimbursement too. */
export function reimbursementReviewDeclinedMessage(input: {
  dealerName: string;
  reimbursementId: string;
  reason: string;
}): OutboxText {
  return {
    subject: 'Reimbursement declined after review — 补偿申请经复核未批准',
    body:
      `${input.dealerName}: your reimbursement request ${input.reimbursementId} was reviewed and declined. Reason: ${input.reason}\n\n` +
      `${input.dealerName}：您的补偿申请 ${input.reimbursementId} 经复核未批准。原因：${input.reason}`,
  };
}
