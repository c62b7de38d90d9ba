import { z } from 'zod';
import { remedyCodes } from '../../domain/policy/schema.js';
import { moneySchema, recordedMoneySchema } from '../money-fields.js';
import { dealerRemedyApprovals, reimbursementSchema } from '../reimbursements/schemas.js';

/* Pure zod: the web app imports this module too. */

const serialField = z.string().trim().min(1).max(100);

export const dealerRemedyRequestSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('refund'),
        returnedSerial: serialField
          .optional()
          .describe('The unit the customer brought back: the sale’s own unit when the sale names one'),
        refund: moneySchema.describe(
          'What the customer got back: at most the price on the sale; a sale without a price, or an amount above the four-eyes threshold, waits for support',
        ),
        reimbursement: moneySchema
          .optional()
          .describe(
            'What the dealer asks back, when less than the refund (default: the refund); at most the catalogue price',
          ),
      })
      .strict(),
    z
      .object({
        kind: z.literal('replacement'),
        returnedSerial: serialField
          .optional()
          .describe('The unit the customer brought back: the sale’s own unit when the sale names one'),
        replacementSerial: serialField.describe(
          'The new unit handed over: a unit on record of the same SKU, in stock (not sold, returned or handed over)',
        ),
        reimbursement: moneySchema
          .optional()
          .describe('What the dealer asks the maker to pay back: at most the catalogue price'),
      })
      .strict(),
  ])
  .meta({ id: 'DealerRemedyRequest' });
export type DealerRemedyRequest = z.infer<typeof dealerRemedyRequestSchema>;

export const dealerRemedySchema = z
  .object({
    id: z.string(),
    claimId: z.string(),
    dealerId: z.string(),
    kind: z.enum(['refund', 'replacement']),
    returnedSerial: z.string().nullable(),
    replacementSerial: z.string().nullable(),
    refund: recordedMoneySchema.nullable(),
    approval: z
      .enum(dealerRemedyApprovals)
      .describe('awaiting: the refund waits for support’s approval (approvalId) and the claim stays open'),
    approvalId: z.string().nullable(),
    warrantyFrom: z.iso
      .date()
      .describe(
        'The day the warranty counts from: the original sale’s; a replacement unit does not restart it',
      ),
    performedOn: z.iso.date(),
    performedBy: z.string(),
    claim: z.object({
      status: z.string(),
      chosenRemedy: z.enum(remedyCodes).nullable(),
      version: z.int(),
    }),
    reimbursement: reimbursementSchema,
  })
  .meta({ id: 'DealerRemedy' });
export type DealerRemedy = z.infer<typeof dealerRemedySchema>;
