import { z } from 'zod';
import { remedyCodes } from '../../domain/policy/schema.js';
import { moneySchema, recordedMoneySchema } from '../money-fields.js';
import { reimbursementSchema } from '../reimbursements/schemas.js';

/* Pure zod: the web app imports this module too. */

const serialField = z.string().trim().min(1).max(100);

export const dealerRemedyRequestSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('refund'),
        returnedSerial: serialField.optional().describe('The unit the customer brought back'),
        refund: moneySchema.describe('What the customer got back; the dealer asks the same back'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('replacement'),
        returnedSerial: serialField.optional().describe('The unit the customer brought back'),
        replacementSerial: serialField.describe('The new unit of the same type handed over'),
        reimbursement: moneySchema.optional().describe('What the dealer asks the maker to pay back'),
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
