import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochDay, lastDayOf, Temporal } from '../calendar.js';
import { halotekPolicyV1 } from '../policy/halotek.js';
import { defectLedger, type DefectReportEntry } from './defect-ledger.js';
import { lotDefectSignal, lotRate, lotRateOfTotals, wilsonInterval } from './early-warning.js';
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

describe('defect ledger arithmetic (properties)', () => {
  const entry = fc.record({
    id: fc.uuid(),
    day: fc.integer({ min: 0, max: 800 }),
    units: fc.integer({ min: 1, max: 40 }),
    remake: fc.boolean(),
  });
  // Deliveries over several years, leap days included, so the window's end is sometimes day 365 and
  // sometimes day 366 after delivery.
  const delivery = fc
    .integer({
      min: epochDay(Temporal.PlainDate.from('2023-01-01')),
      max: epochDay(Temporal.PlainDate.from('2030-12-31')),
    })
    .map((n) => Temporal.PlainDate.from('1970-01-01').add({ days: n }));

  it('every reported unit is covered, excess, under a batch defect or out of the window; spares never overrun', () => {
    fc.assert(
      fc.property(
        delivery,
        fc.integer({ min: 0, max: 120 }),
        fc.array(entry, { maxLength: 40 }),
        (on, allowance, raw) => {
          const reports = raw.map((r) => ({
            id: r.id,
            reportedOn: on.add({ days: r.day }),
            units: r.units,
            coveredByRemake: r.remake,
          }));
          const l = defectLedger({ allowance, deliveredOn: on, defectWindow: policy.defectWindow, reports });
          const reported = reports.reduce((s, r) => s + r.units, 0);
          expect(l.coveredBySpares + l.excess + l.outOfWindow + l.coveredByRemake).toBe(reported);
          expect(l.coveredBySpares).toBeLessThanOrEqual(allowance);
          expect(l.coveredBySpares).toBeGreaterThanOrEqual(0);
          expect(l.excess).toBeGreaterThanOrEqual(0);
          // Excess appears only once the spares are used up.
          if (l.excess > 0) expect(l.coveredBySpares).toBe(allowance);
          // One line per report, and the lines add up to the totals.
          expect(l.lines).toHaveLength(reports.length);
          expect(l.lines.reduce((s, x) => s + x.coveredBySpares, 0)).toBe(l.coveredBySpares);
          expect(l.lines.reduce((s, x) => s + x.excess, 0)).toBe(l.excess);
        },
      ),
    );
  });

  it('spares go to reports in the order they were reported: an earlier report never has excess while a later one is covered', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.array(entry, { maxLength: 30 }), (allowance, raw) => {
        const on = d('2026-03-10');
        const reports = raw.map((r) => ({
          id: r.id,
          reportedOn: on.add({ days: r.day % 365 }),
          units: r.units,
          coveredByRemake: false,
        }));
        const l = defectLedger({ allowance, deliveredOn: on, defectWindow: policy.defectWindow, reports });
        const dayOf = new Map(reports.map((r) => [r.id, r.reportedOn]));
        // Lines come in reporting order…
        for (let i = 1; i < l.lines.length; i++) {
          const a = dayOf.get(l.lines[i - 1]?.reportId ?? '');
          const b = dayOf.get(l.lines[i]?.reportId ?? '');
          if (a && b) expect(Temporal.PlainDate.compare(a, b)).toBeLessThanOrEqual(0);
        }
        // …and once a report has excess, no later one gets a spare.
        const firstExcess = l.lines.findIndex((x) => x.excess > 0);
        if (firstExcess >= 0) {
          for (const later of l.lines.slice(firstExcess + 1)) expect(later.coveredBySpares).toBe(0);
        }
      }),
    );
  });

  it('counts a report on the window’s last day (day 365, or 366 across a 29 February) and not the day after', () => {
    fc.assert(
      fc.property(delivery, fc.integer({ min: 1, max: 50 }), (on, units) => {
        const end = lastDayOf(on, policy.defectWindow);
        const length = epochDay(end) - epochDay(on);
        expect([365, 366]).toContain(length);
        const l = defectLedger({
          allowance: 0,
          deliveredOn: on,
          defectWindow: policy.defectWindow,
          reports: [
            { id: 'last', reportedOn: end, units, coveredByRemake: false },
            { id: 'after', reportedOn: end.add({ days: 1 }), units, coveredByRemake: false },
          ],
        });
        expect(l.windowEndsOn).toBe(end.toString());
        expect(l.lines.map((x) => [x.reportId, x.status])).toEqual([
          ['last', 'excess'],
          ['after', 'out_of_window'],
        ]);
      }),
    );
    // Delivered 1 March 2027: the window ends 1 March 2028, 366 days later (2028 is a leap year).
    expect(lastDayOf(d('2027-03-01'), { years: 1 }).toString()).toBe('2028-03-01');
    // Delivered 29 February 2028: it ends 28 February 2029.
    expect(lastDayOf(d('2028-02-29'), { years: 1 }).toString()).toBe('2029-02-28');
  });

  it('never lets units under a confirmed batch defect consume spares', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.array(entry, { maxLength: 30 }), (allowance, raw) => {
        const on = d('2026-03-10');
        const reports = raw.map((r) => ({
          id: r.id,
          reportedOn: on.add({ days: r.day % 365 }),
          units: r.units,
          coveredByRemake: r.remake,
        }));
        const l = defectLedger({ allowance, deliveredOn: on, defectWindow: policy.defectWindow, reports });
        for (const line of l.lines) {
          if (line.status === 'covered_by_remake')
            expect([line.coveredBySpares, line.excess]).toEqual([0, 0]);
        }
        const remade = reports.filter((r) => r.coveredByRemake).reduce((s, r) => s + r.units, 0);
        expect(l.coveredByRemake).toBe(remade);
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
    // More defects reported than units shipped: every unit counts as defective.
    expect(wilsonInterval(12, 10)).toEqual(wilsonInterval(10, 10));
    expect(Number.isNaN(wilsonInterval(12, 10).lower)).toBe(false);
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

  it('never flags a lot whose defect rate is within the spare rate (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 30, max: 50 }),
        fc.nat(),
        (n, bps, k0) => {
          // Any defects up to the spare rate × units.
          const k = k0 % (Math.floor((n * bps) / 10_000) + 1);
          expect(k * 10_000).toBeLessThanOrEqual(n * bps);
          expect(lotDefectSignal(k, n, bps).flagged).toBe(false);
        },
      ),
    );
  });

  it('holds a flag at the same rate with more evidence, and never flags with fewer defects (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.nat(),
        fc.integer({ min: 2, max: 20 }),
        fc.integer({ min: 30, max: 50 }),
        (n, k0, m, bps) => {
          const k = k0 % (n + 1);
          const s = lotDefectSignal(k, n, bps);
          if (s.flagged) expect(lotDefectSignal(k * m, n * m, bps).flagged).toBe(true);
          if (!s.flagged && k > 0) expect(lotDefectSignal(k - 1, n, bps).flagged).toBe(false);
        },
      ),
    );
  });

  it('compares a lot shipped in several orders with the lowest of their spare rates', () => {
    const r = lotRate(
      [
        { units: 600, spareRateBps: 50 },
        { units: 400, spareRateBps: 30 },
      ],
      12,
    );
    expect(r).toMatchObject({
      unitsShipped: 1000,
      spareRateBps: 30,
      defects: 12,
      rate: 0.012,
      flagged: true,
    });
    expect(lotRate([], 0)).toMatchObject({ unitsShipped: 0, flagged: false });
    // 7 in 1000 at 0.5 %: the rate is above the spares but the evidence is not yet strong enough.
    expect(lotRate([{ units: 1000, spareRateBps: 50 }], 7).flagged).toBe(false);
  });

  it('gives the same rate from running totals (units added up, lowest spare rate) as from the shipments', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            units: fc.integer({ min: 0, max: 100_000 }),
            spareRateBps: fc.integer({ min: 30, max: 50 }),
          }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        fc.integer({ min: 0, max: 5_000 }),
        (shipments, defects) => {
          const totals = {
            unitsShipped: shipments.reduce((s, o) => s + o.units, 0),
            spareRateBps: Math.min(...shipments.map((o) => o.spareRateBps)),
            defects,
          };
          expect(lotRateOfTotals(totals)).toEqual(lotRate(shipments, defects));
        },
      ),
    );
  });
});
