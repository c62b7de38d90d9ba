import { verificationStates } from '../../domain/purchases/verification.js';
import { z } from 'zod';
import { causes } from '../../domain/policy/evaluate.js';
import { claimSorts } from '../../app/lists/sorts.js';
import { remedyCodes, windowCodes } from '../../domain/policy/schema.js';
import { dateFilter, listFilterSchema, pageQueryShape } from '../list-query.js';
import { remedySchema } from '../entitlements/schemas.js';
import { langQuerySchema } from '../language.js';
import { ownerQuerySchema } from '../ownership/schemas.js';
import { dayInputField } from '../purchases/schemas.js';

/* Pure zod: the web app imports this module too. */

/**
 * The claim table's statuses, repeated because the web app cannot import the table; a route answering
 * with a status missing here does not type-check.
 */
export const claimStatusValues = ['open', 'remedy_chosen', 'resolved', 'withdrawn'] as const;

const descriptionField = z
  .string()
  .trim()
  .min(5)
  .max(4000)
  .describe('What is wrong, in the customer’s words');

export const submitClaimRequestSchema = z
  .object({
    purchaseId: z.uuid(),
    cause: z.enum(causes).describe('quality: a fault; human_damage: damage caused by misuse'),
    description: descriptionField,
    reportedOn: dayInputField
      .optional()
      .describe(
        'Support and admins: the day a report came in by phone or at the counter. Defaults to today.',
      ),
  })
  .strict()
  .meta({ id: 'SubmitClaimRequest' });
export type SubmitClaimRequest = z.infer<typeof submitClaimRequestSchema>;

export const guestClaimRequestSchema = z
  .object({
    serial: z.string().trim().min(1).max(64).describe('The serial number on the unit'),
    contact: z
      .string()
      .trim()
      .min(3)
      .max(254)
      .describe('The e-mail address or phone number the purchase was recorded with'),
    cause: z.enum(causes),
    description: descriptionField,
  })
  .strict()
  .meta({ id: 'GuestClaimRequest' });
export type GuestClaimRequest = z.infer<typeof guestClaimRequestSchema>;

export const chooseRemedyRequestSchema = z
  .object({
    remedy: z.enum(remedyCodes).describe('One of the remedies the claim’s decision offers'),
    expectedVersion: z
      .int()
      .min(1)
      .max(2_147_483_647)
      .describe('The version of the claim the choice was made on'),
  })
  .strict()
  .meta({ id: 'ChooseRemedyRequest' });
export type ChooseRemedyRequest = z.infer<typeof chooseRemedyRequestSchema>;

export const claimLangQuerySchema = z.object({ lang: langQuerySchema }).strict();

export const claimFilterSchema = listFilterSchema(
  claimSorts,
  { sort: 'createdAt', order: 'desc' },
  {
    status: z.enum(claimStatusValues).optional(),
    window: z
      .enum([...windowCodes, 'expired'])
      .optional()
      .describe('The warranty window the claim was decided in'),
    remedy: z.enum(remedyCodes).optional().describe('The remedy the customer chose'),
    productId: z.uuid().optional(),
    dealerId: z.uuid().optional(),
    from: dateFilter('Reported on or after'),
    to: dateFilter('Reported on or before'),
    owner: ownerQuerySchema,
    lang: langQuerySchema,
  },
);

export const claimListQuerySchema = claimFilterSchema.extend(pageQueryShape).strict();
export const claimExportQuerySchema = claimFilterSchema.strict();

const localizedName = z.object({ en: z.string(), zh: z.string() });

export const claimSchema = z
  .object({
    id: z.string(),
    purchaseId: z.string(),
    endUserId: z.string(),
    reportedOn: z.iso.date(),
    cause: z.enum(causes),
    description: z.string(),
    status: z.enum(claimStatusValues),
    chosenRemedy: z.enum(remedyCodes).nullable(),
    version: z.int().min(1),
    decision: z
      .object({
        policyVersion: z.string(),
        window: z.enum([...windowCodes, 'expired']),
        daysSincePurchase: z.number().int().min(0),
        warrantyEndsOn: z.iso.date(),
        paid: z.boolean(),
        remedies: z.array(remedySchema),
      })
      .describe('As decided when the claim was reported; clauses quoted in the reader’s language'),
    product: z.object({ sku: z.string(), name: localizedName }),
    serial: z.string().nullable(),
    dealer: z
      .object({
        id: z.string(),
        name: z.string(),
        nameZh: z.string().nullable().describe('The name in Chinese, where the maker gave one'),
        phone: z.string().nullable(),
      })
      .nullable(),
    review: z
      .object({ status: z.enum(['pending', 'approved', 'rejected']), reason: z.string().nullable() })
      .nullable()
      .describe(
        'Set when support checks the claim before anything is paid out on it: pending, approved, or declined with the reason',
      ),
    purchaseVerification: z
      .enum(verificationStates)
      .describe(
        'The purchase’s verification: until `verified`, the decision is provisional and no refund, replacement or free repair is carried out',
      ),
    owner: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .describe('Who works the claim (take, assign, release), or null: nobody yet'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Claim' });
export type Claim = z.infer<typeof claimSchema>;

export const submittedClaimSchema = claimSchema
  .extend({
    trackingUrl: z
      .string()
      .nullable()
      .describe(
        'The link to follow the claim without an account; only in the first answer (null on a replay)',
      ),
  })
  .meta({ id: 'SubmittedClaim' });
export type SubmittedClaim = z.infer<typeof submittedClaimSchema>;
