import { and, arrayContains, arrayOverlaps, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import {
  batchDefectInvestigations,
  defectReportEvidence,
  oemDefectReports,
  oemLotTotals,
  outbox,
  type OemDefectReport,
} from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { Temporal } from '../../domain/calendar.js';
import type { CheckedDefectReport, DefectReportField } from '../../domain/oem/defect-report.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';
import { auditActor, recordAudit } from '../audit.js';
import { bilingual } from '../messages/index.js';
import { roleRecipient } from '../service-messages.js';
import {
  defectWindowEnd,
  ledgerOfOrder,
  type LoadedOrder,
  lotsOf,
  policyOfOrder,
  touchOrders,
} from './oem-records.js';
import { computeLotRates } from './lot-defect-rates.js';
import { costsOf, remakeUnits } from './remakes.js';
import { recordDefectReportEvents } from './oem-events.js';

/*
 * Writing defect reports, whether one arrives alone or a CSV brings many: the checks that need the
 * order's other reports, then the rows, their evidence, the remake they may fall under, the audit and
 * the message when the spares run out. The caller holds the orders locked (FOR UPDATE).
 */

export type PendingReport = {
  /** Where the report came from, to name it in problems: a CSV row, or 0 for a single report. */
  row: number;
  order: LoadedOrder;
  report: CheckedDefectReport;
  evidenceUploadIds?: readonly string[] | undefined;
};

export type ReportProblem = { row: number; field: DefectReportField; code: string; message: string };

/** More defects than a lot holds, or a serial reported twice (in the batch or before): refused. */
export async function checkAgainstOrders(
  tx: Transaction,
  pending: readonly PendingReport[],
): Promise<ReportProblem[]> {
  const problems: ReportProblem[] = [];
  const orderIds = [...new Set(pending.map((p) => p.order.order.id))];
  if (orderIds.length === 0) return problems;
  const totals = await tx
    .select({
      orderId: oemDefectReports.orderId,
      lot: oemDefectReports.lot,
      units: sql<number>`sum(${oemDefectReports.units})::int`,
    })
    .from(oemDefectReports)
    .where(inArray(oemDefectReports.orderId, orderIds))
    .groupBy(oemDefectReports.orderId, oemDefectReports.lot);
  const used = new Map(totals.map((t) => [`${t.orderId} ${t.lot}`, t.units]));
  const serials = pending.flatMap((p) => p.report.serials);
  const earlier =
    serials.length === 0
      ? []
      : await tx
          .select({ orderId: oemDefectReports.orderId, serials: oemDefectReports.serials })
          .from(oemDefectReports)
          .where(
            and(
              inArray(oemDefectReports.orderId, orderIds),
              arrayOverlaps(oemDefectReports.serials, serials),
            ),
          );
  const seen = new Map<string, number>();
  for (const e of earlier) for (const s of e.serials) seen.set(`${e.orderId} ${s}`, -1);

  const reportedOnOrder = new Map<string, number>();
  for (const t of totals) reportedOnOrder.set(t.orderId, (reportedOnOrder.get(t.orderId) ?? 0) + t.units);
  for (const p of pending) {
    const key = `${p.order.order.id} ${p.report.lot}`;
    const orderLots = lotsOf(p.order.order);
    const lot = orderLots.find((l) => l.lot === p.report.lot);
    const total = (used.get(key) ?? 0) + p.report.units;
    used.set(key, total);
    // Never more defects than units delivered on the order (its lots' units), whatever the lots say.
    const delivered = orderLots.reduce((s, l) => s + l.units, 0);
    const onOrder = (reportedOnOrder.get(p.order.order.id) ?? 0) + p.report.units;
    reportedOnOrder.set(p.order.order.id, onOrder);
    if (onOrder > delivered) {
      problems.push({
        row: p.row,
        field: 'units',
        code: 'UNITS_EXCEED_DELIVERED',
        message: `order ${p.order.order.orderNumber} delivered ${delivered} units; ${onOrder} would be reported defective`,
      });
    } else if (lot && total > lot.units) {
      problems.push({
        row: p.row,
        field: 'units',
        code: 'UNITS_EXCEED_LOT',
        message: `lot ${lot.lot} of order ${p.order.order.orderNumber} holds ${lot.units} units; ${total} would be reported defective`,
      });
    }
    for (const s of p.report.serials) {
      const k = `${p.order.order.id} ${s}`;
      const first = seen.get(k);
      if (first !== undefined) {
        problems.push({
          row: p.row,
          field: 'serials',
          code: 'SERIAL_ALREADY_REPORTED',
          message:
            first === -1
              ? `serial ${s} of order ${p.order.order.orderNumber} was already reported`
              : `serial ${s} is also in row ${first}`,
        });
        break;
      }
      seen.set(k, p.row);
    }
  }
  return problems;
}

/**
 * Writes checked reports. A report on a lot under a confirmed batch defect (inside the order's defect
 * window) joins that remake at once, so it never consumes spares; units beyond the spares wait for
 * QA's review (`defects/review-defect-report.ts`), and QA is told.
 */
export async function writeReports(
  tx: Transaction,
  args: {
    actor: Actor;
    versions: readonly PolicyVersion[];
    pending: readonly PendingReport[];
    source: 'api' | 'csv';
    today: Temporal.PlainDate;
    now: Temporal.Instant;
  },
): Promise<OemDefectReport[]> {
  const { actor, versions, pending, source } = args;
  const orders = new Map(pending.map((p) => [p.order.order.id, p.order]));
  const awaitingBefore = new Map<string, number>();
  for (const loaded of orders.values()) {
    const policy = policyOfOrder(versions, loaded.order);
    awaitingBefore.set(
      loaded.order.id,
      (await ledgerOfOrder(tx, loaded.order, policy.oem)).ledger.awaitingQa,
    );
  }

  // The lots these reports fall in, and whether the early warning already flagged each of them.
  const lots = new Map(
    pending.map((p) => [
      `${p.order.order.productId} ${p.report.lot}`,
      { productId: p.order.order.productId, lot: p.report.lot },
    ]),
  );
  const flaggedBefore = new Set<string>();
  for (const [key, lot] of lots) {
    if ((await computeLotRates(tx, lot)).some((r) => r.flagged)) flaggedBefore.add(key);
  }

  // Each report adds to its lot's totals (a trigger on the insert). Locking those rows first, in one
  // order, keeps two batches that name the same lots in different orders from deadlocking.
  if (lots.size > 0) {
    await tx
      .select({ lot: oemLotTotals.lot })
      .from(oemLotTotals)
      .where(
        or(
          ...[...lots.values()].map((l) =>
            and(eq(oemLotTotals.productId, l.productId), eq(oemLotTotals.lot, l.lot)),
          ),
        ),
      )
      .orderBy(asc(oemLotTotals.productId), asc(oemLotTotals.lot))
      .for('update');
  }

  const written: OemDefectReport[] = [];
  for (const p of pending) {
    const { order } = p.order;
    const [row] = await tx
      .insert(oemDefectReports)
      .values({
        orderId: order.id,
        clientId: order.clientId,
        productId: order.productId,
        lot: p.report.lot,
        units: p.report.units,
        serials: p.report.serials,
        failureMode: p.report.failureMode,
        reportedOn: p.report.reportedOn,
        reportedBy: auditActor(actor),
        source,
      })
      .returning();
    if (!row) throw new Error('insert returned no defect report');
    const evidence = [...new Set(p.evidenceUploadIds ?? [])];
    if (evidence.length > 0) {
      await tx
        .insert(defectReportEvidence)
        .values(evidence.map((uploadId) => ({ reportId: row.id, uploadId })));
    }
    await recordAudit(tx, actor, {
      action: 'oem_defect.reported',
      entityType: 'oem_defect_report',
      entityId: row.id,
      data: {
        orderId: order.id,
        lot: row.lot,
        units: row.units,
        serials: row.serials,
        failureMode: row.failureMode,
        reportedOn: row.reportedOn,
        evidenceUploadIds: evidence,
        via: source,
      },
    });

    // Under a confirmed batch defect of its lot: the remake takes it over.
    const policy = policyOfOrder(versions, order);
    const inWindow =
      Temporal.PlainDate.compare(
        Temporal.PlainDate.from(row.reportedOn),
        defectWindowEnd(order, policy.oem),
      ) <= 0;
    const [confirmed] = inWindow
      ? await tx
          .select()
          .from(batchDefectInvestigations)
          .where(
            and(
              eq(batchDefectInvestigations.productId, order.productId),
              eq(batchDefectInvestigations.state, 'confirmed'),
              arrayContains(batchDefectInvestigations.lots, [row.lot]),
            ),
          )
          .limit(1)
      : [];
    const costs = confirmed ? costsOf(confirmed) : undefined;
    if (confirmed && costs) {
      const remake = await remakeUnits(tx, {
        actor,
        investigation: confirmed,
        costs,
        policy: policy.oem,
        order,
        lot: row.lot,
        reportIds: [row.id],
        units: row.units,
        today: args.today,
        now: args.now,
      });
      written.push({ ...row, remakeOrderId: remake.id });
    } else {
      written.push(row);
    }
  }

  await touchOrders(tx, [...orders.keys()], args.now);
  // Units beyond the spares are owed only once QA accepts them: QA is told they wait for its review.
  for (const loaded of orders.values()) {
    const policy = policyOfOrder(versions, loaded.order);
    const { ledger } = await ledgerOfOrder(tx, loaded.order, policy.oem);
    if (ledger.awaitingQa <= (awaitingBefore.get(loaded.order.id) ?? 0)) continue;
    const { orderNumber } = loaded.order;
    await tx.insert(outbox).values({
      topic: 'oem_defects.awaiting_review',
      recipient: roleRecipient('qa'),
      ...bilingual((m) =>
        m.oem.defectsAwaitingReview({
          orderNumber,
          clientName: loaded.clientName,
          awaiting: ledger.awaitingQa,
          allowance: ledger.allowance,
        }),
      ),
      payload: { orderId: loaded.order.id, awaitingQa: ledger.awaitingQa, allowance: ledger.allowance },
    });
  }
  await flagCrossedLots(tx, lots, flaggedBefore);
  await recordDefectReportEvents(
    tx,
    written,
    (orderId) => orders.get(orderId)?.order.orderNumber ?? '',
    args.now,
  );
  return written;
}

const percent = (rate: number) => `${(rate * 100).toFixed(2)} %`;

/**
 * The early warning, as it happens: a lot these reports push over the line (the lower bound of its
 * defect rate above the spare rate) is flagged to QA with the numbers behind the flag, once, while no
 * investigation is already looking at it — before the clients run out of spares. The demo seed sends
 * its flagged lot's notice through here too, so QA's inbox shows what the reports would have raised.
 */
export async function flagCrossedLots(
  tx: Transaction,
  lots: ReadonlyMap<string, { productId: string; lot: string }>,
  flaggedBefore: ReadonlySet<string>,
): Promise<void> {
  for (const [key, lot] of lots) {
    if (flaggedBefore.has(key)) continue;
    const [rate] = await computeLotRates(tx, lot);
    if (!rate?.flagged || rate.investigation) continue;
    const numbers = {
      defects: rate.defects,
      unitsShipped: rate.unitsShipped,
      rate: percent(rate.rate),
      lower: percent(rate.lower),
      upper: percent(rate.upper),
      spareRate: percent(rate.spareRate),
      orders: rate.orders,
      clients: rate.clients,
    };
    await tx.insert(outbox).values({
      topic: 'oem_lot.flagged',
      recipient: roleRecipient('qa'),
      // The numbers behind the flag, so QA sees why without opening the console.
      ...bilingual((m, lang) =>
        m.oem.lotFlagged({
          lot: rate.lot,
          sku: rate.product.sku,
          product: rate.product.name[lang],
          numbers: m.oem.lotNumbers(numbers),
        }),
      ),
      payload: {
        productId: lot.productId,
        lot: rate.lot,
        defects: rate.defects,
        unitsShipped: rate.unitsShipped,
        lower: rate.lower,
        spareRateBps: rate.spareRateBps,
      },
    });
  }
}
