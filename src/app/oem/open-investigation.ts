import { and, arrayOverlaps, eq, inArray, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import { batchDefectInvestigations, outbox, products, type StoredLotSignal } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { activeInvestigationStates } from '../../domain/oem/batch-investigation.js';
import { LOT_PATTERN } from '../../domain/oem/oem-order.js';
import { recordAudit, auditActor } from '../audit.js';
import { AppError } from '../errors.js';
import { roleRecipient } from '../service-messages.js';
import { type InvestigationView, investigationView } from './investigation-records.js';
import { assertMay, computeLotRates, type LotRateView } from './lot-defect-rates.js';
import type { OemDeps } from './oem-records.js';

/** One product's lots are investigated one at a time: the product is the lock. */
async function lockProduct(tx: Transaction, productId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`batch-investigation:${productId}`}))`);
}

/** A lot already under a proposed, open or confirmed investigation is not investigated twice. */
async function assertNotUnderInvestigation(
  tx: Transaction,
  productId: string,
  lots: readonly string[],
): Promise<void> {
  const [active] = await tx
    .select({
      id: batchDefectInvestigations.id,
      lots: batchDefectInvestigations.lots,
      state: batchDefectInvestigations.state,
    })
    .from(batchDefectInvestigations)
    .where(
      and(
        eq(batchDefectInvestigations.productId, productId),
        inArray(batchDefectInvestigations.state, [...activeInvestigationStates]),
        arrayOverlaps(batchDefectInvestigations.lots, [...lots]),
      ),
    )
    .limit(1);
  if (active) {
    const shared = lots.filter((l) => active.lots.includes(l));
    throw new AppError(
      'conflict',
      'LOT_UNDER_INVESTIGATION',
      `lot ${shared.join(', ')} is already under investigation (${active.state})`,
      { investigationId: active.id, state: active.state, lots: shared },
    );
  }
}

const signalOf = (r: LotRateView): StoredLotSignal => ({
  lot: r.lot,
  unitsShipped: r.unitsShipped,
  defects: r.defects,
  rate: r.rate,
  lower: r.lower,
  upper: r.upper,
  spareRateBps: r.spareRateBps,
});

async function insertInvestigation(
  tx: Transaction,
  actor: Actor,
  values: {
    productId: string;
    lots: string[];
    state: 'open' | 'proposed';
    origin: 'qa' | 'early_warning';
    signal: StoredLotSignal[] | null;
    findings: string | null;
  },
): Promise<string> {
  const [row] = await tx
    .insert(batchDefectInvestigations)
    .values({ ...values, openedBy: auditActor(actor) })
    .returning({ id: batchDefectInvestigations.id });
  if (!row) throw new Error('insert returned no investigation');
  await recordAudit(tx, actor, {
    action: values.state === 'open' ? 'batch_investigation.opened' : 'batch_investigation.proposed',
    entityType: 'batch_investigation',
    entityId: row.id,
    data: values,
  });
  await tx.insert(outbox).values({
    topic: `batch_investigation.${values.state}`,
    recipient: roleRecipient('qa'),
    subject: `Batch-defect investigation ${values.state === 'open' ? 'opened' : 'proposed'}: lot ${values.lots.join(', ')}`,
    body:
      values.state === 'proposed' && values.signal
        ? values.signal
            .map(
              (s) =>
                `Lot ${s.lot}: ${s.defects} defects in ${s.unitsShipped} units (${(s.rate * 100).toFixed(2)} %, 95 % interval ${(s.lower * 100).toFixed(2)}–${(s.upper * 100).toFixed(2)} %) against spares of ${(s.spareRateBps / 100).toFixed(2)} %.`,
            )
            .join('\n')
        : `Lots ${values.lots.join(', ')} are under investigation.`,
    payload: { investigationId: row.id },
  });
  return row.id;
}

/**
 * QA opens an investigation over one or more lots of one product: each lot must have shipped on an
 * order of that product, and none be under another investigation already.
 */
export async function openInvestigation(
  deps: OemDeps,
  actor: Actor,
  input: { productId: string; lots: string[]; note?: string | undefined },
): Promise<InvestigationView> {
  assertMay(actor, 'batchInvestigations.manage');
  const lots = [...new Set(input.lots.map((l) => l.trim()))];
  const bad = lots.find((l) => !LOT_PATTERN.test(l));
  if (lots.length === 0 || bad !== undefined) {
    throw new AppError(
      'invalid',
      'INVALID_LOT',
      `give the lot codes to investigate${bad ? ` ("${bad}" is not one)` : ''}`,
      {
        field: 'lots',
      },
    );
  }
  const id = await deps.db.transaction(async (tx) => {
    const [product] = await tx
      .select({ id: products.id })
      .from(products)
      .where(eq(products.id, input.productId));
    if (!product) throw new AppError('invalid', 'UNKNOWN_PRODUCT', 'no such product', { field: 'productId' });
    const shipped = new Set((await computeLotRates(tx, { productId: product.id })).map((r) => r.lot));
    const unknown = lots.filter((l) => !shipped.has(l));
    if (unknown.length > 0) {
      throw new AppError(
        'invalid',
        'UNKNOWN_LOT',
        `no order of this product shipped lot ${unknown.join(', ')}`,
        {
          field: 'lots',
          unknown,
        },
      );
    }
    await lockProduct(tx, product.id);
    await assertNotUnderInvestigation(tx, product.id, lots);
    return insertInvestigation(tx, actor, {
      productId: product.id,
      lots,
      state: 'open',
      origin: 'qa',
      signal: null,
      findings: input.note?.trim() || null,
    });
  });
  return investigationView(deps.db, id);
}

/**
 * Turns an early-warning flag into a proposed investigation, with the numbers behind the flag. A lot
 * that is not flagged (any more) is refused with its numbers.
 */
export async function proposeInvestigation(
  deps: OemDeps,
  actor: Actor,
  input: { productId: string; lot: string },
): Promise<InvestigationView> {
  assertMay(actor, 'batchInvestigations.manage');
  const id = await deps.db.transaction(async (tx) => {
    await lockProduct(tx, input.productId);
    const [rate] = await computeLotRates(tx, { productId: input.productId, lot: input.lot.trim() });
    if (!rate) {
      throw new AppError('invalid', 'UNKNOWN_LOT', `no order of this product shipped lot ${input.lot}`, {
        field: 'lot',
      });
    }
    if (!rate.flagged) {
      throw new AppError(
        'conflict',
        'LOT_NOT_FLAGGED',
        `lot ${rate.lot} is not flagged: the lower bound of its defect rate (${(rate.lower * 100).toFixed(2)} %) is not above its spare rate (${(rate.spareRateBps / 100).toFixed(2)} %)`,
        signalOf(rate),
      );
    }
    await assertNotUnderInvestigation(tx, input.productId, [rate.lot]);
    return insertInvestigation(tx, actor, {
      productId: input.productId,
      lots: [rate.lot],
      state: 'proposed',
      origin: 'early_warning',
      signal: [signalOf(rate)],
      findings: null,
    });
  });
  return investigationView(deps.db, id);
}
