import { z } from 'zod';
import { approvalKinds, approvalStates } from '../../domain/approvals/four-eyes.js';
import { expectedVersionField, recordedMoneySchema } from '../money-fields.js';

/* Pure zod: the web app imports this module too. */

export const approvalReasons = ['above_threshold', 'no_sale_price', 'no_catalogue_price'] as const;

export const approvalSchema = z
  .object({
    id: z.string(),
    kind: z.enum(approvalKinds),
    subjectType: z.string().describe('dealer_remedy, reimbursement_claim, excess_resolution'),
    subjectId: z.string(),
    amount: recordedMoneySchema.nullable(),
    reasons: z.array(z.enum(approvalReasons)).describe('Why it waits for a second person'),
    summary: z.string(),
    dealerId: z.string().nullable(),
    oemClientId: z.string().nullable(),
    state: z.enum(approvalStates),
    requestedBy: z.string().describe('The first pair of eyes, who may not decide it'),
    requestedByName: z.string().nullable(),
    requestedByUserId: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    reason: z.string().nullable(),
    approverRoles: z.array(z.string()),
    version: z.int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Approval' });
export type Approval = z.infer<typeof approvalSchema>;

export const listApprovalsQuerySchema = z
  .object({ state: z.enum(approvalStates).optional(), kind: z.enum(approvalKinds).optional() })
  .strict();

export const approvalDecisionRequestSchema = z
  .object({
    decision: z.enum(['approved', 'rejected']),
    reason: z.string().trim().max(2000).optional().describe('Required to reject: the requester is told'),
    expectedVersion: expectedVersionField,
  })
  .strict()
  .refine((body) => body.decision !== 'rejected' || (body.reason ?? '').length > 0, {
    message: 'say why the request is rejected',
    path: ['reason'],
  })
  .meta({ id: 'ApprovalDecisionRequest' });
export type ApprovalDecisionRequest = z.infer<typeof approvalDecisionRequestSchema>;
