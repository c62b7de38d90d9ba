import { type Decision, quoteClause } from '../../domain/policy/evaluate.js';
import type { Language } from '../../domain/policy/schema.js';

/** The public shape of a decision (API and `aftersales evaluate --json`): clauses quoted for the reader. */
export function presentDecision(decision: Decision, lang: Language) {
  return {
    policyVersion: decision.policyVersion,
    window: decision.window,
    daysSincePurchase: decision.daysSincePurchase,
    paid: decision.paid,
    remedies: decision.remedies.map((r) => ({
      code: r.code,
      performedBy: r.performedBy,
      costBearer: r.costBearer,
      clause: quoteClause(r.clause, lang),
    })),
  };
}
