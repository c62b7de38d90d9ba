import { z } from 'zod';
import { epochDay, type Temporal } from '../calendar.js';
import { wilsonInterval } from '../oem/early-warning.js';

type CalendarDate = Temporal.PlainDate;

/*
 * Warranty fraud signals (issue 14, item 6). Each rule is a pure function of counts the shell reads
 * from the database, answers whether it raises a flag, and says why in numbers that a person can check
 * on screen (the words live in the web catalogues under `risk.signal.<code>`). A flag never refuses
 * anything by itself: it sends the claim, remedy or credit to a person's review queue, and nothing
 * flagged pays out before that person approves.
 *
 * Every rule is monotone in the direction of suspicion — one more claim, one more duplicate, a higher
 * rate — so that a better-looking case is never flagged where a worse one would not be (property-tested
 * in signals.test.ts).
 */

export const riskSignalCodes = [
  'duplicate_serial',
  'duplicate_proof',
  'frequent_claims',
  'late_registration',
  'dealer_remedy_outlier',
  'oem_excess_outlier',
] as const;
export type RiskSignalCode = (typeof riskSignalCodes)[number];

/** What each flag is about: the object that waits for review when it is raised. */
export const riskSubjectKinds = ['claim', 'reimbursement', 'excess_resolution'] as const;
export type RiskSubjectKind = (typeof riskSubjectKinds)[number];

/**
 * The thresholds an admin edits. Defaults (documented in docs/fraud-signals.md) are set to be quiet on
 * an honest business: a customer claims rarely, registers well before a fault, and a dealer or client
 * is only an outlier when even the optimistic end of its rate is well above its peers'.
 */
export const riskSettingsSchema = z
  .object({
    /** More claims than this by one customer within 12 months flags the next one. */
    maxClaimsPer12Months: z.int().min(1).max(1000),
    /** A registration made this many days or fewer before its claim counts as "late". */
    lateRegistrationDays: z.int().min(0).max(365),
    /** A customer's claims on late registrations, this one included, at which the flag is raised. */
    lateRegistrationRepeats: z.int().min(1).max(100),
    /** Fewer sales (or delivered units) than this and a rate says too little to flag anyone. */
    outlierMinSample: z.int().min(1).max(1_000_000),
    /**
     * A dealer (or OEM client) is an outlier when the lower bound of its rate's 95 % interval exceeds
     * its peers' pooled rate times this factor, in hundredths (200 = twice the peers' rate).
     */
    outlierFactorPercent: z.int().min(100).max(10_000),
  })
  .strict();
export type RiskSettings = z.infer<typeof riskSettingsSchema>;

export const defaultRiskSettings: RiskSettings = {
  maxClaimsPer12Months: 3,
  lateRegistrationDays: 3,
  lateRegistrationRepeats: 2,
  outlierMinSample: 20,
  outlierFactorPercent: 200,
};

/** The numbers behind a flag, shown beside it so a reviewer can check the rule's arithmetic. */
export type RiskSignal = {
  code: RiskSignalCode;
  /** Whole numbers and rates in [0, 1]; the catalogue's sentence names them. */
  facts: Record<string, number | string>;
};

/** A serial, or a proof of purchase with the same SHA-256, that other purchases also carry. */
export function duplicateSerialSignal(otherPurchasesWithSerial: number): RiskSignal | null {
  return otherPurchasesWithSerial > 0
    ? { code: 'duplicate_serial', facts: { otherPurchases: otherPurchasesWithSerial } }
    : null;
}

export function duplicateProofSignal(otherPurchasesWithSameProof: number): RiskSignal | null {
  return otherPurchasesWithSameProof > 0
    ? { code: 'duplicate_proof', facts: { otherPurchases: otherPurchasesWithSameProof } }
    : null;
}

/** The first day of the 12 months that end on `day` (inclusive): a year back, plus one day. */
export function twelveMonthsBefore(day: CalendarDate): CalendarDate {
  return day.subtract({ years: 1 }).add({ days: 1 });
}

/**
 * A customer with more than N claims in the 12 months up to this claim, this one included.
 * `claimDays` are the calendar days the customer's claims were reported on.
 */
