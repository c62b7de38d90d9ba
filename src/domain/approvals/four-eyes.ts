import type { Role } from '../access/access.js';
import type { Money } from '../money.js';

/*
 * Four eyes: money above a threshold never moves on one person's word. Whoever asks for it (a dealer
 * recording a refund, the support agent who approves a reimbursement, sales granting a credit) is the
 * first pair of eyes; a second person, holding a role allowed to approve that kind, must agree. Nobody
 * approves their own request, whatever their role.
 */

export const approvalKinds = ['dealer_refund', 'reimbursement', 'oem_credit'] as const;
export type ApprovalKind = (typeof approvalKinds)[number];

export const approvalStates = ['pending', 'approved', 'rejected'] as const;
export type ApprovalState = (typeof approvalStates)[number];

/** Who may be the second pair of eyes, per kind. */
export const approverRoles = {
  dealer_refund: ['support', 'admin'],
  reimbursement: ['support', 'admin'],
  oem_credit: ['sales', 'admin'],
} as const satisfies Record<ApprovalKind, readonly Role[]>;

/** Every role that approves something: who sees the approvals room. */
export const anyApproverRoles: readonly Role[] = [...new Set(Object.values(approverRoles).flat())];

/** The default threshold: amounts above CN¥2,000.00 need a second person. Admins change it. */
export const DEFAULT_FOUR_EYES_THRESHOLDS: Readonly<Record<string, number>> = { CNY: 200_000 };

/**
 * Whether an amount needs a second person: above the threshold of its currency; an amount in a currency
 * with no threshold always does (nobody set a limit for it, so nobody's word alone is enough), and so
 * does an amount with no bound to check it against (`unbounded`: e.g. a refund of a sale whose price
 * nobody recorded).
 */
export function needsSecondApproval(
  amount: Money | null,
  thresholds: Readonly<Record<string, number>>,
  options: { unbounded?: boolean } = {},
): boolean {
  if (options.unbounded) return true;
  if (amount === null) return false;
  const limit = thresholds[amount.currency];
  return limit === undefined || amount.amountMinor > limit;
}

export type ApprovalSnapshot = {
  kind: ApprovalKind;
  state: ApprovalState;
  requestedByUserId: string;
};

export type DeciderRefusal =
  | { code: 'APPROVAL_SELF_DECISION'; message: string }
  | { code: 'APPROVER_ROLE_NOT_ALLOWED'; message: string; allowed: readonly Role[] }
  | { code: 'APPROVAL_ALREADY_DECIDED'; message: string; state: ApprovalState };

/** Whether `decider` may approve or reject the request: pending, not theirs, and their role may. */
export function mayDecide(
  approval: ApprovalSnapshot,
  decider: { userId: string; role: Role },
): { ok: true } | { ok: false; error: DeciderRefusal } {
  if (approval.state !== 'pending') {
    return {
      ok: false,
      error: {
        code: 'APPROVAL_ALREADY_DECIDED',
        message: `this request was already ${approval.state}; a decision is final`,
        state: approval.state,
      },
    };
  }
  if (approval.requestedByUserId === decider.userId) {
    return {
      ok: false,
      error: {
        code: 'APPROVAL_SELF_DECISION',
        message: 'a second person must decide: nobody approves or rejects their own request',
      },
    };
  }
  const allowed: readonly Role[] = approverRoles[approval.kind];
  if (!allowed.includes(decider.role)) {
    return {
      ok: false,
      error: {
        code: 'APPROVER_ROLE_NOT_ALLOWED',
        message: `a ${approval.kind} is approved by ${allowed.join(' or ')}`,
        allowed,
      },
    };
  }
  return { ok: true };
}
