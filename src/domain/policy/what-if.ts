import { type CalendarLength, parsePlainDate } from '../calendar.js';
import { type Cause, type Decision, type DecisionWindow, evaluate } from './evaluate.js';
import { type PolicyVersion, type RemedyCode, remedyCodes } from './schema.js';

/*
 * "What if": stored claims replayed through the pure engine under a draft policy version and under the
 * published version it would succeed, compared decision by decision. A fold over batches of rows, so
 * the caller can stream a keyset scan through it and never hold every claim at once; no I/O, no clock.
 */

/** One stored claim, as much of it as a decision needs, plus what the customer chose. */
export type ReplayClaim = {
  productId: string;
  /** YYYY-MM-DD, the store's calendar. */
  purchaseDate: string;
  reportedOn: string;
  cause: Cause;
  chosenRemedy: RemedyCode | null;
  /** The product's own warranty length, as the claim's decision used it. */
  warrantyOverride: CalendarLength | null;
};

/** What the replay has counted so far: small (products × remedies²), whatever the number of claims. */
export type WhatIfTally = {
  claims: number;
  /** Claims the engine refuses to decide (a report dated before its purchase): left out of the rest. */
  undecidable: number;
  /** Whether the customer pays, or the remedies offered, differ. */
  decisionsDiffer: number;
  /** Out of warranty (or paid) under the published version, covered under the draft; and the reverse. */
  newlyCovered: number;
  newlyUncovered: number;
  /** `from>to` → claims whose remedy moves, per product: `productId|from|to`. */
  moves: Readonly<Record<string, number>>;
};

export const emptyTally: WhatIfTally = Object.freeze({
  claims: 0,
  undecidable: 0,
  decisionsDiffer: 0,
  newlyCovered: 0,
  newlyUncovered: 0,
  moves: Object.freeze({}),
});

const sameCodes = (a: Decision, b: Decision): boolean =>
  a.remedies.length === b.remedies.length && a.remedies.every((r, i) => r.code === b.remedies[i]?.code);

/**
 * Whether two decisions give the customer a different choice: whether they pay, or the remedies offered.
 * Clause wording is not a different decision, nor is a window's name alone (misuse is paid service in
 * or out of the warranty).
 */
export function decisionsDiffer(a: Decision, b: Decision): boolean {
  return a.paid !== b.paid || !sameCodes(a, b);
}

const covered = (d: Decision): boolean => d.window !== ('expired' satisfies DecisionWindow) && !d.paid;

/**
 * The remedy a claim ends in under the published version: what the customer chose when it is one
 * that version offers, else the first it offers (the policy lists the maker's remedies first).
 */
export function remedyUnder(decision: Decision, chosen: RemedyCode | null): RemedyCode {
  const codes = decision.remedies.map((r) => r.code);
  if (chosen !== null && codes.includes(chosen)) return chosen;
  // Every rule has at least one remedy (policyVersionSchema); paid service is the last resort.
  return codes[0] ?? 'paid_service';
}

/**
 * The remedy the same claim would end in under the draft: the customer keeps the remedy they had when
 * the draft still offers it, else takes the draft's first. A conservative reading: a customer who
 * chose a replacement is not assumed to switch to a refund the draft newly allows.
 */
export function remedyUnderDraft(draft: Decision, baselineRemedy: RemedyCode): RemedyCode {
  return remedyUnder(draft, baselineRemedy);
}

const moveKey = (productId: string, from: RemedyCode, to: RemedyCode) => `${productId}|${from}|${to}`;

/**
 * Adds one batch of claims to the tally: each decided under `baseline` and under `draft`. Returns a new
 * tally; the one given is left as it was.
 */
