import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CalendarLength, Temporal } from '../calendar.js';
import { evaluate } from './evaluate.js';
import { halotekPolicyV1 } from './halotek.js';
import { type PolicyVersion, policyVersionSchema, remedyCodes } from './schema.js';
import {
  emptyTally,
  type RemedyCost,
  type RemedyCostLookup,
  replayBatch,
  type ReplayClaim,
  summarize,
  type WhatIfTally,
} from './what-if.js';

/** A copy of a version with another id and date: what an admin starts a draft from. */
function draftOf(base: PolicyVersion, change?: (doc: PolicyVersion) => void): PolicyVersion {
  const doc = structuredClone<PolicyVersion>(base);
  doc.id = 'draft-under-test';
  doc.effectiveFrom = '2030-01-01';
  change?.(doc);
  return policyVersionSchema.parse(doc);
}

const withSecondWindow = (days: number) =>
  draftOf(halotekPolicyV1, (doc) => {
    const second = doc.endUser.windows[1];
    if (second) second.within = { days };
  });

const day = fc
  .integer({ min: 0, max: 20_000 })
  .map((n) => Temporal.PlainDate.from('2000-01-01').add({ days: n }));
const length: fc.Arbitrary<CalendarLength> = fc.oneof(
  fc.record({ days: fc.integer({ min: 1, max: 2_000 }) }),
  fc.record({ months: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ years: fc.integer({ min: 1, max: 5 }) }),
);

/** A stored claim: reported 0–800 days after purchase, any cause, any (or no) chosen remedy. */
const claim: fc.Arbitrary<ReplayClaim> = fc
  .record({
    product: fc.constantFrom('p1', 'p2', 'p3'),
    purchase: day,
    after: fc.integer({ min: 0, max: 800 }),
    cause: fc.constantFrom('quality' as const, 'human_damage' as const),
    chosen: fc.option(fc.constantFrom(...remedyCodes), { nil: null }),
    override: fc.option(length, { nil: null }),
  })
  .map((c) => ({
    productId: c.product,
    purchaseDate: c.purchase.toString(),
    reportedOn: c.purchase.add({ days: c.after }).toString(),
    cause: c.cause,
    chosenRemedy: c.chosen,
    warrantyOverride: c.override,
  }));

/** Batches as a keyset scan hands them over. */
const batches = fc.array(fc.array(claim, { maxLength: 30 }), { maxLength: 6 });

const replayAll = (baseline: PolicyVersion, draft: PolicyVersion, all: readonly ReplayClaim[][]) =>
  all.reduce<WhatIfTally>((tally, batch) => replayBatch(tally, baseline, draft, batch), emptyTally);

const noCosts: RemedyCostLookup = () => undefined;

