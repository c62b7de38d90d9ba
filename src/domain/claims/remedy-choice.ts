import type { Clause, RemedyCode } from '../policy/schema.js';
import type { Decision } from '../policy/evaluate.js';

export type RemedyChoiceError = {
  code: 'REMEDY_NOT_OFFERED';
  message: string;
  offered: readonly RemedyCode[];
  /** The clause that decided the claim: why this remedy is not among the choices. */
  clause: Clause | undefined;
};

/**
 * A customer picks one of the remedies the claim's stored decision offered — the decision made when the
 * claim was reported, under the policy version in force on the purchase date, not whatever today's
 * policy would say.
 */
export function chooseRemedy(
  decision: Decision,
  choice: RemedyCode,
): { ok: true } | { ok: false; error: RemedyChoiceError } {
  const offered = decision.remedies.map((r) => r.code);
  if (offered.includes(choice)) return { ok: true };
  return {
    ok: false,
    error: {
      code: 'REMEDY_NOT_OFFERED',
      message: `${choice} is not offered for this claim (day ${decision.daysSincePurchase}, window ${decision.window}); the choices are ${offered.join(', ')}`,
      offered,
      clause: decision.reasons[0]?.clause,
    },
  };
}

/**
 * What a dealer may carry out at the counter: a refund or a same-type replacement, only where the
 * claim's decision offered it — a refund within 7 days, a replacement within 60 — and never for misuse.
 */
export function dealerMayPerform(
  decision: Decision,
  action: 'refund' | 'replacement',
): { ok: true } | { ok: false; error: RemedyChoiceError } {
  const allowed = decision.remedies.some((r) => r.code === action && r.performedBy === 'dealer');
  if (allowed) return { ok: true };
  const clause = decision.reasons[0]?.clause;
  return {
    ok: false,
    error: {
      code: 'REMEDY_NOT_OFFERED',
      message: `a dealer ${action} is not allowed for this claim: ${clause ? `${clause.label.en} — ${clause.text.en}` : decision.window}`,
      offered: decision.remedies.map((r) => r.code),
      clause,
    },
  };
}
