import { type CalendarLength, lastDayOf, Temporal } from '../calendar.js';

export type DefectReportEntry = {
  id: string;
  reportedOn: Temporal.PlainDate;
  units: number;
  /** Units a confirmed batch-defect investigation took over: the remake covers them, not the spares. */
  coveredByRemake: boolean;
};

export type LedgerLine = {
  reportId: string;
  units: number;
  status: 'covered_by_spares' | 'excess' | 'partly_excess' | 'covered_by_remake' | 'out_of_window';
  coveredBySpares: number;
  excess: number;
};

export type DefectLedger = {
  allowance: number;
  windowEndsOn: string;
  defectsInWindow: number;
  coveredBySpares: number;
  excess: number;
  coveredByRemake: number;
  outOfWindow: number;
  sparesLeft: number;
  lines: LedgerLine[];
};

/**
 * An OEM order's ledger for the defect window from delivery: spares absorb the first defects, in the
 * order they were reported; what is beyond them is excess, for which the client chooses a remedy.
 * Computed from the reports alone, never edited by hand.
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
  const totals = { defectsInWindow: 0, coveredBySpares: 0, excess: 0, coveredByRemake: 0, outOfWindow: 0 };
  const lines: LedgerLine[] = [];
  for (const r of ordered) {
    if (Temporal.PlainDate.compare(r.reportedOn, windowEnd) > 0) {
      totals.outOfWindow += r.units;
      lines.push({ reportId: r.id, units: r.units, status: 'out_of_window', coveredBySpares: 0, excess: 0 });
      continue;
    }
    if (r.coveredByRemake) {
      totals.coveredByRemake += r.units;
      lines.push({
        reportId: r.id,
        units: r.units,
        status: 'covered_by_remake',
        coveredBySpares: 0,
        excess: 0,
      });
      continue;
    }
    const covered = Math.min(sparesLeft, r.units);
    const excess = r.units - covered;
    sparesLeft -= covered;
    totals.defectsInWindow += r.units;
    totals.coveredBySpares += covered;
    totals.excess += excess;
    const status = excess === 0 ? 'covered_by_spares' : covered === 0 ? 'excess' : 'partly_excess';
    lines.push({ reportId: r.id, units: r.units, status, coveredBySpares: covered, excess });
  }
  return { allowance: args.allowance, windowEndsOn: windowEnd.toString(), ...totals, sparesLeft, lines };
}
