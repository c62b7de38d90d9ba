import { z } from 'zod';
import {
  MAX_SALES_PER_IMPORT,
  MAX_SERIAL_LENGTH,
  MAX_SKU_LENGTH,
  SALE_CSV_COLUMNS,
} from '../../domain/purchases/sale.js';
import { windowCodes } from '../../domain/policy/schema.js';
import {
  MAX_REJECTION_REASON_LENGTH,
  rejectionCodes,
  verificationStates,
} from '../../domain/purchases/verification.js';
import { purchaseSorts } from '../../app/lists/sorts.js';
import { dateFilter, listFilterSchema, pageQueryShape } from '../list-query.js';
import { moneySchema, recordedMoneySchema } from '../money-fields.js';
import { emailField, phoneField, textField } from '../reference-fields.js';
import { uploadTicketField } from '../uploads/schemas.js';

/* Pure zod: the web app imports this module too. */

export const dayInputField = z
  .string()
  .min(10)
  .max(40)
  .describe(
    'A calendar date YYYY-MM-DD in the store’s time zone, or an RFC 3339 date-time with an offset (taken as the day it falls on there).',
  );

const serialField = z
  .string()
  .trim()
  .min(1)
  .max(MAX_SERIAL_LENGTH)
  .describe('The unit’s serial number, as printed on it');
const skuField = z.string().trim().min(1).max(MAX_SKU_LENGTH).describe('The product’s SKU, e.g. HS-200');

/** Sent by a client that may retry: the same key and body answer with the first result. */
export const idempotencyHeadersSchema = z.looseObject({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .optional()
    .describe('Any unique string (a UUID): a retry with the same key and body is answered, not repeated.'),
});

export const recordPurchaseRequestSchema = z
  .object({
    dealerId: z.uuid().optional().describe('Support and admins: the dealer who sold it. A dealer: its own.'),
    serial: serialField.optional(),
    sku: skuField.optional(),
    purchaseDate: dayInputField,
    buyer: z
      .object({ name: textField(200), email: emailField.optional(), phone: phoneField.optional() })
      .strict()
      .describe('Who bought it: a name and an e-mail address, a phone number, or both'),
    price: moneySchema
      .optional()
      .describe('What the buyer paid: a refund never gives back more; without it a refund waits for support'),
  })
  .strict()
  .meta({ id: 'RecordPurchaseRequest' });
export type RecordPurchaseRequest = z.infer<typeof recordPurchaseRequestSchema>;

export const registerPurchaseRequestSchema = z
  .object({
    serial: serialField.optional(),
    sku: skuField.optional(),
    purchaseDate: dayInputField,
    dealerId: z.uuid().optional().describe('The dealer who sold it, if known'),
    proofUploadId: z.uuid().describe('The receipt, from POST /api/v1/uploads?kind=proof_of_purchase'),
    uploadTicket: uploadTicketField
      .optional()
      .describe(
        'The ticket the receipt was sent with before signing in; not needed for a file sent signed in',
      ),
  })
  .strict()
  .meta({ id: 'RegisterPurchaseRequest' });
export type RegisterPurchaseRequest = z.infer<typeof registerPurchaseRequestSchema>;

export const importPurchasesQuerySchema = z
  .object({ dealerId: z.uuid().optional().describe('Support and admins: the dealer whose sales these are') })
  .strict();

export const importPurchasesBodySchema = z
  .string()
  .describe(
    `A CSV file (text/csv, UTF-8) whose first row is the header ${SALE_CSV_COLUMNS.join(',')} (any order), then at most ${MAX_SALES_PER_IMPORT} sales.`,
  );

export const importPurchasesResponseSchema = z
  .object({ imported: z.number().int().min(1) })
  .meta({ id: 'ImportPurchasesResult' });

/** `details.rows` of a 400 IMPORT_REJECTED: every problem, by spreadsheet row (the header is row 1). */
export const importRowProblemSchema = z.object({
  row: z.number().int().min(2),
  field: z.enum([...SALE_CSV_COLUMNS, 'row']),
  code: z.string(),
  message: z.string(),
});
export type ImportRowProblem = z.infer<typeof importRowProblemSchema>;

