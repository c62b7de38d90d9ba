import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import {
  maintenanceOrderParts,
  maintenanceOrders,
  maintenanceOrderWork,
  type MaintenanceOrderWork,
  parts,
} from '../../db/schema.js';
import { type Actor, authorize } from '../../domain/access/access.js';
import { calendarDateIn, type Temporal } from '../../domain/calendar.js';
import type { Money } from '../../domain/money.js';
import {
  checkWorkInput,
  hundredthsToHours,
  labourCostMinor,
  type PartLineInput,
  partLineCostMinor,
  type WorkRule,
  workRuleFor,
} from '../../domain/warranty-cost/work.js';
import { assertAllowed } from '../access.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { versionConflict } from '../optimistic-lock.js';
import { warrantyCostSettings } from '../insight/cost/cost-settings.js';
import { type LoadedOrder, loadOrder, orderNotFound, ownersOfOrder } from './maintenance-order-records.js';

/*
 * Parts and labour on a maintenance order (issue 19): the center's technician records the parts the
 * repair used, from the parts list, and the hours it took, while the center holds the product; after
 * it went back, only support corrects them, saying why. Every change is audited with what it replaced,
 * and made under the order's row lock at the version the writer read: two saves at once cannot both win.
 * A free repair's parts and labour are what the cost of warranty counts (app/insight/cost).
 */

export type WorkDeps = { db: Database; now: () => Temporal.Instant; storeTimeZone: string };

export type WorkPartLine = {
  part: { id: string; partNumber: string; name: { en: string; zh: string }; active: boolean };
  quantity: number;
  unitCost: Money;
  cost: Money;
};

export type OrderWorkView = {
  orderId: string;
  /** What the next recording sends as `expectedVersion`: 0 until the first one. */
  version: number;
  labourHours: number;
  labourRate: Money;
  parts: WorkPartLine[];
  partsCost: Money;
  labourCost: Money;
  total: Money;
  /** False when inspection found misuse: the customer pays (a quote), not the warranty. */
  underWarranty: boolean;
  /** `record` while the center holds the product, `correct` after it went back, `refused` otherwise. */
  rule: WorkRule;
  /** Whether the reader may change it now (recording, or correcting with a reason). */
  mayChange: boolean;
  recordedBy: string | null;
  correctedAt: string | null;
  updatedAt: string | null;
};

export type RecordWorkInput = {
  expectedVersion: number;
  parts: PartLineInput[];
  labourHours: number;
  /** Required once the product went back: why the repair's record changes now. */
  correctionReason?: string | undefined;
};

function mayChange(actor: Actor, loaded: LoadedOrder, rule: WorkRule): boolean {
  const owners = ownersOfOrder(loaded);
  if (rule === 'refused') return false;
  if (authorize(actor, 'maintenanceOrders.recordWork', owners) !== 'allowed') return false;
  return rule === 'record' || authorize(actor, 'maintenanceOrders.correctWork', owners) === 'allowed';
}

async function workView(
  db: Database | Transaction,
  actor: Actor,
  loaded: LoadedOrder,
  work: MaintenanceOrderWork | undefined,
  currency: string,
  defaultRate: number,
): Promise<OrderWorkView> {
  const lines = work
    ? await db
        .select({ line: maintenanceOrderParts, part: parts })
        .from(maintenanceOrderParts)
        .innerJoin(parts, eq(parts.id, maintenanceOrderParts.partId))
        .where(eq(maintenanceOrderParts.orderId, work.orderId))
        .orderBy(asc(parts.partNumber))
    : [];
  const workCurrency = work?.currency ?? currency;
  const rate = work?.labourRateMinor ?? defaultRate;
  const partLines: WorkPartLine[] = lines.map(({ line, part }) => ({
    part: {
      id: part.id,
      partNumber: part.partNumber,
      name: { en: part.nameEn, zh: part.nameZh },
      active: part.active,
    },
    quantity: line.quantity,
    unitCost: { amountMinor: line.unitCostMinor, currency: line.currency },
    cost: { amountMinor: partLineCostMinor(line.quantity, line.unitCostMinor), currency: line.currency },
  }));
  const partsCost = partLines.reduce((sum, l) => sum + l.cost.amountMinor, 0);
  const labour = labourCostMinor(work?.labourHundredths ?? 0, rate);
  const rule = workRuleFor(loaded.order.state);
  return {
    orderId: loaded.order.id,
    version: work?.version ?? 0,
    labourHours: hundredthsToHours(work?.labourHundredths ?? 0),
    labourRate: { amountMinor: rate, currency: workCurrency },
    parts: partLines,
    partsCost: { amountMinor: partsCost, currency: workCurrency },
    labourCost: { amountMinor: labour, currency: workCurrency },
    total: { amountMinor: partsCost + labour, currency: workCurrency },
    underWarranty: !loaded.order.humanDamageFound,
    rule,
    mayChange: mayChange(actor, loaded, rule),
    recordedBy: work?.recordedBy ?? null,
    correctedAt: work?.correctedAt?.toISOString() ?? null,
    updatedAt: work?.updatedAt.toISOString() ?? null,
  };
}

