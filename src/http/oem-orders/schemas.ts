import { z } from 'zod';
import {
  DEFECT_CSV_COLUMNS,
  MAX_DEFECT_REPORTS_PER_UPLOAD,
  MAX_FAILURE_MODE_LENGTH,
  MAX_SERIALS_PER_REPORT,
} from '../../domain/oem/defect-report.js';
import {
  MAX_CANCELLATION_REASON_LENGTH,
  MAX_CARRIER_LENGTH,
  MAX_WAYBILL_LENGTH,
  shipmentStates,
  shippingModes,
} from '../../domain/oem/shipment.js';
import { excessRemedyCodes } from '../../domain/policy/schema.js';
import { MAX_REJECTION_REASON_LENGTH, reviewBases } from '../../domain/oem/defect-review.js';
import { MAX_DECLINE_REASON_LENGTH, oemOrderStates } from '../../domain/oem/order-state.js';
import { oemOrderSorts } from '../../app/lists/sorts.js';
import { langQuerySchema } from '../language.js';
import { dateFilter, listFilterSchema, pageQueryShape } from '../list-query.js';
import { expectedVersionField, moneySchema, recordedMoneySchema, unitsField } from '../money-fields.js';
import { dayInputField } from '../purchases/schemas.js';

/* Pure zod: the web app imports this module too. */

const localizedName = z.object({ en: z.string(), zh: z.string() });
const lotCode = z.string().trim().min(1).max(64).describe('The lot code as printed, e.g. BTH500-L2501A');
const serialField = z.string().trim().min(1).max(64);
const orderRef = z.object({ id: z.string(), orderNumber: z.string() });

export const serialRangeSchema = z
  .object({ first: serialField, last: serialField })
  .strict()
  .describe('The lot’s first and last serial: one prefix, a fixed-width number (S-000001 … S-001000)');

export const orderLotSchema = z
  .object({ lot: z.string(), units: z.int(), serials: serialRangeSchema.nullable() })
  .meta({ id: 'OemOrderLot' });

/**
 * What a client (or sales for it) requests: no price, no spare rate, no lots — the maker's sales and QA
 * set those. Strict: a request naming a price (`unitPrice`), a rate or lots is refused (400).
 */
export const createOemOrderRequestSchema = z
  .object({
    clientId: z.uuid().optional().describe('Staff: the OEM client. A client’s own user: left out (its own).'),
    productId: z.uuid().optional(),
    sku: z.string().trim().min(1).max(64).optional().describe('The product’s SKU, instead of productId'),
    orderNumber: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and . _ / -')
      .optional()
      .describe('The client’s order number, unique per client; one (OEM-2026-000123) is made when left out'),
    quantity: unitsField,
    deliveryDate: dayInputField.describe('The delivery the client wants; sales may commit to another'),
  })
  .strict()
  .meta({ id: 'RequestOemOrderRequest' });
export type CreateOemOrderRequest = z.infer<typeof createOemOrderRequestSchema>;

export const excessResolutionSchema = z
  .object({
    id: z.string(),
    order: orderRef,
    clientId: z.string(),
    remedy: z.enum(excessRemedyCodes),
    units: z.int(),
    credit: z
      .object({ kind: z.enum(['units', 'money']), units: z.int(), amount: recordedMoneySchema.nullable() })
      .nullable()
      .describe('A next-order credit: in units of the product, or money at the order’s unit price'),
    appliedTo: orderRef
      .extend({ appliedAt: z.string() })
      .nullable()
      .describe('The later order the credit was applied to; null while it waits'),
    replacementShipment: z
      .object({ id: z.string(), shipmentNumber: z.string(), state: z.enum(shipmentStates) })
      .nullable()
      .describe('A replacement shipment remedy: the shipment the maker makes of it'),
    createdAt: z.string(),
  })
  .meta({ id: 'ExcessResolution' });
export type ExcessResolution = z.infer<typeof excessResolutionSchema>;

/** What a remake order and a replacement shipment share: `domain/oem/shipment.ts`. */
const shipmentFields = {
  state: z
    .enum(shipmentStates)
    .describe('planned → in_production → shipped → delivered; cancelled before it leaves'),
  shippingMode: z.enum(shippingModes),
  carrier: z.string().nullable(),
  waybill: z.string().nullable().describe('The air waybill or the carrier’s tracking number, once shipped'),
  shippedOn: z.iso.date().nullable(),
  deliveredOn: z.iso.date().nullable(),
  cancellationReason: z.string().nullable(),
  version: z.int().describe('Send it back as expectedVersion with a move'),
  allowedMoves: z.array(z.enum(shipmentStates)).describe('The states it may move to next'),
};

