import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import { halotekPolicyV1 } from '../policy/halotek.js';
import { defectLedger, type DefectReportEntry, undecidedUnits } from './defect-ledger.js';
import { checkReviewDecision } from './defect-review.js';
import { lotDefectSignal } from './early-warning.js';
import { checkAllocation } from './lot-allocation.js';
import { allowedOrderMoves, moveOemOrder, oemOrderStates } from './order-state.js';
import { priceInForce, type PriceListEntry } from './price-list.js';

const policy = halotekPolicyV1.oem;
const day = (n: number) => Temporal.PlainDate.from('2026-01-01').add({ days: n });

describe('price in force by date (property)', () => {
  const entryArb = fc.record({
    clientId: fc.constantFrom('c1', 'c2'),
    productId: fc.constantFrom('p1', 'p2'),
    amountMinor: fc.integer({ min: 0, max: 1_000_000 }),
    from: fc.integer({ min: 0, max: 400 }),
  });
  const entries = (raw: { clientId: string; productId: string; amountMinor: number; from: number }[]) =>
    raw.map((r, i): PriceListEntry => ({
      id: `e${i}`,
      clientId: r.clientId,
      productId: r.productId,
      unitPrice: { amountMinor: r.amountMinor, currency: 'CNY' },
      effectiveFrom: day(r.from),
    }));

  it('is the client’s and product’s entry that took effect last on or before the day, or none before the first', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 12 }), fc.integer({ min: 0, max: 400 }), (raw, on) => {
        const list = entries(raw);
        const found = priceInForce(list, 'c1', 'p1', day(on));
        const candidates = list.filter(
          (e) =>
            e.clientId === 'c1' &&
            e.productId === 'p1' &&
            Temporal.PlainDate.compare(e.effectiveFrom, day(on)) <= 0,
        );
        if (candidates.length === 0) {
          expect(found).toBeNull();
          return;
        }
        expect(found).not.toBeNull();
        expect(found?.clientId).toBe('c1');
        expect(found?.productId).toBe('p1');
        // Nothing in force took effect after it.
        for (const c of candidates) {
          expect(
            Temporal.PlainDate.compare(c.effectiveFrom, found?.effectiveFrom ?? day(0)),
          ).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it('never changes for a day once a later-dated version is added (a new price never reaches back)', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 10 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 100 }),
        (raw, on, after) => {
          const list = entries(raw);
          const before = priceInForce(list, 'c1', 'p1', day(on));
          const added: PriceListEntry = {
            id: 'later',
            clientId: 'c1',
            productId: 'p1',
            unitPrice: { amountMinor: 999_999, currency: 'CNY' },
            effectiveFrom: day(on + after),
          };
          expect(priceInForce([...list, added], 'c1', 'p1', day(on))).toEqual(before);
        },
      ),
    );
  });
});

describe('spares, then excess only as QA accepts (property)', () => {
  const reportArb = fc
    .record({
      on: fc.integer({ min: 0, max: 500 }),
      units: fc.integer({ min: 1, max: 40 }),
      accepted: fc.integer({ min: 0, max: 40 }),
      rejected: fc.integer({ min: 0, max: 40 }),
      remake: fc.boolean(),
    })
    .map((r) => {
      const rejected = Math.min(r.rejected, r.units);
      return { ...r, rejected, accepted: Math.min(r.accepted, r.units - rejected) };
    });
  const toEntries = (
    raw: { on: number; units: number; accepted: number; rejected: number; remake: boolean }[],
  ) =>
    raw.map((r, i): DefectReportEntry => ({
      id: `r${String(i).padStart(3, '0')}`,
      reportedOn: day(r.on),
      units: r.units,
      coveredByRemake: r.remake,
      acceptedUnits: r.accepted,
      rejectedUnits: r.rejected,
    }));
  const ledgerOf = (allowance: number, reports: DefectReportEntry[]) =>
    defectLedger({ allowance, deliveredOn: day(0), defectWindow: policy.defectWindow, reports });

  it('accounts for every unit in the window once: spares + excess + awaiting QA + rejected', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.array(reportArb, { maxLength: 12 }),
        (allowance, raw) => {
          const l = ledgerOf(allowance, toEntries(raw));
          expect(l.coveredBySpares + l.excess + l.awaitingQa + l.rejected).toBe(l.defectsInWindow);
          expect(l.coveredBySpares).toBeLessThanOrEqual(allowance);
          expect(l.sparesLeft).toBe(allowance - l.coveredBySpares);
          // Excess never exceeds what QA accepted; units wait for QA only once the spares are gone.
          const accepted = toEntries(raw)
            .filter((_, i) => !raw[i]?.remake)
            .reduce((s, r) => s + (r.acceptedUnits ?? 0), 0);
          expect(l.excess).toBeLessThanOrEqual(accepted);
          if (l.awaitingQa + l.excess > 0) expect(l.sparesLeft).toBe(0);
          for (const line of l.lines)
            expect(line.excess + line.awaitingQa + line.coveredBySpares + line.rejected).toBeLessThanOrEqual(
              line.units,
            );
        },
      ),
    );
  });

  it('gives no excess for units QA has not accepted, and accepting more never lowers it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.array(reportArb, { minLength: 1, maxLength: 10 }),
        fc.nat(),
        (allowance, raw, pick) => {
          const undecided = toEntries(raw).map((r) => ({ ...r, acceptedUnits: 0, rejectedUnits: 0 }));
          expect(ledgerOf(allowance, undecided).excess).toBe(0);
          const entries = toEntries(raw);
          const i = pick % entries.length;
          const target = entries[i];
          if (!target || undecidedUnits(target) === 0) return;
          const more = entries.map((r, j) =>
            j === i ? { ...r, acceptedUnits: (r.acceptedUnits ?? 0) + 1 } : r,
          );
          expect(ledgerOf(allowance, more).excess).toBeGreaterThanOrEqual(
            ledgerOf(allowance, entries).excess,
          );
          // Rejecting a unit never adds excess.
          const rejected = entries.map((r, j) =>
            j === i ? { ...r, rejectedUnits: (r.rejectedUnits ?? 0) + 1 } : r,
          );
          expect(ledgerOf(allowance, rejected).excess).toBeLessThanOrEqual(
            ledgerOf(allowance, entries).excess,
          );
        },
      ),
    );
  });
});