async function loadWork(
  db: Database | Transaction,
  orderId: string,
): Promise<MaintenanceOrderWork | undefined> {
  const [work] = await db
    .select()
    .from(maintenanceOrderWork)
    .where(eq(maintenanceOrderWork.orderId, orderId));
  return work;
}

/** The parts and hours recorded on an order: the staff who answer for it, and its center. */
export async function readOrderWork(deps: WorkDeps, actor: Actor, orderId: string): Promise<OrderWorkView> {
  const loaded = await loadOrder(deps.db, orderId);
  if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
  assertAllowed(actor, 'maintenanceOrders.readWork', ownersOfOrder(loaded), orderNotFound);
  const settings = await warrantyCostSettings(deps.db);
  return workView(
    deps.db,
    actor,
    loaded,
    await loadWork(deps.db, orderId),
    settings.currency,
    settings.labourRatePerHourMinor,
  );
}

type StoredLine = { partId: string; quantity: number; unitCostMinor: number };

/**
 * Records the parts and hours of an order, whole: the list sent replaces the one stored. A part already
 * on the order keeps the unit cost it was recorded at; a new one takes the parts list's cost today.
 */
export async function recordOrderWork(
  deps: WorkDeps,
  actor: Actor,
  orderId: string,
  input: RecordWorkInput,
): Promise<OrderWorkView> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    // The order's row lock: a move, a recording or a correction of this order waits for this one.
    const [locked] = await tx
      .select({ id: maintenanceOrders.id })
      .from(maintenanceOrders)
      .where(eq(maintenanceOrders.id, orderId))
      .for('update');
    const loaded = locked ? await loadOrder(tx, orderId) : undefined;
    if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
    const owners = ownersOfOrder(loaded);
    assertAllowed(actor, 'maintenanceOrders.recordWork', owners, orderNotFound);

    const rule = workRuleFor(loaded.order.state);
    if (rule === 'refused') {
      throw new AppError(
        'conflict',
        'WORK_NOT_EXPECTED',
        `parts and hours are recorded while the center holds the product, not while the order is ${loaded.order.state}`,
        { state: loaded.order.state },
      );
    }
    const reason = input.correctionReason?.trim();
    if (rule === 'correct') {
      if (authorize(actor, 'maintenanceOrders.correctWork', owners) !== 'allowed') {
        throw new AppError(
          'forbidden',
          'CORRECTION_NOT_ALLOWED',
          'the product went back: only support corrects its parts and hours',
          { state: loaded.order.state },
        );
      }
      if (!reason) {
        throw new AppError(
          'invalid',
          'CORRECTION_REASON_REQUIRED',
          'the product went back: say why its parts and hours change',
          { field: 'correctionReason' },
        );
      }
    }

    const checked = checkWorkInput(input);
    if (!checked.ok) {
      const { code, message, ...details } = checked.error;
      throw new AppError('invalid', code, message, details);
    }

    const before = await tx
      .select()
      .from(maintenanceOrderWork)
      .where(eq(maintenanceOrderWork.orderId, orderId))
      .for('update');
    const work = before[0];
    if ((work?.version ?? 0) !== input.expectedVersion)
      throw versionConflict('record of parts and hours', work?.version ?? 0);

    const settings = await warrantyCostSettings(tx);
    const oldLines: StoredLine[] = work
      ? await tx
          .select({
            partId: maintenanceOrderParts.partId,
            quantity: maintenanceOrderParts.quantity,
            unitCostMinor: maintenanceOrderParts.unitCostMinor,
          })
          .from(maintenanceOrderParts)
          .where(eq(maintenanceOrderParts.orderId, orderId))
      : [];
    const oldByPart = new Map(oldLines.map((l) => [l.partId, l]));
    const ids = input.parts.map((p) => p.partId);
    const found = ids.length > 0 ? await tx.select().from(parts).where(inArray(parts.id, ids)) : [];
    const partById = new Map(found.map((p) => [p.id, p]));
    const currency = work?.currency ?? settings.currency;
    const newLines: StoredLine[] = [];
    for (const line of input.parts) {
      const part = partById.get(line.partId);
      if (!part) {
        throw new AppError('invalid', 'UNKNOWN_PART', 'no part of the parts list has this id', {
          partId: line.partId,
        });
      }
      const kept = oldByPart.get(part.id);
      if (!kept && !part.active) {
        throw new AppError('invalid', 'PART_RETIRED', `part ${part.partNumber} is retired`, {
          partId: part.id,
        });
      }
      if (!kept && part.currency !== currency) {
        throw new AppError(
          'conflict',
          'PART_CURRENCY_MISMATCH',
          `part ${part.partNumber} is priced in ${part.currency}, the order's costs in ${currency}`,
          { partId: part.id },
        );
      }
      newLines.push({
        partId: part.id,
        quantity: line.quantity,
        unitCostMinor: kept?.unitCostMinor ?? part.unitCostMinor,
      });
    }

    const at = new Date(now.epochMilliseconds);
    const recordedBy = auditActor(actor);
    if (!work) {
      await tx.insert(maintenanceOrderWork).values({
        orderId,
        labourHundredths: checked.labourHundredths,
        labourRateMinor: settings.labourRatePerHourMinor,
        currency,
        productId: loaded.product.id,
        firstRecordedOn: calendarDateIn(now, deps.storeTimeZone).toString(),
        recordedBy,
        correctedAt: rule === 'correct' ? at : null,
        createdAt: at,
        updatedAt: at,
      });
    } else {
      const updated = await tx
        .update(maintenanceOrderWork)
        .set({
          labourHundredths: checked.labourHundredths,
          recordedBy,
          correctedAt: rule === 'correct' ? at : work.correctedAt,
          version: sql`${maintenanceOrderWork.version} + 1`,
          updatedAt: at,
        })
        .where(
          sql`${maintenanceOrderWork.orderId} = ${orderId} and ${maintenanceOrderWork.version} = ${input.expectedVersion}`,
        )
        .returning({ version: maintenanceOrderWork.version });
      if (updated.length !== 1) throw versionConflict('record of parts and hours', work.version);
      await tx.delete(maintenanceOrderParts).where(eq(maintenanceOrderParts.orderId, orderId));
    }
    if (newLines.length > 0) {
      await tx
        .insert(maintenanceOrderParts)
        .values(newLines.map((l) => ({ orderId, ...l, currency, createdAt: at })));
    }
    await recordAudit(tx, actor, {
      action: rule === 'correct' ? 'maintenance_order.work_corrected' : 'maintenance_order.work_recorded',
      entityType: 'maintenance_order',
      entityId: orderId,
      data: {
        state: loaded.order.state,
        before: { labourHundredths: work?.labourHundredths ?? 0, parts: oldLines },
        after: { labourHundredths: checked.labourHundredths, parts: newLines },
        currency,
        ...(reason ? { reason } : {}),
      },
    });
    return workView(
      tx,
      actor,
      loaded,
      await loadWork(tx, orderId),
      settings.currency,
      settings.labourRatePerHourMinor,
    );
  });
}
