import { and, eq, sql } from 'drizzle-orm';
import { defectReportEvidence, oemDefectReports, outbox } from '../../../db/schema.js';
import type { Actor } from '../../../domain/access/access.js';
import { calendarDateIn } from '../../../domain/calendar.js';
import { checkReviewDecision, type ReviewDecision } from '../../../domain/oem/defect-review.js';
import { assertAllowed } from '../../access.js';
import { recordAudit, auditActor } from '../../audit.js';
import { AppError } from '../../errors.js';
import { assertVersion } from '../../optimistic-lock.js';
import { roleRecipient } from '../../service-messages.js';
import {
  ledgerOfOrder,
  loadOrder,
  nextNumber,
  type OemDeps,
  policyOfOrder,
  touchOrders,
} from '../oem-records.js';

/*
 * QA's review of a client's defect report. Units beyond the order's spares become excess — something
 * a credit or a replacement can be made from — only when QA accepts them here, from the report's
 * evidence or from the returned units inspected against a return number; QA may reject units with a
 * reason the client reads. Each decision takes the order's row lock and its version (the ledger's), so
 * a remedy chosen on the ledger before the decision is refused as stale, and two reviewers cannot both
 * decide the same units.
 */

export const reportNotFound = { code: 'DEFECT_REPORT_NOT_FOUND', message: 'no such defect report' };

async function lockedReport(
  deps: OemDeps,
  tx: Parameters<Parameters<OemDeps['db']['transaction']>[0]>[0],
  actor: Actor,
  reportId: string,
) {
  const [head] = await tx
    .select({ orderId: oemDefectReports.orderId, clientId: oemDefectReports.clientId })
    .from(oemDefectReports)
    .where(eq(oemDefectReports.id, reportId));
  if (!head) throw new AppError('not_found', reportNotFound.code, reportNotFound.message);
  assertAllowed(actor, 'oemDefects.review', { oemClientId: head.clientId }, reportNotFound);
  // The order first (as reporting does), then the report.
  const loaded = await loadOrder(tx, head.orderId, true);
  if (!loaded) throw new AppError('not_found', reportNotFound.code, reportNotFound.message);
  const [report] = await tx
    .select()
    .from(oemDefectReports)
    .where(eq(oemDefectReports.id, reportId))
    .for('update');
  if (!report) throw new AppError('not_found', reportNotFound.code, reportNotFound.message);
  return { loaded, report };
}

export type ReviewResult = { reportId: string; orderId: string; orderVersion: number };

/** QA asks for a report's units back: a return number (RMA-2026-000123) the client ships them against. */
export async function requestReturn(
  deps: OemDeps,
  actor: Actor,
  reportId: string,
  input: { expectedVersion: number },
): Promise<ReviewResult> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const { loaded, report } = await lockedReport(deps, tx, actor, reportId);
    assertVersion('OEM order', loaded.order, input.expectedVersion);
    if (report.rmaNumber) {
      throw new AppError(
        'conflict',
        'RETURN_ALREADY_REQUESTED',
        `the units go back under ${report.rmaNumber}`,
        {
          rmaNumber: report.rmaNumber,
        },
      );
    }
    const rmaNumber = await nextNumber(
      tx,
      'rma_number_seq',
      'RMA',
      calendarDateIn(now, deps.storeTimeZone).year,
    );
    await tx.update(oemDefectReports).set({ rmaNumber }).where(eq(oemDefectReports.id, report.id));
    await touchOrders(tx, [loaded.order.id], now);
    await recordAudit(tx, actor, {
      action: 'oem_defect.return_requested',
      entityType: 'oem_defect_report',
      entityId: report.id,
      data: { orderId: loaded.order.id, rmaNumber },
    });
    const { orderNumber } = loaded.order;
    await tx.insert(outbox).values({
      topic: 'oem_defect.return_requested',
      recipient: loaded.clientEmail ?? roleRecipient('sales'),
      subject: `Order ${orderNumber}: please return the units under ${rmaNumber} — 订单 ${orderNumber}：请按 ${rmaNumber} 退回`,
      body:
        `Please ship the ${report.units} units reported on ${report.reportedOn} (lot ${report.lot}) back to us marked ${rmaNumber}: QA decides on them when they are inspected.\n\n` +
        `请将 ${report.reportedOn} 报告的 ${report.units} 件（批次 ${report.lot}）标注 ${rmaNumber} 寄回，质量部门检验后处理。`,
      payload: { orderId: loaded.order.id, reportId: report.id, rmaNumber },
    });
    return { reportId: report.id, orderId: loaded.order.id, orderVersion: loaded.order.version + 1 };
  });
}

/**
 * QA accepts and/or rejects units of a report that wait for a decision. Accepted units beyond the spares
 * become excess the client may then take a remedy for (it is told); rejected ones are owed nothing, and
 * the client reads the reason.
 */
