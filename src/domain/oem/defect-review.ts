/*
 * QA's review of an OEM client's defect report: units beyond the order's spares are owed only once QA
 * accepted them — from the evidence the client attached, or from the returned units inspected against a
 * return (RMA) number — and QA may reject units with a reason the client reads.
 */

export const reviewBases = ['evidence', 'returned_units'] as const;
export type ReviewBasis = (typeof reviewBases)[number];

export const MAX_REJECTION_REASON_LENGTH = 1000;

export type ReviewDecision = {
  acceptUnits: number;
  rejectUnits: number;
  basis?: ReviewBasis | undefined;
  reason?: string | undefined;
};

export type ReviewProblem = {
  code:
    | 'NOTHING_DECIDED'
    | 'UNITS_EXCEED_UNDECIDED'
    | 'BASIS_REQUIRED'
    | 'EVIDENCE_REQUIRED'
    | 'RETURN_NOT_REQUESTED'
    | 'REASON_REQUIRED';
  message: string;
  field: 'acceptUnits' | 'rejectUnits' | 'basis' | 'reason';
};

/** Checks a decision on a report's undecided units; pure, the caller writes it under the order's lock. */
export function checkReviewDecision(
  report: {
    units: number;
    acceptedUnits: number;
    rejectedUnits: number;
    evidence: number;
    rmaNumber: string | null;
  },
  d: ReviewDecision,
): { ok: true } | { ok: false; problem: ReviewProblem } {
  const fail = (code: ReviewProblem['code'], message: string, field: ReviewProblem['field']) =>
    ({ ok: false, problem: { code, message, field } }) as const;
  const undecided = report.units - report.acceptedUnits - report.rejectedUnits;
  if (d.acceptUnits + d.rejectUnits === 0) {
    return fail('NOTHING_DECIDED', 'accept or reject at least one unit', 'acceptUnits');
  }
  if (d.acceptUnits + d.rejectUnits > undecided) {
    return fail(
      'UNITS_EXCEED_UNDECIDED',
      `${undecided} units of the report wait for a decision, not ${d.acceptUnits + d.rejectUnits}`,
      'acceptUnits',
    );
  }
  if (d.acceptUnits > 0) {
    if (!d.basis)
      return fail(
        'BASIS_REQUIRED',
        'say what the acceptance rests on: the evidence or the returned units',
        'basis',
      );
    if (d.basis === 'evidence' && report.evidence === 0) {
      return fail(
        'EVIDENCE_REQUIRED',
        'the report has no evidence: ask for the units back (a return number) instead',
        'basis',
      );
    }
    if (d.basis === 'returned_units' && !report.rmaNumber) {
      return fail(
        'RETURN_NOT_REQUESTED',
        'no return number was given for the report: request the units back first',
        'basis',
      );
    }
  }
  if (d.rejectUnits > 0 && !d.reason?.trim()) {
    return fail('REASON_REQUIRED', 'say why the units are rejected: the client reads it', 'reason');
  }
  return { ok: true };
}