export const remakeOrderSchema = z
  .object({
    id: z.string(),
    remakeNumber: z.string(),
    investigationId: z.string(),
    order: orderRef,
    clientId: z.string(),
    productId: z.string(),
    lot: z.string(),
    units: z.int(),
    ...shipmentFields,
    shippingMode: z.enum(shippingModes).describe('air, as the policy says for a batch defect'),
    createdAt: z.string(),
  })
  .meta({ id: 'RemakeOrder' });
export type RemakeOrder = z.infer<typeof remakeOrderSchema>;

export const replacementShipmentSchema = z
  .object({
    id: z.string(),
    shipmentNumber: z.string().describe('RPL-2026-000123'),
    resolutionId: z.string().describe('The client’s choice of a replacement shipment it fulfils'),
    order: orderRef,
    clientId: z.string(),
    productId: z.string(),
    units: z.int(),
    ...shipmentFields,
    createdAt: z.string(),
  })
  .meta({ id: 'ReplacementShipment' });
export type ReplacementShipment = z.infer<typeof replacementShipmentSchema>;

export const moveShipmentRequestSchema = z
  .object({
    to: z.enum(shipmentStates),
    expectedVersion: expectedVersionField,
    carrier: z
      .string()
      .trim()
      .max(MAX_CARRIER_LENGTH)
      .optional()
      .describe('Shipping: who carries it (required)'),
    waybill: z
      .string()
      .trim()
      .max(MAX_WAYBILL_LENGTH)
      .regex(/^([A-Za-z0-9][A-Za-z0-9 ./-]*)?$/, 'letters, digits, spaces and . / -')
      .optional()
      .describe('Shipping: the air waybill or tracking number (required)'),
    shippingMode: z
      .enum(shippingModes)
      .optional()
      .describe('Shipping: a remake goes by air only; a replacement by air, sea (the default) or road'),
    shippedOn: dayInputField
      .optional()
      .describe('Shipping: the day it left (today by default; not after today)'),
    deliveredOn: dayInputField
      .optional()
      .describe('Delivery: the day it arrived (today by default; not before it left, not after today)'),
    reason: z
      .string()
      .trim()
      .max(MAX_CANCELLATION_REASON_LENGTH)
      .optional()
      .describe('Cancelling: why (required)'),
  })
  .strict()
  .meta({ id: 'MoveShipmentRequest' });
export type MoveShipmentRequest = z.infer<typeof moveShipmentRequestSchema>;

