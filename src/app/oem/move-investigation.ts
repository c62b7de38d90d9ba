import { and, arrayOverlaps, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  batchDefectInvestigations,
  investigationEvidence,
  oemDefectReports,
  oemOrders,
} from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn, Temporal } from '../../domain/calendar.js';
import { type InvestigationState, moveInvestigation as move } from '../../domain/oem/batch-investigation.js';
import { type Money, money } from '../../domain/money.js';
import { policyInForce } from '../../domain/policy/evaluate.js';
import type { RootCause } from '../../domain/policy/schema.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { assertVersion, versionConflict } from '../optimistic-lock.js';
import { type InvestigationView, investigationView, loadInvestigation } from './investigation-records.js';
import { assertMay } from './lot-defect-rates.js';
import { defectWindowEnd, loadOrder, type OemDeps, policyOfOrder, touchOrders } from './oem-records.js';
import { remakeUnits } from './remakes.js';
import { recordInvestigationEvent } from './oem-events.js';

export type MoveInvestigationInput = {
  to: InvestigationState;
  expectedVersion: number;
  rootCause?: RootCause | undefined;
  findings?: string | undefined;
  /** Confirming: what each remade unit and each air shipment costs the maker. */
  costs?: { unitCost: Money; airFreightPerShipment: Money } | undefined;
};

function remakeCosts(costs: MoveInvestigationInput['costs']) {
  if (!costs) {
    throw new AppError(
      'invalid',
      'COSTS_REQUIRED',
      'confirming a batch defect books its costs: give the unit cost and the air freight per shipment',
      {
        field: 'costs',
      },
    );
  }
  const unit = money(costs.unitCost.amountMinor, costs.unitCost.currency);
  const freight = money(costs.airFreightPerShipment.amountMinor, costs.airFreightPerShipment.currency);
  if ('code' in unit || 'code' in freight || unit.amountMinor < 0 || freight.amountMinor < 0) {
    throw new AppError('invalid', 'INVALID_AMOUNT', 'costs are whole minor units, at least zero', {
      field: 'costs',
    });
  }
  if (unit.currency !== freight.currency) {
    throw new AppError('invalid', 'CURRENCY_MISMATCH', 'the unit cost and the freight are in one currency', {
      field: 'costs',
    });
  }
  return { unitCostMinor: unit.amountMinor, airFreightMinor: freight.amountMinor, currency: unit.currency };
}

/**
 * Moves an investigation through its state machine (an illegal move is a 409 listing the allowed
 * ones). Confirming a production or electrical cause makes, in the same transaction, a remake order
 * per client order and lot for the units reported in the defect window, shipped by air, with its
 * costs on the maker's ledger; those units leave the orders' spares.
 */