describe('early warning (property)', () => {
  it('a later report on a lot, or a lower spare rate, never clears a flag', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 30, max: 50 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 20 }),
        (units, defects, bps, more, lower) => {
          const now = lotDefectSignal(Math.min(defects, units), units, bps);
          const later = lotDefectSignal(Math.min(defects + more, units), units, bps);
          const lowerRate = lotDefectSignal(Math.min(defects, units), units, Math.max(0, bps - lower));
          if (now.flagged) {
            expect(later.flagged).toBe(true);
            expect(lowerRate.flagged).toBe(true);
          }
        },
      ),
    );
  });

  it('more units shipped on the same defects never raises a flag: but a lot only ships what it holds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        (units, defects, extra) => {
          const honest = lotDefectSignal(Math.min(defects, units), units, 30);
          const diluted = lotDefectSignal(Math.min(defects, units), units + extra, 30);
          if (diluted.flagged) expect(honest.flagged).toBe(true);
          // The allocation rule keeps `extra` at zero for a lot with no units left.
          const check = checkAllocation({
            lot: { code: 'L', productId: 'p', quantity: units, allocated: units },
            order: { orderNumber: 'O', productId: 'p', quantity: 100_000_000, allocated: 0 },
            units: Math.max(1, extra),
          });
          expect(check).toMatchObject({ ok: false, problem: { code: 'LOT_UNITS_EXHAUSTED' } });
        },
      ),
    );
  });
});

describe('lot allocations (property)', () => {
  it('never lets allocations add up past the lot or the order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.integer({ min: 1, max: 3_000 }), { maxLength: 10 }),
        (lotQty, orderQty, asks) => {
          let lotAllocated = 0;
          let orderAllocated = 0;
          for (const units of asks) {
            const r = checkAllocation({
              lot: { code: 'L', productId: 'p', quantity: lotQty, allocated: lotAllocated },
              order: { orderNumber: 'O', productId: 'p', quantity: orderQty, allocated: orderAllocated },
              units,
            });
            if (r.ok) {
              lotAllocated += units;
              orderAllocated += units;
            }
          }
          expect(lotAllocated).toBeLessThanOrEqual(lotQty);
          expect(orderAllocated).toBeLessThanOrEqual(orderQty);
        },
      ),
    );
  });

  it('refuses another product’s lot', () => {
    expect(
      checkAllocation({
        lot: { code: 'L', productId: 'p1', quantity: 10, allocated: 0 },
        order: { orderNumber: 'O', productId: 'p2', quantity: 10, allocated: 0 },
        units: 1,
      }),
    ).toMatchObject({ ok: false, problem: { code: 'LOT_OF_ANOTHER_PRODUCT' } });
  });
});

describe('QA review and order states', () => {
  it('never lets decisions exceed a report’s units (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), {
          maxLength: 8,
        }),
        (units, decisions) => {
          let accepted = 0;
          let rejected = 0;
          for (const [a, r] of decisions) {
            const ok = checkReviewDecision(
              { units, acceptedUnits: accepted, rejectedUnits: rejected, evidence: 1, rmaNumber: null },
              { acceptUnits: a, rejectUnits: r, basis: 'evidence', reason: 'no fault' },
            );
            if (ok.ok) {
              accepted += a;
              rejected += r;
            }
          }
          expect(accepted + rejected).toBeLessThanOrEqual(units);
        },
      ),
    );
  });

  it('needs evidence, a return or a reason for what it decides', () => {
    const report = { units: 5, acceptedUnits: 0, rejectedUnits: 0, evidence: 0, rmaNumber: null };
    expect(checkReviewDecision(report, { acceptUnits: 1, rejectUnits: 0, basis: 'evidence' })).toMatchObject({
      problem: { code: 'EVIDENCE_REQUIRED' },
    });
    expect(
      checkReviewDecision(report, { acceptUnits: 1, rejectUnits: 0, basis: 'returned_units' }),
    ).toMatchObject({
      problem: { code: 'RETURN_NOT_REQUESTED' },
    });
    expect(
      checkReviewDecision(
        { ...report, rmaNumber: 'RMA-2026-000001' },
        { acceptUnits: 1, rejectUnits: 0, basis: 'returned_units' },
      ),
    ).toEqual({
      ok: true,
    });
    expect(checkReviewDecision(report, { acceptUnits: 0, rejectUnits: 1, reason: '  ' })).toMatchObject({
      problem: { code: 'REASON_REQUIRED' },
    });
    expect(checkReviewDecision(report, { acceptUnits: 0, rejectUnits: 0 })).toMatchObject({
      problem: { code: 'NOTHING_DECIDED' },
    });
  });

  it('moves an order only along its table: requested → confirmed | declined (with a reason)', () => {
    for (const from of oemOrderStates) {
      for (const to of oemOrderStates) {
        const r = moveOemOrder(from, { to, reason: 'why' });
        expect(r.ok).toBe((allowedOrderMoves(from) as readonly string[]).includes(to));
      }
    }
    expect(moveOemOrder('requested', { to: 'declined' })).toMatchObject({
      ok: false,
      error: { code: 'REASON_REQUIRED' },
    });
  });
});
