import { Temporal } from '../calendar.js';

/*
 * Whether a purchase is known to have happened as recorded (issue 14: no party's word alone moves money).
 * A sale its dealer recorded — or the maker's staff for the dealer — is the seller's word and is
 * `verified` from the start. A customer's own registration is their word alone: `pending` until a
 * dealer's record of the same unit matches it, or the dealer it names (or support) checks the proof and
 * confirms it — as it is, or corrected — or rejects it. Only a verified purchase can have a refund, a
 * replacement or a free repair carried out on it.
 */

export const verificationStates = ['pending', 'verified', 'rejected'] as const;
export type VerificationState = (typeof verificationStates)[number];

/**
 * What moves a registration: `match` (the dealer's own sale of the unit was recorded and names the same
 * buyer), `confirm` (the proof checked, as registered), `correct` (confirmed with its date and/or dealer
 * corrected), `reject` (with a reason the customer sees), `supersede` (the dealer recorded the unit as
 * sold to someone else: the dealer's record wins, and the registration is rejected with that reason).
 */
export const verificationEvents = ['match', 'confirm', 'correct', 'reject', 'supersede'] as const;
export type VerificationEvent = (typeof verificationEvents)[number];

/** The whole life of a verification, as data. Verified and rejected are final. */
export const verificationTransitions = {
  pending: {
    match: 'verified',
    confirm: 'verified',
    correct: 'verified',
    reject: 'rejected',
    supersede: 'rejected',
  },
  verified: {},
  rejected: {},
} as const satisfies Record<VerificationState, Partial<Record<VerificationEvent, VerificationState>>>;

export type VerificationMove =
  | { ok: true; to: VerificationState }
  | { ok: false; code: 'PURCHASE_NOT_PENDING'; from: VerificationState; allowed: VerificationEvent[] };

export function moveVerification(from: VerificationState, event: VerificationEvent): VerificationMove {
  const row: Partial<Record<VerificationEvent, VerificationState>> = verificationTransitions[from];
  const to = row[event];
  if (to !== undefined) return { ok: true, to };
  return { ok: false, code: 'PURCHASE_NOT_PENDING', from, allowed: Object.keys(row) as VerificationEvent[] };
}

/** Who put the purchase on record. */
export type RecordedByKind = 'dealer' | 'maker' | 'customer';

/** A dealer's (or the maker's) record is the seller's word; a customer's registration waits for one. */
export function initialVerification(by: RecordedByKind): VerificationState {
  return by === 'customer' ? 'pending' : 'verified';
}

/** A rejected registration holds nothing: its unit and its receipt are free for another purchase. */
export const isLive = (state: VerificationState): boolean => state !== 'rejected';

/** A refund, a replacement or a free repair is carried out on a verified purchase only. */
export const allowsRemedy = (state: VerificationState): boolean => state === 'verified';

/** Why a registration was rejected: the checker's own words, or the dealer's record of another buyer. */
export const rejectionCodes = ['REJECTED_BY_CHECKER', 'SOLD_TO_ANOTHER_BUYER'] as const;
export type RejectionCode = (typeof rejectionCodes)[number];

export const MAX_REJECTION_REASON_LENGTH = 500;

export type PurchaseDateProblem = {
  code: 'PURCHASE_BEFORE_UNIT_MADE';
  message: string;
  madeOn: string;
};

/**
 * A unit cannot be bought before it left the maker. `madeOn` is the best the system knows of that day
 * (the unit's record: null when the unit was first seen in a sale and nobody said). Same day is fine.
 */
export function purchaseDateProblem(
  purchaseDate: Temporal.PlainDate,
  madeOn: Temporal.PlainDate | null,
): PurchaseDateProblem | null {
  if (madeOn === null || Temporal.PlainDate.compare(purchaseDate, madeOn) >= 0) return null;
  return {
    code: 'PURCHASE_BEFORE_UNIT_MADE',
    message: `the purchase date ${purchaseDate.toString()} is before the unit left the maker (${madeOn.toString()})`,
    madeOn: madeOn.toString(),
  };
}

export type PurchaseFacts = { purchaseDate: string; dealerId: string | null };
export type Change<T> = { from: T; to: T };
export type PurchaseChanges = {
  purchaseDate?: Change<string>;
  dealerId?: Change<string | null>;
};

/** What a correction changes, from → to: only the fields that really differ, for the audit log. */
export function changesOf(current: PurchaseFacts, corrected: Partial<PurchaseFacts>): PurchaseChanges {
  const changes: PurchaseChanges = {};
  if (corrected.purchaseDate !== undefined && corrected.purchaseDate !== current.purchaseDate) {
    changes.purchaseDate = { from: current.purchaseDate, to: corrected.purchaseDate };
  }
  if (corrected.dealerId !== undefined && corrected.dealerId !== current.dealerId) {
    changes.dealerId = { from: current.dealerId, to: corrected.dealerId };
  }
  return changes;
}

/**
 * The dealer's sale of a unit meets a pending registration of it: the same buyer makes one purchase of
 * the two (the registration, verified with the dealer's date and dealer); another buyer means the
 * dealer's record stands and the registration is rejected.
 */
export function dealerSaleMeetsRegistration(sameBuyer: boolean): 'match' | 'supersede' {
  return sameBuyer ? 'match' : 'supersede';
}
