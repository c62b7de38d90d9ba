import { z } from 'zod';
import { riskSignalCodes, riskSubjectKinds } from '../../domain/risk/signals.js';
import { expectedVersionField } from '../money-fields.js';

/* Pure zod: the web app imports this module too. */

export const riskReviewStatuses = ['pending', 'approved', 'rejected'] as const;

export const riskSignalSchema = z
  .object({
    code: z.enum(riskSignalCodes),
    facts: z
      .record(z.string(), z.union([z.number(), z.string()]))
      .describe('The numbers the rule saw: the screen says them in words (risk.signal.<code>)'),
  })
  .meta({ id: 'RiskSignal' });

export const riskReviewSchema = z
  .object({
    id: z.string(),
    subjectKind: z.enum(riskSubjectKinds).describe('What waits: a claim, a reimbursement or an OEM credit'),
    subjectId: z.string(),
    dealerId: z.string().nullable(),
    endUserId: z.string().nullable(),
    oemClientId: z.string().nullable(),
    signals: z.array(riskSignalSchema),
    status: z.enum(riskReviewStatuses),
    raisedBy: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    reason: z.string().nullable(),
    version: z.int(),
    createdAt: z.string(),
  })
  .meta({ id: 'RiskReview' });
export type RiskReviewResponse = z.infer<typeof riskReviewSchema>;

export const listRiskReviewsQuerySchema = z
  .object({
    status: z.enum(riskReviewStatuses).optional(),
    subjectKind: z.enum(riskSubjectKinds).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

export const riskReviewDecisionRequestSchema = z
  .object({
    decision: z.enum(['approved', 'rejected']),
    reason: z.string().trim().max(2000).optional().describe('Required to reject: the party is told'),
    expectedVersion: expectedVersionField,
  })
  .strict()
  .refine((body) => body.decision !== 'rejected' || (body.reason ?? '').length > 0, {
    message: 'say why it is declined',
    path: ['reason'],
  })
  .meta({ id: 'RiskReviewDecisionRequest' });
export type RiskReviewDecisionRequest = z.infer<typeof riskReviewDecisionRequestSchema>;
