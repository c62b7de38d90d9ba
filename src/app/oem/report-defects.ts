import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn, Temporal } from '../../domain/calendar.js';
import { checkDefectReport, type DefectReportInput } from '../../domain/oem/defect-report.js';
import { assertAllowed } from '../access.js';
import { AppError } from '../errors.js';
import { checkAgainstOrders, writeReports } from './defect-writes.js';
import { checkEvidence, loadOrder, lotsOf, type OemDeps, orderNotFound } from './oem-records.js';
import { type DefectReportView, defectReportViews } from './read-oem-orders.js';

export type ReportDefectsInput = DefectReportInput & { evidenceUploadIds?: readonly string[] | undefined };

/**
 * An OEM client reports defective units of one of its orders (support may record one for it): the
 * lot must be the order's, the units a count or the serials, with the evidence files uploaded first.
 * The order is locked while its other reports are checked, so two reports never overrun a lot.
 */
export async function reportDefects(
  deps: OemDeps,
  actor: Actor,
  orderId: string,
  input: ReportDefectsInput,
): Promise<DefectReportView> {
  const versions = await deps.policies.versions();
  const now = deps.now();
  const today = calendarDateIn(now, deps.storeTimeZone);
  const [written] = await deps.db.transaction(async (tx) => {
    const loaded = await loadOrder(tx, orderId, true);
    if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
    assertAllowed(actor, 'oemDefects.report', { oemClientId: loaded.order.clientId }, orderNotFound);
    if (loaded.order.state !== 'confirmed') {
      throw new AppError(
        'conflict',
        'ORDER_NOT_CONFIRMED',
        `order ${loaded.order.orderNumber} is ${loaded.order.state}: defects are reported on confirmed orders`,
        { state: loaded.order.state },
      );
    }
    const checked = checkDefectReport(input, {
      lots: lotsOf(loaded.order),
      deliveryDate: Temporal.PlainDate.from(loaded.order.deliveryDate),
      today,
      timeZone: deps.storeTimeZone,
    });
    const problems = checked.ok
      ? await checkAgainstOrders(tx, [{ row: 0, order: loaded, report: checked.report }])
      : checked.problems;
    const first = problems[0];
    if (!checked.ok || first) {
      throw new AppError(
        'invalid',
        first?.code ?? 'DEFECT_REPORT_INVALID',
        first?.message ?? 'the report is invalid',
        {
          field: first?.field,
          problems: problems.map((p) => ({ field: p.field, code: p.code, message: p.message })),
        },
      );
    }
    const evidence = await checkEvidence(tx, actor, input.evidenceUploadIds ?? []);
    return writeReports(tx, {
      actor,
      versions,
      pending: [{ row: 0, order: loaded, report: checked.report, evidenceUploadIds: evidence }],
      source: 'api',
      today,
      now,
    });
  });
  if (!written) throw new Error('no report was written');
  const order = await loadOrder(deps.db, orderId);
  const [view] = await defectReportViews(deps.db, [written], () => order?.order.orderNumber ?? '');
  if (!view) throw new Error('no view of the written report');
  return view;
}
