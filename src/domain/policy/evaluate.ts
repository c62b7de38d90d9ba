import {
  type CalendarLength,
  epochDay,
  isoDateOfEpochDay,
  lastEpochDayOf,
  parsePlainDate,
  type Temporal,
} from '../calendar.js';
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
  /** Last day (inclusive, YYYY-MM-DD) on which a quality problem is still covered by the warranty. */
  warrantyEndsOn: string;
  paid: boolean;
  /** Shared between decisions of one rule, hence read-only. */
  remedies: readonly Remedy[];
  reasons: readonly Reason[];
};

export type EvaluationErrorCode = 'REPORT_BEFORE_PURCHASE' | 'NO_POLICY_IN_FORCE' | 'INVALID_POLICY';
export type EvaluationError = { code: EvaluationErrorCode; message: string };

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** What every decision in one rule shares: built once per policy version, never copied per decision. */
type Outcome = { paid: boolean; remedies: readonly Remedy[]; reasons: readonly Reason[] };
type CompiledPolicy = {
  windows: readonly { code: WindowCode; within: CalendarLength; outcome: Outcome }[];
  outOfWarranty: Outcome;
  humanDamage: Outcome;
};

const outcomeOf = (code: ReasonCode, heading: Clause, rules: readonly RemedyRule[]): Outcome =>
  Object.freeze({
    paid: rules.some((r) => r.costBearer === 'customer'),
    remedies: Object.freeze(rules.map((r) => Object.freeze({ ...r }))),
    reasons: Object.freeze([Object.freeze({ code, clause: heading })]),
  });

// Policy versions are immutable values: what is compiled from one stays true for it.
const compiledPolicies = new WeakMap<PolicyVersion, CompiledPolicy>();
function compile(policy: PolicyVersion): CompiledPolicy {
  let compiled = compiledPolicies.get(policy);
  if (!compiled) {
    const { windows, outOfWarranty, humanDamage } = policy.endUser;
    compiled = {
      windows: windows.map((w) => ({
        code: w.code,
        within: w.within,
        outcome: outcomeOf('WITHIN_WINDOW', w.heading, w.remedies),
      })),
      outOfWarranty: outcomeOf('WARRANTY_EXPIRED', outOfWarranty.heading, outOfWarranty.remedies),
      // Misuse is never the maker's cost, whatever the policy's remedy list says.
      humanDamage: { ...outcomeOf('HUMAN_DAMAGE', humanDamage.heading, humanDamage.remedies), paid: true },
    };
    compiledPolicies.set(policy, compiled);
  }
  return compiled;
}

/**
 * Decides what an end user may choose, from the policy alone. Pure and total: every pair of valid
 * dates gets a decision or a typed error, and nothing here reads a clock.
 */
export function evaluate(policy: PolicyVersion, facts: EndUserFacts): Result<Decision, EvaluationError> {
  const { purchaseDate, reportDate } = facts;
  const purchased = epochDay(purchaseDate);
  const reported = epochDay(reportDate);
  if (reported < purchased) {
    return {
      ok: false,
      error: {
        code: 'REPORT_BEFORE_PURCHASE',
        message: `the report date ${reportDate.toString()} is before the purchase date ${purchaseDate.toString()}`,
      },
    };
  }
  const { windows, outOfWarranty, humanDamage } = compile(policy);
  const last = windows[windows.length - 1];
  if (!last) {
    return { ok: false, error: { code: 'INVALID_POLICY', message: `policy ${policy.id} has no windows` } };
  }
  const { year, month, day } = purchaseDate;
  const warrantyEnd = lastEpochDayOf(year, month, day, facts.warrantyOverride ?? last.within);

  // A product with a shorter warranty closes every window at its end; a longer one stretches the last.
  let window: (typeof windows)[number] | undefined;
  if (reported <= warrantyEnd) {
    window = last;
    for (const w of windows) {
      if (reported <= lastEpochDayOf(year, month, day, w.within)) {
        window = w;
        break;
      }
    }
  }
  const outcome = facts.cause === 'human_damage' ? humanDamage : (window?.outcome ?? outOfWarranty);
  return {
    ok: true,
    value: {
      policyVersion: policy.id,
      window: window?.code ?? 'expired',
      daysSincePurchase: reported - purchased,
      warrantyEndsOn: isoDateOfEpochDay(warrantyEnd),
      paid: outcome.paid,
      remedies: outcome.remedies,
      reasons: outcome.reasons,
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
  const day = epochDay(on);
  let best: { version: PolicyVersion; from: number } | undefined;
  for (const version of versions) {
    const from = effectiveEpochDay(version);
    if (from === undefined || from > day) continue;
    if (!best || from > best.from) best = { version, from };
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

/** Versions are immutable values, so their parsed effective day can be remembered beside them. */
const effectiveDays = new WeakMap<PolicyVersion, number | undefined>();
function effectiveEpochDay(version: PolicyVersion): number | undefined {
  if (effectiveDays.has(version)) return effectiveDays.get(version);
  const from = parsePlainDate(version.effectiveFrom);
  const value = 'code' in from ? undefined : epochDay(from);
  effectiveDays.set(version, value);
  return value;
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
