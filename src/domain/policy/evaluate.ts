import { type CalendarLength, daysBetween, lastDayOf, parsePlainDate, Temporal } from '../calendar.js';
import type {
  Clause,
  CostBearer,
  Language,
  Performer,
  PolicyVersion,
  RemedyCode,
  RemedyRule,
  WindowCode,
} from './schema.js';

export type Cause = 'quality' | 'human_damage';
export const causes = ['quality', 'human_damage'] as const satisfies readonly Cause[];

export type EndUserFacts = {
  customerType: 'end_user';
  /** Calendar day of purchase in the store's time zone. */
  purchaseDate: Temporal.PlainDate;
  /** Calendar day the problem is reported, in the same time zone. */
  reportDate: Temporal.PlainDate;
  cause: Cause;
  /** A product's own warranty length, when it differs from the policy's last window. */
  warrantyOverride?: CalendarLength | undefined;
};

export type DecisionWindow = WindowCode | 'expired';

export type Remedy = {
  code: RemedyCode;
  performedBy: Performer;
  costBearer: CostBearer;
  clause: Clause;
};

export type ReasonCode = 'WITHIN_WINDOW' | 'WARRANTY_EXPIRED' | 'HUMAN_DAMAGE';
export type Reason = { code: ReasonCode; clause: Clause };

export type Decision = {
  policyVersion: string;
  window: DecisionWindow;
  daysSincePurchase: number;
  /** Last day (inclusive) on which a quality problem is still covered by the warranty. */
  warrantyEndsOn: Temporal.PlainDate;
  paid: boolean;
  remedies: Remedy[];
  reasons: Reason[];
};

export type EvaluationErrorCode = 'REPORT_BEFORE_PURCHASE' | 'NO_POLICY_IN_FORCE' | 'INVALID_POLICY';
export type EvaluationError = { code: EvaluationErrorCode; message: string };

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

const toRemedy = (rule: RemedyRule): Remedy => ({
  code: rule.code,
  performedBy: rule.performedBy,
  costBearer: rule.costBearer,
  clause: rule.clause,
});

/**
 * Decides what an end user may choose, from the policy alone. Pure and total: every pair of valid
 * dates gets a decision or a typed error, and nothing here reads a clock.
 */
export function evaluate(policy: PolicyVersion, facts: EndUserFacts): Result<Decision, EvaluationError> {
  const { purchaseDate, reportDate } = facts;
  if (Temporal.PlainDate.compare(reportDate, purchaseDate) < 0) {
    return {
      ok: false,
      error: {
        code: 'REPORT_BEFORE_PURCHASE',
        message: `the report date ${reportDate.toString()} is before the purchase date ${purchaseDate.toString()}`,
      },
    };
  }
  const windows = policy.endUser.windows;
  const last = windows[windows.length - 1];
  if (!last) {
    return { ok: false, error: { code: 'INVALID_POLICY', message: `policy ${policy.id} has no windows` } };
  }
  const daysSincePurchase = daysBetween(purchaseDate, reportDate);
  const warrantyEndsOn = lastDayOf(purchaseDate, facts.warrantyOverride ?? last.within);
  const withinWarranty = Temporal.PlainDate.compare(reportDate, warrantyEndsOn) <= 0;

  // A product with a shorter warranty closes every window at its end; a longer one stretches the last.
  const window = withinWarranty
    ? (windows.find((w) => Temporal.PlainDate.compare(reportDate, lastDayOf(purchaseDate, w.within)) <= 0) ??
      last)
    : undefined;

  const base = { policyVersion: policy.id, daysSincePurchase, warrantyEndsOn };

  if (facts.cause === 'human_damage') {
    const rule = policy.endUser.humanDamage;
    return {
      ok: true,
      value: {
        ...base,
        window: window?.code ?? 'expired',
        paid: true,
        remedies: rule.remedies.map(toRemedy),
        reasons: [{ code: 'HUMAN_DAMAGE', clause: rule.heading }],
      },
    };
  }
  if (!window) {
    const rule = policy.endUser.outOfWarranty;
    return {
      ok: true,
      value: {
        ...base,
        window: 'expired',
        paid: true,
        remedies: rule.remedies.map(toRemedy),
        reasons: [{ code: 'WARRANTY_EXPIRED', clause: rule.heading }],
      },
    };
  }
  return {
    ok: true,
    value: {
      ...base,
      window: window.code,
      paid: window.remedies.some((r) => r.costBearer === 'customer'),
      remedies: window.remedies.map(toRemedy),
      reasons: [{ code: 'WITHIN_WINDOW', clause: window.heading }],
    },
  };
}

/**
 * The version in force on a day: the latest whose effective date is on or before it. Claims are
 * decided by the version in force on the purchase date, so a later change never takes away what a
 * customer bought.
 */
export function policyInForce(
  versions: readonly PolicyVersion[],
  on: Temporal.PlainDate,
): Result<PolicyVersion, EvaluationError> {
  let best: { version: PolicyVersion; from: Temporal.PlainDate } | undefined;
  for (const version of versions) {
    const from = parsePlainDate(version.effectiveFrom);
    if ('code' in from) continue;
    if (Temporal.PlainDate.compare(from, on) > 0) continue;
    if (!best || Temporal.PlainDate.compare(from, best.from) > 0) best = { version, from };
  }
  if (!best) {
    return {
      ok: false,
      error: {
        code: 'NO_POLICY_IN_FORCE',
        message: `no policy version was in force on ${on.toString()}`,
      },
    };
  }
  return { ok: true, value: best.version };
}

/** Picks the version in force on the purchase date and evaluates the facts against it. */
export function decide(
  versions: readonly PolicyVersion[],
  facts: EndUserFacts,
): Result<Decision, EvaluationError> {
  const policy = policyInForce(versions, facts.purchaseDate);
  if (!policy.ok) return policy;
  return evaluate(policy.value, facts);
}

/** How a clause is quoted to a reader: its number, then its words. */
export function quoteClause(clause: Clause, lang: Language): string {
  return lang === 'zh' ? `${clause.label.zh}：${clause.text.zh}` : `${clause.label.en}: ${clause.text.en}`;
}