export const listShipmentsQuerySchema = z
  .object({
    clientId: z.uuid().optional(),
    orderId: z.uuid().optional(),
    state: z.enum(shipmentStates).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

const orderSummaryFields = {
  id: z.string(),
  orderNumber: z.string(),
  version: z.int().describe('Send it back as expectedVersion when confirming or declining'),
  state: z
    .enum(oemOrderStates)
    .describe('requested (waiting for sales) → confirmed at the contract price | declined with a reason'),
  orderedOn: z.iso.date().describe('The order’s day: the contract price in force on it applies'),
  declineReason: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  client: z.object({ id: z.string(), name: z.string() }),
  product: z.object({ id: z.string(), sku: z.string(), name: localizedName }),
  quantity: z.int(),
  spareRateBps: z.int().describe('Set by sales when confirming (0 while requested)'),
  spareUnits: z.int().describe('Spare units shipped with the order: quantity × rate, rounded up'),
  deliveryDate: z.iso.date(),
  lots: z.array(orderLotSchema),
  unitPrice: recordedMoneySchema
    .nullable()
    .describe('The contract price sales confirmed the order at (from the price list); null while requested'),
  createdAt: z.string(),
};

export const confirmOemOrderRequestSchema = z
  .object({
    spareRateBps: z
      .number()
      .describe(
        'The spare rate in basis points (50 = 0.5 %); the policy allows 30–50 (else 400 SPARE_RATE_OUT_OF_RANGE)',
      ),
    deliveryDate: dayInputField
      .optional()
      .describe('The delivery sales commit to; the wanted one when left out'),
    expectedVersion: expectedVersionField,
  })
  .strict()
  .meta({ id: 'ConfirmOemOrderRequest' });

export const declineOemOrderRequestSchema = z
  .object({
    reason: z.string().trim().min(1).max(MAX_DECLINE_REASON_LENGTH).describe('Why: the client reads it'),
    expectedVersion: expectedVersionField,
  })
  .strict()
  .meta({ id: 'DeclineOemOrderRequest' });

export const priceListEntrySchema = z
  .object({
    id: z.string(),
    client: z.object({ id: z.string(), name: z.string() }),
    product: z.object({ id: z.string(), sku: z.string(), name: localizedName }),
    unitPrice: recordedMoneySchema,
    effectiveFrom: z.iso.date(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'OemPriceListEntry' });
export type PriceListEntry = z.infer<typeof priceListEntrySchema>;

export const addPriceListEntryRequestSchema = z
  .object({
    clientId: z.uuid(),
    productId: z.uuid().optional(),
    sku: z.string().trim().min(1).max(64).optional(),
    unitPrice: moneySchema.describe('The contract price per unit'),
    effectiveFrom: dayInputField.describe('The first day the price applies to (orders of that day on)'),
  })
  .strict()
  .meta({ id: 'AddOemPriceListEntryRequest' });

export const priceListQuerySchema = z
  .object({ clientId: z.uuid().optional(), productId: z.uuid().optional() })
  .strict();

export const lotSchema = z
  .object({
    id: z.string(),
    product: z.object({ id: z.string(), sku: z.string(), name: localizedName }),
    code: z.string(),
    quantity: z.int().describe('Units made in the lot'),
    allocated: z.int().describe('Units shipped to orders so far'),
    left: z.int(),
    madeOn: z.iso.date(),
    shippedOn: z.iso.date().nullable(),
    allocations: z.array(
      z.object({
        id: z.string(),
        order: orderRef,
        client: z.object({ id: z.string(), name: z.string() }),
        units: z.int(),
        createdAt: z.string(),
      }),
    ),
    createdAt: z.string(),
  })
  .meta({ id: 'Lot' });
export type Lot = z.infer<typeof lotSchema>;

export const createLotRequestSchema = z
  .object({
    productId: z.uuid().optional(),
    sku: z.string().trim().min(1).max(64).optional(),
    code: lotCode,
    quantity: unitsField.describe('Units made in the lot'),
    madeOn: dayInputField,
    shippedOn: dayInputField.optional(),
  })
  .strict()
  .meta({ id: 'CreateLotRequest' });

export const allocateLotRequestSchema = z
  .object({
    orderId: z.uuid().describe('A confirmed order of the lot’s product'),
    units: unitsField,
    serials: serialRangeSchema.optional(),
  })
  .strict()
  .meta({ id: 'AllocateLotRequest' });

export const lotsQuerySchema = z.object({ productId: z.uuid().optional() }).strict();

export const oemOrderSummarySchema = z.object(orderSummaryFields).meta({ id: 'OemOrderSummary' });
export type OemOrderSummary = z.infer<typeof oemOrderSummarySchema>;

export const oemOrderSchema = z
  .object({
    ...orderSummaryFields,
    policyVersion: z.string(),
    defectWindowEndsOn: z.iso.date().describe('Last day a defect counts against the spares (inclusive)'),
    nextOrderCredits: z.object({
      applied: z.array(excessResolutionSchema).describe('Credits from earlier orders this order took'),
      granted: z.array(excessResolutionSchema).describe('Credits this order’s excess defects gave'),
    }),
    billing: z.object({
      freeUnits: z.int().describe('Units shipped free of charge for unit credits'),
      orderValue: recordedMoneySchema.nullable(),
      creditApplied: recordedMoneySchema.nullable(),
      amountDue: recordedMoneySchema.nullable(),
    }),
    remakeOrders: z.array(remakeOrderSchema),
    replacementShipments: z.array(replacementShipmentSchema),
  })
  .meta({ id: 'OemOrder' });
export type OemOrder = z.infer<typeof oemOrderSchema>;

export const oemOrderFilterSchema = listFilterSchema(
  oemOrderSorts,
  { sort: 'createdAt', order: 'desc' },
  {
    state: z.enum(oemOrderStates).optional(),
    clientId: z.uuid().optional().describe('Staff: one client’s orders'),
    productId: z.uuid().optional(),
    sku: z.string().trim().min(1).max(64).optional().describe('The product by its SKU'),
    from: dateFilter('Ordered on or after'),
    to: dateFilter('Ordered on or before'),
  },
);

export const listOemOrdersQuerySchema = oemOrderFilterSchema.extend(pageQueryShape).strict();
export const exportOemOrdersQuerySchema = oemOrderFilterSchema.strict();

export const reportDefectsRequestSchema = z
  .object({
    lot: lotCode
      .optional()
      .describe('One of the order’s lots; may be left out with one lot, or with serials'),
    units: unitsField.optional().describe('How many units failed; with serials, their number'),
    serials: z.array(serialField).max(MAX_SERIALS_PER_REPORT).optional(),
    failureMode: z.string().max(MAX_FAILURE_MODE_LENGTH).describe('How they fail, e.g. no sound on the left'),
    reportedOn: dayInputField.optional().describe('Defaults to today; not before delivery, not after today'),
    evidenceUploadIds: z
      .array(z.uuid())
      .max(20)
      .optional()
      .describe('Photos or documents from POST /api/v1/uploads?kind=evidence'),
  })
  .strict()
  .meta({ id: 'ReportDefectsRequest' });
export type ReportDefectsRequest = z.infer<typeof reportDefectsRequestSchema>;

export const defectReportSchema = z
  .object({
    id: z.string(),
    order: orderRef,
    lot: z.string(),
    units: z.int(),
    serials: z.array(z.string()),
    failureMode: z.string(),
    reportedOn: z.iso.date(),
    source: z.enum(['api', 'csv']),
    evidenceUploadIds: z.array(z.string()),
    remakeOrder: z
      .object({ id: z.string(), remakeNumber: z.string() })
      .nullable()
      .describe('Set when a confirmed batch defect took the units over: they do not use the spares'),
    review: z
      .object({
        acceptedUnits: z.int(),
        rejectedUnits: z.int(),
        undecidedUnits: z.int(),
        rejectionReason: z.string().nullable().describe('Why QA rejected units: shown to the client'),
        basis: z.enum(reviewBases).nullable(),
        rmaNumber: z.string().nullable().describe('The return number to ship the units back against'),
        reviewedAt: z.string().nullable(),
      })
      .describe('QA’s review: only accepted units beyond the spares are owed a remedy'),
    createdAt: z.string(),
  })
  .meta({ id: 'OemDefectReport' });

export const reviewQueueItemSchema = defectReportSchema
  .extend({
    client: z.object({ id: z.string(), name: z.string() }),
    product: z.object({ id: z.string(), sku: z.string(), name: localizedName }),
    orderVersion: z.int().describe('Send it back as expectedVersion with a decision'),
    awaitingQa: z.int().describe('Units beyond the order’s spares that wait for QA'),
    coveredBySpares: z.int(),
  })
  .meta({ id: 'OemDefectReviewItem' });
export type ReviewQueueItem = z.infer<typeof reviewQueueItemSchema>;

export const reviewQueueQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(100) })
  .strict();

export const reviewDefectReportRequestSchema = z
  .object({
    acceptUnits: z.int().min(0).max(100_000_000).default(0),
    rejectUnits: z.int().min(0).max(100_000_000).default(0),
    basis: z
      .enum(reviewBases)
      .optional()
      .describe(
        'What an acceptance rests on: the report’s evidence, or the returned units (after a return request)',
      ),
    reason: z
      .string()
      .trim()
      .max(MAX_REJECTION_REASON_LENGTH)
      .optional()
      .describe('Why units are rejected (required then)'),
    expectedVersion: expectedVersionField.describe('The order’s version'),
  })
  .strict()
  .meta({ id: 'ReviewDefectReportRequest' });

export const requestReturnRequestSchema = z
  .object({ expectedVersion: expectedVersionField.describe('The order’s version') })
  .strict()
  .meta({ id: 'RequestDefectReturnRequest' });

export const reviewResultSchema = z
  .object({ reportId: z.string(), orderId: z.string(), orderVersion: z.int() })
  .meta({ id: 'OemDefectReviewResult' });
export type OemDefectReport = z.infer<typeof defectReportSchema>;

export const ledgerLineStatuses = [
  'covered_by_spares',
  'excess',
  'partly_excess',
  'awaiting_qa',
  'rejected',
  'covered_by_remake',
  'out_of_window',
] as const;

export const ledgerSchema = z
  .object({
    orderId: z.string(),
    orderNumber: z.string(),
    version: z.int().describe('Send it back as expectedVersion when choosing a remedy'),
    deliveredOn: z.iso.date(),
    windowEndsOn: z.iso.date(),
    allowance: z.int().describe('The spare units'),
    defectsReported: z.int(),
    defectsInWindow: z.int().describe('Reported in the window and not under a batch defect'),
    coveredBySpares: z.int(),
    excess: z.int().describe('Units beyond the spares QA accepted: what a remedy may be chosen for'),
    awaitingQa: z.int().describe('Units beyond the spares waiting for QA to accept or reject them'),
    rejected: z.int().describe('Units QA rejected: owed nothing'),
    coveredByRemake: z
      .int()
      .describe('Under a confirmed batch defect: remade by the maker, not from the spares'),
    outOfWindow: z.int().describe('Reported after the defect window: paid service'),
    sparesLeft: z.int(),
    excessResolved: z.int(),
    excessUnresolved: z.int().describe('Excess units the client has yet to choose a remedy for'),
    remediesOffered: z.array(z.object({ code: z.enum(excessRemedyCodes), name: localizedName })),
    clauses: z.object({ excess: z.string(), batchDefect: z.string() }),
    lines: z.array(
      z.object({
        reportId: z.string(),
        reportedOn: z.string(),
        lot: z.string(),
        failureMode: z.string(),
        units: z.int(),
        status: z.enum(ledgerLineStatuses),
        coveredBySpares: z.int(),
        excess: z.int(),
        awaitingQa: z.int(),
        rejected: z.int(),
        remakeOrderId: z.string().nullable(),
        rejectionReason: z.string().nullable(),
        rmaNumber: z.string().nullable(),
      }),
    ),
    resolutions: z.array(excessResolutionSchema),
  })
  .meta({ id: 'OemOrderLedger' });
export type OemOrderLedger = z.infer<typeof ledgerSchema>;

export const ledgerQuerySchema = z.object({ lang: langQuerySchema }).strict();

export const resolveExcessRequestSchema = z
  .discriminatedUnion('remedy', [
    z
      .object({
        remedy: z.literal('replacement_shipment'),
        units: unitsField.optional().describe('Defaults to every excess unit without a remedy'),
        expectedVersion: expectedVersionField,
      })
      .strict(),
    z
      .object({
        remedy: z.literal('next_order_credit'),
        credit: z
          .enum(['units', 'money'])
          .describe('Units of the product, or money at the order’s unit price'),
        units: unitsField.optional().describe('Defaults to every excess unit without a remedy'),
        expectedVersion: expectedVersionField,
      })
      .strict(),
  ])
  .meta({ id: 'ResolveExcessRequest' });
export type ResolveExcessRequest = z.infer<typeof resolveExcessRequestSchema>;

export const resolvedExcessSchema = excessResolutionSchema
  .extend({ orderVersion: z.int().describe('The order’s version after the choice') })
  .meta({ id: 'ResolvedExcess' });

export const listExcessResolutionsQuerySchema = z
  .object({
    remedy: z.enum(excessRemedyCodes).optional(),
    pending: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('true: credits waiting for a next order; false: credits applied'),
    clientId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const importDefectReportsBodySchema = z
  .string()
  .describe(
    `A CSV file (text/csv, UTF-8) whose first row is the header ${DEFECT_CSV_COLUMNS.join(',')} (any order; lot, units, serials and reported_on may be left out), then at most ${MAX_DEFECT_REPORTS_PER_UPLOAD} reports. Serials in one cell are separated by spaces or semicolons.`,
  );

export const importDefectReportsQuerySchema = z
  .object({
    clientId: z
      .uuid()
      .optional()
      .describe(
        'Staff: the client whose orders the file names, needed when another client uses one of its order numbers too. OEM users: ignored (always their own).',
      ),
  })
  .strict();

export const importDefectReportsResponseSchema = z
  .object({ imported: z.int().min(1) })
  .meta({ id: 'ImportDefectReportsResult' });

/** `details.rows` of a 400 IMPORT_REJECTED: every problem, by spreadsheet row (the header is row 1). */
export const defectImportProblemSchema = z.object({
  row: z.int().min(2),
  field: z.enum([...DEFECT_CSV_COLUMNS, 'row']),
  code: z.string(),
  message: z.string(),
});
export type DefectImportProblem = z.infer<typeof defectImportProblemSchema>;
