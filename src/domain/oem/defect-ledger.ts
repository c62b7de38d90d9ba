import { type CalendarLength, lastDayOf, Temporal } from '../calendar.js';

export type DefectReportEntry = {
  id: string;
  reportedOn: Temporal.PlainDate;
  units: number;
  /** Units a confirmed batch-defect investigation took over: the remake covers them, not the spares. */
  coveredByRemake: boolean;
  /**
   * Units QA accepted as defective (from the evidence or the returned units) and units it rejected.
   * Left out: a report QA accepted whole (what reports booked before QA's review were migrated to).
   */
  acceptedUnits?: number | undefined;
  rejectedUnits?: number | undefined;
};

export type LedgerLine = {
  reportId: string;
  units: number;
  status:
    | 'covered_by_spares'
    | 'excess'
    | 'partly_excess'
    | 'awaiting_qa'
    | 'rejected'
    | 'covered_by_remake'
    | 'out_of_window';
  coveredBySpares: number;
  /** Units beyond the spares that QA accepted: only these may become a credit or a replacement. */
  excess: number;
  /** Units beyond the spares QA has not decided on yet: nothing is owed for them until it does. */
  awaitingQa: number;
  /** Units QA rejected (with a reason the client sees): they use no spares and are owed nothing. */
  rejected: number;
};

export type DefectLedger = {
  allowance: number;
  windowEndsOn: string;
  defectsInWindow: number;
  coveredBySpares: number;
  excess: number;
  awaitingQa: number;
  rejected: number;
  coveredByRemake: number;
  outOfWindow: number;
  sparesLeft: number;
  lines: LedgerLine[];
};

/** A report's units QA has not decided on. */
export function undecidedUnits(
  r: Pick<DefectReportEntry, 'units' | 'acceptedUnits' | 'rejectedUnits'>,
): number {
  return r.units - (r.acceptedUnits ?? r.units) - (r.rejectedUnits ?? 0);
}

/**
 * An OEM order's ledger for the defect window from delivery: spares absorb the first defects at once,
 * in the order they were reported (the policy's promise, clauses OEM 1/2), whether QA looked at them or
 * not; what is beyond them is excess — for which the client chooses a remedy — only as far as QA
 * accepted those units. The rest waits for QA; units QA rejected use no spares and are owed nothing.
 * Within a report, the spares take the units QA has not accepted first, so that every accepted unit
 * beyond them counts. Computed from the reports and QA's decisions alone, never edited by hand.
 */
export function defectLedger(args: {
  allowance: number;
  deliveredOn: Temporal.PlainDate;
  defectWindow: CalendarLength;
  reports: readonly DefectReportEntry[];
}): DefectLedger {
  const windowEnd = lastDayOf(args.deliveredOn, args.defectWindow);
  // Ties keep the id order, so the same reports always give the same ledger.
  const ordered = [...args.reports].sort(
    (a, b) => Temporal.PlainDate.compare(a.reportedOn, b.reportedOn) || a.id.localeCompare(b.id),
  );
  let sparesLeft = args.allowance;
  const totals = {
    defectsInWindow: 0,
    coveredBySpares: 0,
    excess: 0,
    awaitingQa: 0,
    rejected: 0,
    coveredByRemake: 0,
    outOfWindow: 0,
  };
  const none = { coveredBySpares: 0, excess: 0, awaitingQa: 0, rejected: 0 };
  const lines: LedgerLine[] = [];
  for (const r of ordered) {
    if (Temporal.PlainDate.compare(r.reportedOn, windowEnd) > 0) {
      totals.outOfWindow += r.units;
      lines.push({ reportId: r.id, units: r.units, status: 'out_of_window', ...none });
      continue;
    }
    if (r.coveredByRemake) {
      totals.coveredByRemake += r.units;
      lines.push({
        reportId: r.id,
        units: r.units,
        status: 'covered_by_remake',
        ...none,
      });
      continue;
    }
    const rejected = Math.min(r.units, Math.max(0, r.rejectedUnits ?? 0));
    const accepted = Math.min(r.units - rejected, Math.max(0, r.acceptedUnits ?? r.units - rejected));
    const counted = r.units - rejected;
    const covered = Math.min(sparesLeft, counted);
    const beyond = counted - covered;
    const excess = Math.min(beyond, accepted);
    const awaitingQa = beyond - excess;
    sparesLeft -= covered;
    totals.defectsInWindow += r.units;
    totals.coveredBySpares += covered;
    totals.excess += excess;
    totals.awaitingQa += awaitingQa;
    totals.rejected += rejected;
    const status =
      awaitingQa > 0
        ? 'awaiting_qa'
        : excess > 0
          ? covered === 0
            ? 'excess'
            : 'partly_excess'
          : covered > 0 || counted > 0
            ? 'covered_by_spares'
            : 'rejected';
    lines.push({
      reportId: r.id,
      units: r.units,
      status,
      coveredBySpares: covered,
      excess,
      awaitingQa,
      rejected,
    });
  }
  return { allowance: args.allowance, windowEndsOn: windowEnd.toString(), ...totals, sparesLeft, lines };
}
