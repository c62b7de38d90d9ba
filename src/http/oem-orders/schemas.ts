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
import { langQuerySchema } from '../language.js';
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
      .describe('The order number, unique; one (OEM-2026-000123) is made when left out'),
    quantity: unitsField,
    spareRateBps: z
      .number()
      .describe(
        'The spare rate in basis points (50 = 0.5 %); the policy allows 30–50. Out of range: 400 SPARE_RATE_OUT_OF_RANGE.',
      ),
    deliveryDate: dayInputField.describe(
      'The day the order is (or was) delivered: the defect window counts from it',
    ),
    lots: z
      .array(
        z
          .object({
            lot: lotCode,
            units: unitsField
              .optional()
              .describe('Units of the order in this lot; with one lot, the whole order'),
            serials: serialRangeSchema.optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
    unitPrice: moneySchema
      .optional()
      .describe('The client’s price per unit; a money credit for excess defects is worked out from it'),
  })
  .strict()
  .meta({ id: 'CreateOemOrderRequest' });
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
  version: z.int(),
  client: z.object({ id: z.string(), name: z.string() }),
  product: z.object({ id: z.string(), sku: z.string(), name: localizedName }),
  quantity: z.int(),
  spareRateBps: z.int(),
  spareUnits: z.int().describe('Spare units shipped with the order: quantity × rate, rounded up'),
  deliveryDate: z.iso.date(),
  lots: z.array(orderLotSchema),
  unitPrice: recordedMoneySchema.nullable(),
  createdAt: z.string(),
};

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

export const listOemOrdersQuerySchema = z
  .object({
    clientId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

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
    createdAt: z.string(),
  })
  .meta({ id: 'OemDefectReport' });
export type OemDefectReport = z.infer<typeof defectReportSchema>;

export const ledgerLineStatuses = [
  'covered_by_spares',
  'excess',
  'partly_excess',
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
    excess: z.int(),
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
        remakeOrderId: z.string().nullable(),
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
