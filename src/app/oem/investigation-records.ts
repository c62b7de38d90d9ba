import { asc, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import {
  type BatchDefectInvestigation,
  batchDefectInvestigations,
  investigationEvidence,
  products,
  remakeOrders,
  type StoredLotSignal,
} from '../../db/schema.js';
import { allowedInvestigationMoves, type InvestigationState } from '../../domain/oem/batch-investigation.js';
import type { Money } from '../../domain/money.js';
import type { RootCause } from '../../domain/policy/schema.js';
import { AppError } from '../errors.js';
import { type RemakeOrderView, remakeOrderViews } from './oem-records.js';
import { costsOf } from './remakes.js';

export const investigationNotFound = {
  code: 'INVESTIGATION_NOT_FOUND',
  message: 'no such batch-defect investigation',
};

type Db = Database | Transaction;

export type InvestigationView = {
  id: string;
  version: number;
  product: { id: string; sku: string; name: { en: string; zh: string } };
  lots: string[];
  state: InvestigationState;
  /** The moves the state machine allows from here. */
  allowedMoves: InvestigationState[];
  origin: 'qa' | 'early_warning';
  /** The early warning's numbers when it proposed the investigation. */
  signal: StoredLotSignal[] | null;
  rootCause: RootCause | null;
  findings: string | null;
  openedBy: string;
  confirmedOn: string | null;
  costs: { unitCost: Money; airFreightPerShipment: Money } | null;
  evidenceUploadIds: string[];
  remakeOrders: RemakeOrderView[];
  createdAt: string;
  updatedAt: string;
};

export async function loadInvestigation(
  db: Db,
  id: string,
  forUpdate = false,
): Promise<BatchDefectInvestigation> {
  const query = db.select().from(batchDefectInvestigations).where(eq(batchDefectInvestigations.id, id));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw new AppError('not_found', investigationNotFound.code, investigationNotFound.message);
  return row;
}

export async function investigationView(db: Db, id: string): Promise<InvestigationView> {
  const inv = await loadInvestigation(db, id);
  const [product] = await db
    .select({ id: products.id, sku: products.sku, nameEn: products.nameEn, nameZh: products.nameZh })
    .from(products)
    .where(eq(products.id, inv.productId));
  const evidence = await db
    .select({ uploadId: investigationEvidence.uploadId })
    .from(investigationEvidence)
    .where(eq(investigationEvidence.investigationId, id))
    .orderBy(asc(investigationEvidence.createdAt), asc(investigationEvidence.uploadId));
  const remakes = await db
    .select()
    .from(remakeOrders)
    .where(eq(remakeOrders.investigationId, id))
    .orderBy(asc(remakeOrders.remakeNumber));
  const costs = costsOf(inv);
  return {
    id: inv.id,
    version: inv.version,
    product: {
      id: inv.productId,
      sku: product?.sku ?? '',
      name: { en: product?.nameEn ?? '', zh: product?.nameZh ?? '' },
    },
    lots: inv.lots,
    state: inv.state,
    allowedMoves: [...allowedInvestigationMoves(inv.state)],
    origin: inv.origin,
    signal: inv.signal,
    rootCause: inv.rootCause,
    findings: inv.findings,
    openedBy: inv.openedBy,
    confirmedOn: inv.confirmedOn,
    costs: costs
      ? {
          unitCost: { amountMinor: costs.unitCostMinor, currency: costs.currency },
          airFreightPerShipment: { amountMinor: costs.airFreightMinor, currency: costs.currency },
        }
      : null,
    evidenceUploadIds: evidence.map((e) => e.uploadId),
    remakeOrders: await remakeOrderViews(db, remakes),
    createdAt: inv.createdAt.toISOString(),
    updatedAt: inv.updatedAt.toISOString(),
  };
}
