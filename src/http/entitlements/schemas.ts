import { z } from 'zod';
import { causes } from '../../domain/policy/evaluate.js';
import { costBearers, performers, remedyCodes, windowCodes } from '../../domain/policy/schema.js';
import { langQuerySchema } from '../language.js';

const dayInput = z
  .string()
  .min(10)
  .max(40)
  .describe(
    'A calendar date YYYY-MM-DD in the store’s time zone, or an RFC 3339 date-time with an offset (taken as the day it falls on in `timeZone`).',
  );

export const evaluateRequestSchema = z
  .object({
    customerType: z.literal('end_user'),
    purchaseDate: dayInput,
    reportDate: dayInput,
    cause: z.enum(causes),
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('IANA time zone of the store; defaults to the store’s.'),
    productSku: z.string().min(1).max(64).optional().describe('A product with its own warranty length.'),
  })
  .strict()
  .meta({ id: 'EvaluateEntitlementRequest' });
export type EvaluateRequest = z.infer<typeof evaluateRequestSchema>;

export const evaluateQuerySchema = z.object({ lang: langQuerySchema }).strict();

export const remedySchema = z.object({
  code: z.enum(remedyCodes),
  performedBy: z.enum(performers),
  costBearer: z.enum(costBearers),
  clause: z.string().describe('The policy clause that grants this remedy, quoted in the reader’s language.'),
});

export const evaluateResponseSchema = z
  .object({
    policyVersion: z.string(),
    window: z.enum([...windowCodes, 'expired']),
    daysSincePurchase: z.number().int().min(0),
    paid: z.boolean(),
    remedies: z.array(remedySchema),
  })
  .meta({ id: 'EntitlementDecision' });
export type EvaluateResponse = z.infer<typeof evaluateResponseSchema>;