describe('what if: replaying claims under a draft', () => {
  it('an unchanged draft differs in zero decisions, moves no remedy and costs nothing', () => {
    fc.assert(
      fc.property(batches, (all) => {
        const summary = summarize(replayAll(halotekPolicyV1, draftOf(halotekPolicyV1), all), noCosts);
        expect(summary.claims).toBe(all.flat().length);
        expect(summary).toMatchObject({
          decisionsDiffer: 0,
          newlyCovered: 0,
          newlyUncovered: 0,
          remediesMoved: 0,
          matrix: [],
          costDifference: [],
        });
      }),
    );
  });

  it('an unchanged draft with every clause reworded still differs in zero decisions', () => {
    const reworded = draftOf(halotekPolicyV1, (doc) => {
      for (const w of doc.endUser.windows) for (const r of w.remedies) r.clause.text.en += ' (reworded)';
    });
    fc.assert(
      fc.property(batches, (all) => {
        expect(replayAll(halotekPolicyV1, reworded, all).decisionsDiffer).toBe(0);
      }),
    );
  });

  it('counts the same whichever way the claims are cut into batches', () => {
    const draft = withSecondWindow(90);
    fc.assert(
      fc.property(batches, (all) => {
        expect(replayAll(halotekPolicyV1, draft, all)).toEqual(
          replayAll(halotekPolicyV1, draft, [all.flat()]),
        );
      }),
    );
  });

  it('widening a window never turns an in-window claim out of window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 400 }),
        claim,
        (index, extraDays, c) => {
          const baseline = halotekPolicyV1;
          const widened = draftOf(baseline, (doc) => {
            const windows = doc.endUser.windows;
            const target = windows[index];
            if (!target) return;
            // Widen by days, as far as the next window allows (the schema keeps them in order).
            const widenedWithin = Temporal.PlainDate.from('2001-03-01')
              .add(target.within)
              .add({ days: extraDays })
              .since(Temporal.PlainDate.from('2001-03-01')).days;
            const next = windows[index + 1];
            const nextDays = next
              ? Temporal.PlainDate.from('2001-03-01')
                  .add(next.within)
                  .since(Temporal.PlainDate.from('2001-03-01')).days
              : Infinity;
            target.within = { days: Math.min(widenedWithin, nextDays - 1) };
          });
          const facts = {
            customerType: 'end_user' as const,
            purchaseDate: Temporal.PlainDate.from(c.purchaseDate),
            reportDate: Temporal.PlainDate.from(c.reportedOn),
            cause: c.cause,
            warrantyOverride: c.warrantyOverride ?? undefined,
          };
          const before = evaluate(baseline, facts);
          const after = evaluate(widened, facts);
          if (!before.ok || !after.ok) throw new Error('both decide');
          if (before.value.window !== 'expired') expect(after.value.window).not.toBe('expired');
          // And the replay agrees: nothing is newly out of warranty.
          expect(replayBatch(emptyTally, baseline, widened, [c]).newlyUncovered).toBe(0);
        },
      ),
    );
  });

  it('replacement within 90 days instead of 60: the claims of days 61–90 move from repair to replacement', () => {
    const draft = withSecondWindow(90);
    const purchase = Temporal.PlainDate.from('2026-01-10');
    const at = (days: number, chosen: ReplayClaim['chosenRemedy'], product = 'p1'): ReplayClaim => ({
      productId: product,
      purchaseDate: purchase.toString(),
      reportedOn: purchase.add({ days }).toString(),
      cause: 'quality',
      chosenRemedy: chosen,
      warrantyOverride: null,
    });
    const tally = replayBatch(emptyTally, halotekPolicyV1, draft, [
      at(5, 'refund'), // 7-day window either way
      at(30, 'replacement'), // 60-day window either way
      at(75, 'maintenance_order'), // 1-year → 60(90)-day window: replacement
      at(80, 'mail_in_repair', 'p2'),
      at(85, null),
      at(120, 'maintenance_order'), // 1-year window either way
      at(400, 'paid_service'), // out of warranty either way
    ]);
    const observed: Record<string, RemedyCost> = {
      'p1|replacement': { averageMinor: 30_000, currency: 'CNY', observations: 4 },
      'p1|maintenance_order': { averageMinor: 8_000, currency: 'CNY', observations: 2 },
    };
    const costs: RemedyCostLookup = (product, remedy) => observed[`${product}|${remedy}`];
    expect(summarize(tally, costs)).toEqual({
      claims: 7,
      undecidable: 0,
      decisionsDiffer: 3,
      newlyCovered: 0,
      newlyUncovered: 0,
      remediesMoved: 3,
      matrix: [
        { from: 'maintenance_order', to: 'replacement', claims: 2 },
        { from: 'mail_in_repair', to: 'replacement', claims: 1 },
      ],
      // p1 75 days: 30 000 − 8 000; p1 85 days (no choice: the first remedy, a maintenance order) the same;
      // p2's repair has no observed cost and is counted apart.
      costDifference: [{ currency: 'CNY', differenceMinor: 44_000, claims: 2 }],
      uncostedMoves: 1,
    });
  });

  it('a two-year warranty: the second year moves from paid service to repair, at no known cost of the paid one', () => {
    const draft = draftOf(halotekPolicyV1, (doc) => {
      const last = doc.endUser.windows[2];
      if (last) last.within = { years: 2 };
    });
    const tally = replayBatch(emptyTally, halotekPolicyV1, draft, [
      {
        productId: 'p1',
        purchaseDate: '2025-01-10',
        reportedOn: '2026-03-01',
        cause: 'quality',
        chosenRemedy: 'paid_service',
        warrantyOverride: null,
      },
      {
        productId: 'p1',
        purchaseDate: '2025-01-10',
        reportedOn: '2026-03-01',
        cause: 'human_damage',
        chosenRemedy: 'paid_service',
        warrantyOverride: null,
      },
    ]);
    const costs: RemedyCostLookup = (_p, remedy) =>
      remedy === 'maintenance_order' ? { averageMinor: 5_000, currency: 'CNY', observations: 1 } : undefined;
    expect(summarize(tally, costs)).toMatchObject({
      decisionsDiffer: 1,
      newlyCovered: 1,
      matrix: [{ from: 'paid_service', to: 'maintenance_order', claims: 1 }],
      costDifference: [{ currency: 'CNY', differenceMinor: 5_000, claims: 1 }],
    });
  });

  it('leaves a claim reported before its purchase out, counted as undecidable', () => {
    const tally = replayBatch(emptyTally, halotekPolicyV1, draftOf(halotekPolicyV1), [
      {
        productId: 'p1',
        purchaseDate: '2026-02-10',
        reportedOn: '2026-02-01',
        cause: 'quality',
        chosenRemedy: null,
        warrantyOverride: null,
      },
    ]);
    expect(tally).toMatchObject({ claims: 1, undecidable: 1, decisionsDiffer: 0 });
  });
});