export async function reviewDefectReport(
  deps: OemDeps,
  actor: Actor,
  reportId: string,
  input: ReviewDecision & { expectedVersion: number },
): Promise<ReviewResult> {
  const versions = await deps.policies.versions();
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const { loaded, report } = await lockedReport(deps, tx, actor, reportId);
    assertVersion('OEM order', loaded.order, input.expectedVersion);
    const [evidence] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(defectReportEvidence)
      .where(eq(defectReportEvidence.reportId, report.id));
    const checked = checkReviewDecision(
      {
        units: report.units,
        acceptedUnits: report.acceptedUnits,
        rejectedUnits: report.rejectedUnits,
        evidence: evidence?.n ?? 0,
        rmaNumber: report.rmaNumber,
      },
      input,
    );
    if (!checked.ok) {
      throw new AppError(
        checked.problem.code === 'UNITS_EXCEED_UNDECIDED' ? 'conflict' : 'invalid',
        checked.problem.code,
        checked.problem.message,
        { field: checked.problem.field },
      );
    }
    const policy = policyOfOrder(versions, loaded.order);
    const before = (await ledgerOfOrder(tx, loaded.order, policy.oem)).ledger;
    const reason = input.rejectUnits > 0 ? (input.reason ?? '').trim() : undefined;
    const [updated] = await tx
      .update(oemDefectReports)
      .set({
        acceptedUnits: sql`${oemDefectReports.acceptedUnits} + ${input.acceptUnits}`,
        rejectedUnits: sql`${oemDefectReports.rejectedUnits} + ${input.rejectUnits}`,
        ...(reason ? { rejectionReason: reason } : {}),
        ...(input.acceptUnits > 0 && input.basis ? { reviewBasis: input.basis } : {}),
        reviewedBy: auditActor(actor),
        reviewedAt: new Date(now.epochMilliseconds),
      })
      .where(
        and(
          eq(oemDefectReports.id, report.id),
          sql`${oemDefectReports.acceptedUnits} + ${oemDefectReports.rejectedUnits} + ${input.acceptUnits + input.rejectUnits} <= ${oemDefectReports.units}`,
        ),
      )
      .returning({ id: oemDefectReports.id });
    if (!updated) throw new Error('the locked report could not take the decision');
    await touchOrders(tx, [loaded.order.id], now);
    await recordAudit(tx, actor, {
      action: 'oem_defect.reviewed',
      entityType: 'oem_defect_report',
      entityId: report.id,
      data: {
        orderId: loaded.order.id,
        accepted: input.acceptUnits,
        rejected: input.rejectUnits,
        basis: input.acceptUnits > 0 ? input.basis : null,
        reason: reason ?? null,
        rmaNumber: report.rmaNumber,
      },
    });
    const reloaded = await loadOrder(tx, loaded.order.id);
    const after = reloaded ? (await ledgerOfOrder(tx, reloaded.order, policy.oem)).ledger : before;
    const { orderNumber } = loaded.order;
    const recipient = loaded.clientEmail ?? roleRecipient('sales');
    if (after.excess > before.excess) {
      const body =
        `QA accepted defects on order ${orderNumber} beyond its ${after.allowance} spare units: ${after.excess} units in all. ` +
        `Choose a replacement shipment of new units or a credit on your next order.\n\n` +
        `订单 ${orderNumber} 超出 ${after.allowance} 件备品的不良品经质量部门确认共 ${after.excess} 件。请选择新品更换或下单抵扣。`;
      const payload = { orderId: loaded.order.id, excess: after.excess, allowance: after.allowance };
      await tx.insert(outbox).values([
        {
          topic: 'oem_order.excess',
          recipient,
          subject: `Order ${orderNumber}: defects beyond the spares accepted — 订单 ${orderNumber}：超出备品的不良已确认`,
          body,
          payload,
        },
        {
          topic: 'oem_order.excess',
          recipient: roleRecipient('sales'),
          subject: `Order ${orderNumber} (${loaded.clientName}): ${after.excess} units beyond the spares accepted`,
          body,
          payload,
        },
      ]);
    }
    if (input.rejectUnits > 0) {
      await tx.insert(outbox).values({
        topic: 'oem_defect.rejected',
        recipient,
        subject: `Order ${orderNumber}: ${input.rejectUnits} reported units not accepted — 订单 ${orderNumber}：${input.rejectUnits} 件未被接受`,
        body:
          `QA did not accept ${input.rejectUnits} of the ${report.units} units reported on ${report.reportedOn} (lot ${report.lot}): ${reason ?? ''}\n\n` +
          `质量部门未接受 ${report.reportedOn} 报告的 ${report.units} 件中的 ${input.rejectUnits} 件（批次 ${report.lot}）：${reason ?? ''}`,
        payload: { orderId: loaded.order.id, reportId: report.id, rejected: input.rejectUnits },
      });
    }
    return { reportId: report.id, orderId: loaded.order.id, orderVersion: loaded.order.version + 1 };
  });
}