export async function moveInvestigation(
  deps: OemDeps,
  actor: Actor,
  id: string,
  input: MoveInvestigationInput,
): Promise<InvestigationView> {
  assertMay(actor, 'batchInvestigations.manage');
  const versions = await deps.policies.versions();
  const now = deps.now();
  const today = calendarDateIn(now, deps.storeTimeZone);
  await deps.db.transaction(async (tx) => {
    const inv = await loadInvestigation(tx, id, true);
    assertVersion('investigation', inv, input.expectedVersion);
    const inForce = policyInForce(versions, today);
    if (!inForce.ok) throw new AppError('conflict', inForce.error.code, inForce.error.message);
    const [counted] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(investigationEvidence)
      .where(eq(investigationEvidence.investigationId, inv.id));
    const evidenceCount = counted?.n ?? 0;
    const moved = move(
      { state: inv.state, rootCause: inv.rootCause, evidenceCount },
      { to: input.to, rootCause: input.rootCause, findings: input.findings },
      inForce.value.oem,
    );
    if (!moved.ok) {
      const e = moved.error;
      if (e.code === 'ILLEGAL_TRANSITION') {
        throw new AppError('conflict', e.code, e.message, { from: e.from, to: e.to, allowed: e.allowed });
      }
      if (e.code === 'ROOT_CAUSE_NOT_COVERED')
        throw new AppError('conflict', e.code, e.message, { covered: e.covered });
      if (e.code === 'EVIDENCE_REQUIRED') throw new AppError('conflict', e.code, e.message);
      throw new AppError('invalid', e.code, e.message);
    }
    const costs = moved.remake ? remakeCosts(input.costs) : undefined;
    const [updated] = await tx
      .update(batchDefectInvestigations)
      .set({
        state: moved.state,
        rootCause: moved.rootCause,
        findings: input.findings?.trim() || inv.findings,
        ...(costs
          ? {
              confirmedOn: today.toString(),
              remakeUnitCostMinor: costs.unitCostMinor,
              airFreightMinor: costs.airFreightMinor,
              costCurrency: costs.currency,
            }
          : {}),
        version: sql`${batchDefectInvestigations.version} + 1`,
        updatedAt: new Date(now.epochMilliseconds),
      })
      .where(
        and(
          eq(batchDefectInvestigations.id, inv.id),
          eq(batchDefectInvestigations.version, input.expectedVersion),
        ),
      )
      .returning();
    if (!updated) throw versionConflict('investigation', inv.version);
    await recordAudit(tx, actor, {
      action: `batch_investigation.${moved.state}`,
      entityType: 'batch_investigation',
      entityId: inv.id,
      data: { from: inv.state, to: moved.state, rootCause: moved.rootCause, findings: input.findings, costs },
    });
    const decided =
      moved.state === 'confirmed'
        ? 'batch_investigation.confirmed'
        : moved.state === 'dismissed'
          ? 'batch_investigation.dismissed'
          : undefined;
    if (!costs) {
      if (decided) await recordInvestigationEvent(tx, decided, inv.id, now);
      return;
    }

    // Every order holding one of its lots is locked first, in id order like reports lock them (so a
    // report and a confirmation never deadlock), and only then are the reports read: a report still in
    // flight either committed before (and is read here) or waits and then sees the confirmation (and
    // joins the remake itself). Reading first would miss one committing in between, and leave its units
    // on the spares of a lot the maker remakes.
    await tx
      .select({ id: oemOrders.id })
      .from(oemOrders)
      .where(and(eq(oemOrders.productId, inv.productId), arrayOverlaps(oemOrders.lots, inv.lots)))
      .orderBy(asc(oemOrders.id))
      .for('update');
    // The reports the remake takes over: on its lots, not yet remade, inside their order's window.
    const reports = await tx
      .select({
        id: oemDefectReports.id,
        orderId: oemDefectReports.orderId,
        lot: oemDefectReports.lot,
        units: oemDefectReports.units,
        reportedOn: oemDefectReports.reportedOn,
      })
      .from(oemDefectReports)
      .where(
        and(
          eq(oemDefectReports.productId, inv.productId),
          inArray(oemDefectReports.lot, inv.lots),
          isNull(oemDefectReports.remakeOrderId),
        ),
      )
      .orderBy(asc(oemDefectReports.orderId), asc(oemDefectReports.lot), asc(oemDefectReports.reportedOn));
    const orderIds = [...new Set(reports.map((r) => r.orderId))].sort();
    const touched: string[] = [];
    for (const orderId of orderIds) {
      const loaded = await loadOrder(tx, orderId);
      if (!loaded) continue;
      const policy = policyOfOrder(versions, loaded.order);
      const end = defectWindowEnd(loaded.order, policy.oem);
      const inWindow = reports.filter(
        (r) =>
          r.orderId === orderId &&
          Temporal.PlainDate.compare(Temporal.PlainDate.from(r.reportedOn), end) <= 0,
      );
      for (const lot of [...new Set(inWindow.map((r) => r.lot))]) {
        const covered = inWindow.filter((r) => r.lot === lot);
        await remakeUnits(tx, {
          actor,
          investigation: updated,
          costs,
          policy: policy.oem,
          order: loaded.order,
          lot,
          reportIds: covered.map((r) => r.id),
          units: covered.reduce((s, r) => s + r.units, 0),
          today,
          now,
        });
        touched.push(orderId);
      }
    }
    await touchOrders(tx, touched, now);
    // With the remakes it made, which the investigation shows.
    if (decided) await recordInvestigationEvent(tx, decided, inv.id, now);
  });
  return investigationView(deps.db, id);
}
