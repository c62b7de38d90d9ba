import { and, eq, sql } from 'drizzle-orm';
import { defectReportEvidence, oemDefectReports, outbox } from '../../../db/schema.js';
import type { Actor } from '../../../domain/access/access.js';
import { calendarDateIn } from '../../../domain/calendar.js';
import { checkReviewDecision, type ReviewDecision } from '../../../domain/oem/defect-review.js';
import { assertAllowed } from '../../access.js';
import { auditActor, recordAudit } from '../../audit.js';
import { bilingual } from '../../messages/index.js';
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
      ...bilingual((m) =>
        m.oem.returnRequested({
          orderNumber,
          rmaNumber,
          units: report.units,
          reportedOn: report.reportedOn,
          lot: report.lot,
        }),
      ),
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
      const facts = { orderNumber, allowance: after.allowance, excess: after.excess };
      const payload = { orderId: loaded.order.id, excess: after.excess, allowance: after.allowance };
      await tx.insert(outbox).values([
        {
          topic: 'oem_order.excess',
          recipient,
          ...bilingual((m) => m.oem.excessAccepted(facts)),
          payload,
        },
        {
          topic: 'oem_order.excess',
          recipient: roleRecipient('sales'),
          ...bilingual((m) => m.oem.excessAcceptedForSales({ ...facts, clientName: loaded.clientName })),
          payload,
        },
      ]);
    }
    if (input.rejectUnits > 0) {
      await tx.insert(outbox).values({
        topic: 'oem_defect.rejected',
        recipient,
        ...bilingual((m) =>
          m.oem.defectsRejected({
            orderNumber,
            rejected: input.rejectUnits,
            units: report.units,
            reportedOn: report.reportedOn,
            lot: report.lot,
            reason: reason ?? null,
          }),
        ),
        payload: { orderId: loaded.order.id, reportId: report.id, rejected: input.rejectUnits },
      });
    }
    return { reportId: report.id, orderId: loaded.order.id, orderVersion: loaded.order.version + 1 };
  });
}
