import type { Transaction } from '../../db/client.js';
import type { Actor } from '../../domain/access/access.js';
import type { ApprovalKind } from '../../domain/approvals/four-eyes.js';
import { dealerRefundApproval } from '../dealer-remedies/refund-approval.js';
import { reimbursementApproval } from '../reimbursements/reimbursement-approval.js';
import type { Approval } from './request-approval.js';

/**
 * What a decision does to the thing that waited, in the decision's transaction: a handler that refuses
 * (throws) rolls the decision back with it.
 */
export type ApprovalHandler = {
  approved(tx: Transaction, approval: Approval, decider: Actor, now: Date): Promise<void>;
  rejected(tx: Transaction, approval: Approval, decider: Actor, reason: string, now: Date): Promise<void>;
};

/**
 * One handler per kind. `oem_credit` needs none: the credit is written at once and waits, and the
 * confirmation of the client's next order reads its approval (risk/credit-clearance.ts) — approved, it
 * applies; pending, it waits for a later order; rejected, it never applies.
 */
export const approvalHandlers: Partial<Record<ApprovalKind, ApprovalHandler>> = {
  dealer_refund: dealerRefundApproval,
  reimbursement: reimbursementApproval,
};