export function frequentClaimsSignal(
  claimDays: readonly CalendarDate[],
  on: CalendarDate,
  settings: Pick<RiskSettings, 'maxClaimsPer12Months'>,
): RiskSignal | null {
  const from = epochDay(twelveMonthsBefore(on));
  const to = epochDay(on);
  const count = claimDays.filter((d) => {
    const e = epochDay(d);
    return e >= from && e <= to;
  }).length;
  return count > settings.maxClaimsPer12Months
    ? { code: 'frequent_claims', facts: { claims: count, limit: settings.maxClaimsPer12Months } }
    : null;
}

/** One of the customer's claims: the day it was reported and the day its purchase was registered. */
export type ClaimOnRegistration = { registeredOn: CalendarDate; reportedOn: CalendarDate };

/** Days between registering the product and claiming on it; never negative. */
export function registrationLeadDays(c: ClaimOnRegistration): number {
  return Math.max(0, epochDay(c.reportedOn) - epochDay(c.registeredOn));
}

/**
 * Registering a product days before claiming on it happens to honest people once; repeatedly, it is
 * the pattern of buying the warranty after the fault. Raised when this claim is late and the customer's
 * late claims, this one included, reach the repeat threshold.
 */
export function lateRegistrationSignal(
  current: ClaimOnRegistration,
  earlier: readonly ClaimOnRegistration[],
  settings: Pick<RiskSettings, 'lateRegistrationDays' | 'lateRegistrationRepeats'>,
): RiskSignal | null {
  const late = (c: ClaimOnRegistration) => registrationLeadDays(c) <= settings.lateRegistrationDays;
  if (!late(current)) return null;
  const lateClaims = 1 + earlier.filter(late).length;
  return lateClaims >= settings.lateRegistrationRepeats
    ? {
        code: 'late_registration',
        facts: {
          leadDays: registrationLeadDays(current),
          lateClaims,
          withinDays: settings.lateRegistrationDays,
        },
      }
    : null;
}

/** A party's count of events (remedies, accepted excess units) against its base (sales, units). */
export type RateSample = { events: number; base: number };

/**
 * An outlier against peers: the lower bound of the party's 95 % Wilson interval (as the lot early
 * warning uses) above the peers' pooled rate times the factor. The lower bound is what keeps a small
 * dealer with one unlucky refund out of the queue: with few sales the interval is wide.
 */
export function outlierSignal(
  code: 'dealer_remedy_outlier' | 'oem_excess_outlier',
  party: RateSample,
  peers: RateSample,
  settings: Pick<RiskSettings, 'outlierMinSample' | 'outlierFactorPercent'>,
): RiskSignal | null {
  // Too little on either side to compare: a lone dealer or client has no peers to stand out from.
  if (party.base < settings.outlierMinSample || party.base <= 0) return null;
  if (peers.base < settings.outlierMinSample) return null;
  const peersRate = peers.base > 0 ? Math.min(1, peers.events / peers.base) : 0;
  const { lower } = wilsonInterval(party.events, party.base);
  const bar = (peersRate * settings.outlierFactorPercent) / 100;
  if (!(lower > bar)) return null;
  return {
    code,
    facts: {
      events: party.events,
      base: party.base,
      rate: Math.min(1, party.events / party.base),
      lowerBound: lower,
      peersRate,
      factorPercent: settings.outlierFactorPercent,
    },
  };
}

/**
 * A dealer's refund-or-replacement rate per product against the other dealers of the same product:
 * flagged when it is an outlier on any product it sells (the first such product's numbers shown).
 */
export function dealerRemedyOutlierSignal(
  perProduct: readonly { productSku: string; dealer: RateSample; peers: RateSample }[],
  settings: Pick<RiskSettings, 'outlierMinSample' | 'outlierFactorPercent'>,
): RiskSignal | null {
  for (const p of perProduct) {
    const signal = outlierSignal('dealer_remedy_outlier', p.dealer, p.peers, settings);
    if (signal) return { ...signal, facts: { ...signal.facts, productSku: p.productSku } };
  }
  return null;
}

/** An OEM client's accepted excess units per delivered unit against the other clients'. */
export function oemExcessOutlierSignal(
  client: RateSample,
  peers: RateSample,
  settings: Pick<RiskSettings, 'outlierMinSample' | 'outlierFactorPercent'>,
): RiskSignal | null {
  return outlierSignal('oem_excess_outlier', client, peers, settings);
}

/** Every signal raised, none null: what a review shows. */
export function raisedSignals(signals: readonly (RiskSignal | null)[]): RiskSignal[] {
  return signals.filter((s): s is RiskSignal => s !== null);
}
