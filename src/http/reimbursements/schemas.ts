import { z } from 'zod';
import { reimbursementSorts } from '../../app/lists/sorts.js';
import { dateFilter, listFilterSchema, pageQueryShape } from '../list-query.js';
import { expectedVersionField, recordedMoneySchema } from '../money-fields.js';

/* Pure zod: the web app imports this module too. */

export const reimbursementStatuses = ['pending', 'awaiting_approval', 'approved', 'rejected'] as const;
export const dealerRemedyApprovals = ['none', 'awaiting', 'approved', 'rejected'] as const;

export const reimbursementSchema = z
  .object({
    id: z.string(),
    status: z.enum(reimbursementStatuses),
    amount: recordedMoneySchema.nullable().describe('What the dealer asks back'),
    reason: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    version: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    dealer: z.object({
      id: z.string(),
      name: z.string(),
      nameZh: z.string().nullable().describe('The name in Chinese, where the maker gave one'),
    }),
    remedy: z.object({
      id: z.string(),
      claimId: z.string(),
      kind: z.enum(['refund', 'replacement']),
      returnedSerial: z.string().nullable(),
      replacementSerial: z.string().nullable(),
      refund: recordedMoneySchema.nullable(),
      approval: z.enum(dealerRemedyApprovals).describe('awaiting: a refund still waiting for support'),
      performedOn: z.iso.date(),
    }),
  })
  .meta({ id: 'ReimbursementClaim' });
export type Reimbursement = z.infer<typeof reimbursementSchema>;

export const reimbursementFilterSchema = listFilterSchema(
  reimbursementSorts,
  { sort: 'createdAt', order: 'desc' },
  {
    status: z.enum(reimbursementStatuses).optional(),
    dealerId: z.uuid().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals, e.g. CNY')
      .optional()
      .describe('ISO 4217: the currency of what the dealer asks back'),
    from: dateFilter('Asked on or after'),
    to: dateFilter('Asked on or before'),
  },
);

export const listReimbursementsQuerySchema = reimbursementFilterSchema.extend(pageQueryShape).strict();
export const exportReimbursementsQuerySchema = reimbursementFilterSchema.strict();

export const reimbursementDecisionRequestSchema = z
  .object({
    decision: z.enum(['approved', 'rejected']),
    reason: z.string().trim().max(2000).optional().describe('Required to reject: the dealer is told'),
    expectedVersion: expectedVersionField,
  })
  .strict()
  .refine((body) => body.decision !== 'rejected' || (body.reason ?? '').length > 0, {
    message: 'say why the reimbursement is rejected',
    path: ['reason'],
  })
  .meta({ id: 'ReimbursementDecisionRequest' });
export type ReimbursementDecisionRequest = z.infer<typeof reimbursementDecisionRequestSchema>;