export const purchaseFilterSchema = listFilterSchema(
  purchaseSorts,
  { sort: 'purchaseDate', order: 'desc' },
  {
    verification: z
      .enum(verificationStates)
      .optional()
      .describe('verified, pending (a registration waiting for its check) or rejected'),
    productId: z.uuid().optional(),
    sku: skuField.optional().describe('The product by its SKU'),
    dealerId: z.uuid().optional().describe('Support and admins: one dealer’s sales'),
    from: dateFilter('Bought on or after'),
    to: dateFilter('Bought on or before'),
  },
);

export const purchaseListQuerySchema = purchaseFilterSchema.extend(pageQueryShape).strict();
export const purchaseExportQuerySchema = purchaseFilterSchema.strict();

const localizedName = z.object({ en: z.string(), zh: z.string() });

export const warrantyStatusSchema = z
  .object({
    window: z.enum([...windowCodes, 'expired']),
    daysSincePurchase: z.number().int().min(0),
    warrantyEndsOn: z.iso.date(),
    paid: z.boolean().describe('A quality problem reported today would be paid service'),
  })
  .describe('Where the purchase stands today under the policy (null: no policy covers its date)');

export const purchaseVerificationSchema = z
  .object({
    state: z
      .enum(verificationStates)
      .describe(
        'verified: the dealer’s record, or a registration checked; pending: a customer’s registration waiting for its check (decisions on it are provisional, and no refund, replacement or free repair is carried out); rejected: the check refused it',
      ),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    rejectionCode: z.enum(rejectionCodes).nullable(),
    rejectionReason: z.string().nullable().describe('The checker’s reason, for the customer'),
  })
  .meta({ id: 'PurchaseVerification' });

export const verificationQueueQuerySchema = z
  .object({
    state: z.enum(verificationStates).default('pending'),
    ...pageQueryShape,
  })
  .strict();

export const verifyPurchaseRequestSchema = z
  .discriminatedUnion('decision', [
    z.object({ decision: z.literal('confirm') }).strict(),
    z
      .object({
        decision: z.literal('correct'),
        purchaseDate: dayInputField.optional().describe('The purchase date the proof shows'),
        dealerId: z.uuid().optional().describe('Support: the dealer the proof shows'),
      })
      .strict(),
    z
      .object({
        decision: z.literal('reject'),
        reason: z
          .string()
          .trim()
          .min(1)
          .max(MAX_REJECTION_REASON_LENGTH)
          .describe('Why, in words the customer reads'),
      })
      .strict(),
  ])
  .meta({ id: 'VerifyPurchaseRequest' });
export type VerifyPurchaseRequest = z.infer<typeof verifyPurchaseRequestSchema>;

export const purchaseSchema = z
  .object({
    id: z.string(),
    purchaseDate: z.iso.date(),
    serial: z.string().nullable(),
    product: z.object({ id: z.string(), sku: z.string(), name: localizedName }),
    dealer: z
      .object({
        id: z.string(),
        name: z.string(),
        nameZh: z.string().nullable().describe('The name in Chinese, where the maker gave one'),
        phone: z.string().nullable(),
      })
      .nullable(),
    endUserId: z.string(),
    buyer: z.object({
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
    }),
    proofUploadId: z.string().nullable(),
    proof: z
      .object({ mediaType: z.string(), sizeBytes: z.number().int() })
      .nullable()
      .describe('The proof’s type and size; its bytes at GET /api/v1/uploads/{proofUploadId}'),
    verification: purchaseVerificationSchema,
    unitMadeOn: z.iso
      .date()
      .nullable()
      .describe('The day the unit left the maker, when known: no purchase of it is dated earlier'),
    price: recordedMoneySchema.nullable().describe('What the buyer paid, when recorded'),
    warranty: warrantyStatusSchema.nullable(),
    refundedOn: z.iso
      .date()
      .nullable()
      .describe(
        'The day the dealer refunded the buyer (at the counter, or once support approved it); null: not refunded',
      ),
    createdAt: z.string(),
  })
  .meta({ id: 'Purchase' });
export type Purchase = z.infer<typeof purchaseSchema>;
