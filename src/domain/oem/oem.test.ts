import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import { halotekPolicyV1 } from '../policy/halotek.js';
import { defectLedger, type DefectReportEntry } from './defect-ledger.js';
import { lotDefectSignal, wilsonInterval } from './early-warning.js';
import { spareAllowance } from './spare-allowance.js';

const d = (s: string) => Temporal.PlainDate.from(s);
const policy = halotekPolicyV1.oem;

describe('spare allowance', () => {
  it('is quantity × rate rounded up, within 0.3 %–0.5 %', () => {
    expect(spareAllowance(2000, 50, policy)).toEqual({ spareUnits: 10 });
    expect(spareAllowance(2000, 30, policy)).toEqual({ spareUnits: 6 });
    expect(spareAllowance(1001, 30, policy)).toEqual({ spareUnits: 4 });
    expect(spareAllowance(1, 30, policy)).toEqual({ spareUnits: 1 });
    expect(spareAllowance(2000, 29, policy)).toMatchObject({
      code: 'SPARE_RATE_OUT_OF_RANGE',
      message: expect.stringContaining('0.3 %') as string,
    });
    expect(spareAllowance(2000, 51, policy)).toMatchObject({ code: 'SPARE_RATE_OUT_OF_RANGE' });
    expect(spareAllowance(0, 40, policy)).toMatchObject({ code: 'INVALID_QUANTITY' });
    expect(spareAllowance(10.5, 40, policy)).toMatchObject({ code: 'INVALID_QUANTITY' });
  });

  it('never gives fewer spares than the rate, nor a whole unit more (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 30, max: 50 }), (q, bps) => {
        const r = spareAllowance(q, bps, policy);
        if (!('spareUnits' in r)) throw new Error(r.message);
        expect(r.spareUnits * 10_000).toBeGreaterThanOrEqual(q * bps);
        expect((r.spareUnits - 1) * 10_000).toBeLessThan(q * bps);
      }),
    );
  });
});

describe('defect ledger', () => {
  const report = (id: string, on: string, units: number, coveredByRemake = false): DefectReportEntry => ({
    id,
    reportedOn: d(on),
    units,
    coveredByRemake,
  });

  it('spares absorb the first defects; the rest is excess; after a year, out of the window', () => {
    const ledger = defectLedger({
      allowance: 10,
      deliveredOn: d('2026-01-15'),
      defectWindow: { years: 1 },
      reports: [
        report('b', '2026-04-01', 6),
        report('a', '2026-02-01', 6),
        report('c', '2026-06-01', 3, true),
        report('d', '2027-01-15', 2),
        report('e', '2027-01-16', 4),
      ],
    });
    expect(ledger).toMatchObject({
      allowance: 10,
      windowEndsOn: '2027-01-15',
      defectsInWindow: 14,
      coveredBySpares: 10,
      excess: 4,
      coveredByRemake: 3,
      outOfWindow: 4,
      sparesLeft: 0,
    });
    expect(ledger.lines.map((l) => [l.reportId, l.status, l.coveredBySpares, l.excess])).toEqual([
      ['a', 'covered_by_spares', 6, 0],
      ['b', 'partly_excess', 4, 2],
      ['c', 'covered_by_remake', 0, 0],
      ['d', 'excess', 0, 2],
      ['e', 'out_of_window', 0, 0],
    ]);
  });

  it('adds up, whatever the reports (property)', () => {
    const reports = fc.array(
      fc.record({
        id: fc.uuid(),
        day: fc.integer({ min: 0, max: 500 }),
        units: fc.integer({ min: 1, max: 50 }),
        remake: fc.boolean(),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), reports, (allowance, raw) => {
        const delivered = d('2026-01-15');
        const entries = raw.map((r) =>
          report(r.id, delivered.add({ days: r.day }).toString(), r.units, r.remake),
        );
        const l = defectLedger({
          allowance,
          deliveredOn: delivered,
          defectWindow: { years: 1 },
          reports: entries,
        });
        const all = entries.reduce((s, r) => s + r.units, 0);
        expect(l.defectsInWindow + l.coveredByRemake + l.outOfWindow).toBe(all);
        expect(l.coveredBySpares + l.excess).toBe(l.defectsInWindow);
        expect(l.coveredBySpares).toBeLessThanOrEqual(allowance);
        expect(l.sparesLeft).toBe(allowance - l.coveredBySpares);
        expect(l.excess === 0 || l.sparesLeft === 0).toBe(true);
        // The totals do not depend on the order the reports arrive in.
        const shuffled = defectLedger({
          allowance,
          deliveredOn: delivered,
          defectWindow: { years: 1 },
          reports: [...entries].reverse(),
        });
        expect({ ...shuffled, lines: [] }).toEqual({ ...l, lines: [] });
        // A remake never consumes spares.
        const withoutRemakes = defectLedger({
          allowance,
          deliveredOn: delivered,
          defectWindow: { years: 1 },
          reports: entries.filter((e) => !e.coveredByRemake),
        });
        expect(withoutRemakes.coveredBySpares).toBe(l.coveredBySpares);
      }),
    );
  });
});

describe('early warning on lot defect rates', () => {
  it('matches known Wilson intervals', () => {
    const { lower, upper } = wilsonInterval(10, 100);
    expect(lower).toBeCloseTo(0.0552, 3);
    expect(upper).toBeCloseTo(0.1744, 3);
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });

  it('flags a lot only when the lower bound is above the spare rate', () => {
    // 12 defects in 1000 units (1.2 %) against 0.5 % spares: clearly beyond.
    expect(lotDefectSignal(12, 1000, 50)).toMatchObject({ flagged: true });
    // 1 defect in 50 units (2 %) is too little evidence yet.
    expect(lotDefectSignal(1, 50, 50)).toMatchObject({ flagged: false });
    // 4 in 1000 (0.4 %) is within what the spares cover.
    expect(lotDefectSignal(4, 1000, 50)).toMatchObject({ flagged: false });
    expect(lotDefectSignal(0, 0, 50)).toMatchObject({ flagged: false, rate: 0 });
  });

  it('is a proper interval, and more defects never unflag a lot (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.nat(),
        fc.integer({ min: 30, max: 50 }),
        (n, k0, bps) => {
          const k = k0 % (n + 1);
          const s = lotDefectSignal(k, n, bps);
          expect(s.lower).toBeGreaterThanOrEqual(0);
          expect(s.upper).toBeLessThanOrEqual(1);
          expect(s.lower).toBeLessThanOrEqual(s.rate + 1e-12);
          expect(s.upper).toBeGreaterThanOrEqual(s.rate - 1e-12);
          if (s.flagged) expect(s.rate).toBeGreaterThan(s.spareRate);
          if (k < n && s.flagged) expect(lotDefectSignal(k + 1, n, bps).flagged).toBe(true);
        },
      ),
    );
  });
});
