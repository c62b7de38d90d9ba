import { z } from 'zod';
import { remedyCodes } from '../../domain/policy/schema.js';
import { policyDocumentSchema } from './schemas.js';

/* Pure zod: the web app imports this module too. */

export const policyDraftStatusSchema = z.enum(['draft', 'published', 'discarded']);

export const policyDraftSchema = z
  .object({
    id: z.uuid(),
    status: policyDraftStatusSchema,
    version: z.int().describe('Give it back when editing, publishing or discarding (optimistic lock)'),
    basedOn: z.string().nullable().describe('The published version it was copied from'),
    document: policyDocumentSchema,
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedBy: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'PolicyDraft' });
export type PolicyDraft = z.infer<typeof policyDraftSchema>;

export const createPolicyDraftRequestSchema = z
  .object({
    document: policyDocumentSchema,
    basedOn: z.string().min(1).max(64).optional(),
  })
  .strict()
  .meta({ id: 'CreatePolicyDraftRequest' });
export type CreatePolicyDraftRequest = z.infer<typeof createPolicyDraftRequestSchema>;

export const editPolicyDraftRequestSchema = z
  .object({ document: policyDocumentSchema, version: z.int().min(1).max(2_147_483_647) })
  .strict()
  .meta({ id: 'EditPolicyDraftRequest' });
export type EditPolicyDraftRequest = z.infer<typeof editPolicyDraftRequestSchema>;

export const closePolicyDraftRequestSchema = z
  .object({ version: z.int().min(1).max(2_147_483_647) })
  .strict()
  .meta({ id: 'ClosePolicyDraftRequest' });

export const publishedPolicyDraftSchema = z
  .object({ draft: policyDraftSchema, published: policyDocumentSchema })
  .meta({ id: 'PublishedPolicyDraft' });
export type PublishedPolicyDraft = z.infer<typeof publishedPolicyDraftSchema>;

export const whatIfQuerySchema = z
  .object({
    draft: z.uuid().describe('The draft to replay'),
    months: z.coerce
      .number()
      .int()
      .min(1)
      .max(36)
      .default(12)
      .describe('Replay the claims reported in this many months up to today (1–36)'),
  })
  .strict();

export const whatIfReportSchema = z
  .object({
    draftId: z.uuid(),
    draftVersionId: z.string(),
    baselineVersionId: z
      .string()
      .describe('The published version in force today, under which every claim is replayed beside the draft'),
    months: z.int(),
    from: z.string(),
    to: z.string(),
    claims: z.int().describe('Claims reported from `from` to `to`, replayed'),
    undecidable: z.int(),
    decisionsDiffer: z
      .int()
      .describe('Claims where whether the customer pays, or the remedies offered, differ'),
    newlyCovered: z.int(),
    newlyUncovered: z.int(),
    remediesMoved: z.int(),
    decidedUnderOtherVersions: z.int(),
    matrix: z.array(z.object({ from: z.enum(remedyCodes), to: z.enum(remedyCodes), claims: z.int() })),
    costDifference: z.array(
      z.object({
        currency: z.string(),
        differenceMinor: z
          .int()
          .describe('Draft minus published, minor units; positive costs the maker more'),
        claims: z.int(),
      }),
    ),
    uncostedMoves: z.int().describe('Moved claims with a remedy whose cost nothing recorded yet'),
  })
  .meta({ id: 'WhatIfReport' });
export type WhatIfReportBody = z.infer<typeof whatIfReportSchema>;
