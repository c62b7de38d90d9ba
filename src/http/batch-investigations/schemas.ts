import { z } from 'zod';
import { investigationStates } from '../../domain/oem/batch-investigation.js';
import { rootCauses } from '../../domain/policy/schema.js';
import { expectedVersionField, moneySchema, recordedMoneySchema, unitsField } from '../money-fields.js';
import { remakeOrderSchema } from '../oem-orders/schemas.js';

/* Pure zod: the web app imports this module too. */

const localizedName = z.object({ en: z.string(), zh: z.string() });
const lotCode = z.string().trim().min(1).max(64);

export const lotSignalSchema = z.object({
  lot: z.string(),
  unitsShipped: z.int(),
  defects: z.int(),
  rate: z.number(),
  lower: z.number().describe('Lower bound of the 95 % Wilson interval of the defect rate'),
  upper: z.number(),
  spareRateBps: z.int(),
});

export const investigationSchema = z
  .object({
    id: z.string(),
    version: z.int(),
    product: z.object({ id: z.string(), sku: z.string(), name: localizedName }),
    lots: z.array(z.string()),
    state: z.enum(investigationStates),
    allowedMoves: z.array(z.enum(investigationStates)),
    origin: z.enum(['qa', 'early_warning']),
    signal: z.array(lotSignalSchema).nullable().describe('The early warning’s numbers when it proposed this'),
    rootCause: z.enum(rootCauses).nullable(),
    findings: z.string().nullable(),
    openedBy: z.string(),
    confirmedOn: z.iso.date().nullable(),
    costs: z.object({ unitCost: recordedMoneySchema, airFreightPerShipment: recordedMoneySchema }).nullable(),
    evidenceUploadIds: z.array(z.string()),
    remakeOrders: z.array(remakeOrderSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'BatchDefectInvestigation' });
export type BatchDefectInvestigation = z.infer<typeof investigationSchema>;

export const openInvestigationRequestSchema = z
  .object({
    productId: z.uuid(),
    lots: z.array(lotCode).min(1).max(50),
    note: z.string().trim().max(4000).optional(),
  })
  .strict()
  .meta({ id: 'OpenInvestigationRequest' });

export const proposeInvestigationRequestSchema = z
  .object({ productId: z.uuid(), lot: lotCode })
  .strict()
  .meta({ id: 'ProposeInvestigationRequest' });

export const attachEvidenceRequestSchema = z
  .object({ uploadIds: z.array(z.uuid()).min(1).max(20), expectedVersion: expectedVersionField })
  .strict()
  .meta({ id: 'AttachEvidenceRequest' });

export const moveInvestigationRequestSchema = z
  .object({
    to: z.enum(investigationStates),
    expectedVersion: expectedVersionField,
    rootCause: z.enum(rootCauses).optional(),
    findings: z.string().trim().max(4000).optional(),
    costs: z
      .object({
        unitCost: moneySchema.describe('What remaking one unit costs the maker'),
        airFreightPerShipment: moneySchema.describe(
          'Air freight of one remake shipment (one per client order and lot)',
        ),
      })
      .strict()
      .optional()
      .describe('Required to confirm: the remake’s costs, booked on the maker’s ledger'),
  })
  .strict()
  .meta({ id: 'MoveInvestigationRequest' });
export type MoveInvestigationRequest = z.infer<typeof moveInvestigationRequestSchema>;

export const listInvestigationsQuerySchema = z
  .object({
    state: z
      .string()
      .optional()
      .transform((s) => (s ? s.split(',') : undefined))
      .pipe(z.array(z.enum(investigationStates)).optional())
      .describe('Comma-separated states, e.g. proposed,open'),
    productId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const lotRateSchema = z
  .object({
    product: z.object({ id: z.string(), sku: z.string(), name: localizedName }),
    lot: z.string(),
    unitsShipped: z.int(),
    defects: z.int(),
    rate: z.number(),
    lower: z.number().describe('Lower bound of the 95 % Wilson interval'),
    upper: z.number(),
    spareRate: z.number(),
    spareRateBps: z.int().describe('The lowest spare rate among the orders that shipped the lot'),
    flagged: z.boolean().describe('The lower bound is above the spare rate'),
    orders: z.int(),
    clients: z.int(),
    investigation: z.object({ id: z.string(), state: z.enum(investigationStates) }).nullable(),
  })
  .meta({ id: 'LotDefectRate' });
export type LotDefectRate = z.infer<typeof lotRateSchema>;

export const lotRatesQuerySchema = z
  .object({
    productId: z.uuid().optional(),
    flagged: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(200)
      .describe('At most this many lots, the most alarming first; X-Total-Count tells how many there are'),
  })
  .strict();

export const makerCostKindValues = ['remake_units', 'air_freight', 'other'] as const;

export const costEntrySchema = z
  .object({
    id: z.string(),
    kind: z.enum(makerCostKindValues),
    remakeOrder: z.object({ id: z.string(), remakeNumber: z.string() }),
    investigationId: z.string(),
    client: z.object({ id: z.string(), name: z.string() }),
    product: z.object({ id: z.string(), sku: z.string() }),
    lot: z.string(),
    units: z.int().nullable(),
    amount: recordedMoneySchema,
    note: z.string().nullable(),
    bookedOn: z.iso.date(),
    recordedBy: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'MakerCostEntry' });

export const makerCostLedgerSchema = z
  .object({
    entries: z.array(costEntrySchema),
    totals: z.array(
      z.object({
        client: z.object({ id: z.string(), name: z.string() }),
        product: z.object({ id: z.string(), sku: z.string() }),
        lot: z.string(),
        currency: z.string(),
        amountMinor: z.int(),
        units: z.int(),
      }),
    ),
    total: z.array(recordedMoneySchema),
  })
  .meta({ id: 'MakerCostLedger' });
export type MakerCostLedger = z.infer<typeof makerCostLedgerSchema>;

export const makerCostQuerySchema = z
  .object({ clientId: z.uuid().optional(), productId: z.uuid().optional(), lot: lotCode.optional() })
  .strict();

export const recordMakerCostRequestSchema = z
  .object({
    kind: z.enum(makerCostKindValues),
    amount: moneySchema,
    units: unitsField.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .meta({ id: 'RecordMakerCostRequest' });
