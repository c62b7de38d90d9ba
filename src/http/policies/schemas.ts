import { z } from 'zod';
import { policyVersionSchema } from '../../domain/policy/schema.js';

/* Pure zod: the web app imports this module too. */

/** A whole policy version: what GET /policies/{id} answers and what POST /policies takes. */
export const policyDocumentSchema = policyVersionSchema.meta({ id: 'PolicyVersion' });

export const policyVersionSummarySchema = z
  .object({ id: z.string(), effectiveFrom: z.string(), maker: z.string() })
  .meta({ id: 'PolicyVersionSummary' });
export type PolicyVersionSummary = z.infer<typeof policyVersionSummarySchema>;

/**
 * A new version, effective from a day after today in the store’s time zone: versions already in force
 * keep deciding the claims made under them, so the past is never rewritten. Its id and its
 * effectiveFrom must both be new.
 */
export const createPolicyVersionRequestSchema = policyDocumentSchema;
export type CreatePolicyVersionRequest = z.infer<typeof createPolicyVersionRequestSchema>;