export function replayBatch(
  tally: WhatIfTally,
  baseline: PolicyVersion,
  draft: PolicyVersion,
  batch: readonly ReplayClaim[],
): WhatIfTally {
  let { claims, undecidable, decisionsDiffer: differ, newlyCovered, newlyUncovered } = tally;
  const moves: Record<string, number> = { ...tally.moves };
  // Claims share days (three years are some 1,100 of them): each is parsed once per batch.
  const days = new Map<string, ReturnType<typeof parsePlainDate>>();
  const dayOf = (text: string) => {
    let parsed = days.get(text);
    if (parsed === undefined) {
      parsed = parsePlainDate(text);
      days.set(text, parsed);
    }
    return parsed;
  };
  for (const claim of batch) {
    claims++;
    const purchaseDate = dayOf(claim.purchaseDate);
    const reportDate = dayOf(claim.reportedOn);
    if ('code' in purchaseDate || 'code' in reportDate) {
      undecidable++;
      continue;
    }
    const facts = {
      customerType: 'end_user' as const,
      purchaseDate,
      reportDate,
      cause: claim.cause,
      warrantyOverride: claim.warrantyOverride ?? undefined,
    };
    const before = evaluate(baseline, facts);
    const after = evaluate(draft, facts);
    if (!before.ok || !after.ok) {
      undecidable++;
      continue;
    }
    if (decisionsDiffer(before.value, after.value)) differ++;
    const wasCovered = covered(before.value);
    const isCovered = covered(after.value);
    if (!wasCovered && isCovered) newlyCovered++;
    if (wasCovered && !isCovered) newlyUncovered++;
    const from = remedyUnder(before.value, claim.chosenRemedy);
    const to = remedyUnderDraft(after.value, from);
    if (from !== to) {
      const key = moveKey(claim.productId, from, to);
      moves[key] = (moves[key] ?? 0) + 1;
    }
  }
  return { claims, undecidable, decisionsDiffer: differ, newlyCovered, newlyUncovered, moves };
}

/** What one remedy of one product has cost the maker on average, in one currency. */
export type RemedyCost = { averageMinor: number; currency: string; observations: number };
/** The cost lookup the estimate uses: undefined when nothing was observed (nor applies). */
export type RemedyCostLookup = (productId: string, remedy: RemedyCode) => RemedyCost | undefined;

export type RemedyMove = { from: RemedyCode; to: RemedyCode; claims: number };
export type CostDifference = {
  currency: string;
  /** Σ over moved claims of (draft remedy's average cost − published remedy's), minor units. */
  differenceMinor: number;
  /** Moved claims both of whose remedies had a cost in this currency. */
  claims: number;
};

export type WhatIfSummary = {
  claims: number;
  undecidable: number;
  decisionsDiffer: number;
  newlyCovered: number;
  newlyUncovered: number;
  remediesMoved: number;
  /** From → to, only the cells that moved, in the order of the policy's remedy list. */
  matrix: RemedyMove[];
  costDifference: CostDifference[];
  /** Moved claims left out of the cost difference: a remedy of theirs has no observed cost. */
  uncostedMoves: number;
};

const remedyOrder = (code: RemedyCode) => remedyCodes.indexOf(code);

/**
 * The figures shown: counts, the from → to matrix, and the estimated cost difference. Paid service is
 * the customer's cost, so it costs the maker nothing; any other remedy is priced by `costOf`.
 */
export function summarize(tally: WhatIfTally, costOf: RemedyCostLookup): WhatIfSummary {
  const cells = new Map<string, RemedyMove>();
  const costs = new Map<string, CostDifference>();
  let remediesMoved = 0;
  let uncostedMoves = 0;
  const priced = (productId: string, remedy: RemedyCode): RemedyCost | 'free' | undefined =>
    remedy === 'paid_service' ? 'free' : costOf(productId, remedy);
  for (const [key, count] of Object.entries(tally.moves)) {
    const [productId, from, to] = key.split('|') as [string, RemedyCode, RemedyCode];
    remediesMoved += count;
    const cellKey = `${from}|${to}`;
    const cell = cells.get(cellKey) ?? { from, to, claims: 0 };
    cell.claims += count;
    cells.set(cellKey, cell);

    const before = priced(productId, from);
    const after = priced(productId, to);
    if (before === undefined || after === undefined) {
      uncostedMoves += count;
      continue;
    }
    if (before !== 'free' && after !== 'free' && before.currency !== after.currency) {
      uncostedMoves += count;
      continue;
    }
    const currency = before !== 'free' ? before.currency : after !== 'free' ? after.currency : undefined;
    if (currency === undefined) continue; // paid service to paid service never moves
    const unit = (after === 'free' ? 0 : after.averageMinor) - (before === 'free' ? 0 : before.averageMinor);
    const entry = costs.get(currency) ?? { currency, differenceMinor: 0, claims: 0 };
    entry.differenceMinor += unit * count;
    entry.claims += count;
    costs.set(currency, entry);
  }
  const matrix = [...cells.values()].sort(
    (a, b) => remedyOrder(a.from) - remedyOrder(b.from) || remedyOrder(a.to) - remedyOrder(b.to),
  );
  return {
    claims: tally.claims,
    undecidable: tally.undecidable,
    decisionsDiffer: tally.decisionsDiffer,
    newlyCovered: tally.newlyCovered,
    newlyUncovered: tally.newlyUncovered,
    remediesMoved,
    matrix,
    costDifference: [...costs.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    uncostedMoves,
  };
}
