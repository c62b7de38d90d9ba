import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastDayOf, parsePlainDate, Temporal } from '../calendar.js';
import { decide, evaluate, type EndUserFacts, policyInForce, quoteClause } from './evaluate.js';
import { builtInPolicyVersions, halotekPolicyV1 } from './halotek.js';
import { type PolicyVersion, policyVersionSchema, type RemedyCode } from './schema.js';

const d = (s: string) => Temporal.PlainDate.from(s);
const facts = (purchase: string, report: string, cause: EndUserFacts['cause'] = 'quality'): EndUserFacts => ({
  customerType: 'end_user',
  purchaseDate: d(purchase),
  reportDate: d(report),
  cause,
});
const decided = (f: EndUserFacts, policy: PolicyVersion = halotekPolicyV1) => {
  const r = evaluate(policy, f);
  if (!r.ok) throw new Error(`expected a decision, got ${r.error.code}`);
  return r.value;
};

/** Any day from 1990 to 2099, including every 29 February in that range. */
const plainDate = fc
  .integer({ min: 0, max: 40_000 })
  .map((n) => Temporal.PlainDate.from('1990-01-01').add({ days: n }));

describe('the Halotek policy as data', () => {
  it('validates against the policy schema', () => {
    expect(() => policyVersionSchema.parse(halotekPolicyV1)).not.toThrow();
  });

  it('carries every clause in English and Chinese', () => {
    const clauses = [
      ...halotekPolicyV1.endUser.windows.flatMap((w) => [w.heading, ...w.remedies.map((r) => r.clause)]),
      halotekPolicyV1.endUser.outOfWarranty.heading,
      halotekPolicyV1.endUser.humanDamage.heading,
      halotekPolicyV1.oem.spares,
      halotekPolicyV1.oem.excess,
      halotekPolicyV1.oem.batchDefect.clause,
    ];
    for (const c of clauses) {
      expect(c.text.en).toMatch(/[a-z]/);
      expect(c.text.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('states the OEM spare rate as 0.3 %–0.5 % and batch defects shipped by air at the maker’s cost', () => {
    expect(halotekPolicyV1.oem.spareRateBps).toEqual({ min: 30, max: 50 });
    expect(halotekPolicyV1.oem.batchDefect).toMatchObject({
      coveredRootCauses: ['production', 'electrical'],
      shipping: 'air',
      costBearer: 'maker',
    });
  });

  it('rejects windows listed out of order', () => {
    const [a, b, c] = halotekPolicyV1.endUser.windows;
    if (!a || !b || !c) throw new Error('three windows expected');
    const bad = { ...halotekPolicyV1, endUser: { ...halotekPolicyV1.endUser, windows: [b, a, c] } };
    expect(policyVersionSchema.safeParse(bad).success).toBe(false);
  });
});

describe('evaluate: end-user windows', () => {
  it('day 0 and day 7 are in the 7-day window: refund, replacement or service center', () => {
    for (const report of ['2026-01-02', '2026-01-09']) {
      const dec = decided(facts('2026-01-02', report));
      expect(dec.window).toBe('7_days');
      expect(dec.paid).toBe(false);
      expect(dec.remedies.map((r) => [r.code, r.performedBy, r.costBearer])).toEqual([
        ['refund', 'dealer', 'maker'],
        ['replacement', 'dealer', 'maker'],
        ['service_center', 'service_center', 'maker'],
      ]);
    }
    expect(decided(facts('2026-01-02', '2026-01-09')).daysSincePurchase).toBe(7);
  });

  it('day 8 and day 60 are in the 60-day window: replacement or service center, no refund', () => {
    expect(decided(facts('2026-01-02', '2026-01-10')).window).toBe('60_days');
    const dec = decided(facts('2026-01-02', '2026-03-03'));
    expect(dec.daysSincePurchase).toBe(60);
    expect(dec.window).toBe('60_days');
    expect(dec.remedies.map((r) => r.code)).toEqual(['replacement', 'service_center']);
  });

  it('day 61 up to the same date a year later: maintenance order or mail-in repair', () => {
    expect(decided(facts('2026-01-02', '2026-03-04')).window).toBe('1_year');
    const dec = decided(facts('2026-01-02', '2027-01-02'));
    expect(dec.window).toBe('1_year');
    expect(dec.remedies.map((r) => r.code)).toEqual(['maintenance_order', 'mail_in_repair']);
    expect(dec.remedies.every((r) => r.performedBy === 'service_center' && r.costBearer === 'maker')).toBe(
      true,
    );
    expect(dec.warrantyEndsOn).toBe('2027-01-02');
  });

  it('the day after one year is expired and offers paid service through sales', () => {
    const dec = decided(facts('2026-01-02', '2027-01-03'));
    expect(dec.window).toBe('expired');
    expect(dec.paid).toBe(true);
    expect(dec.remedies).toHaveLength(1);
    expect(dec.remedies[0]).toMatchObject({
      code: 'paid_service',
      performedBy: 'sales',
      costBearer: 'customer',
    });
    expect(dec.reasons[0]?.code).toBe('WARRANTY_EXPIRED');
  });

  it('a purchase on 29 February is covered until 28 February next year, inclusive', () => {
    expect(decided(facts('2024-02-29', '2025-02-28')).window).toBe('1_year');
    expect(decided(facts('2024-02-29', '2025-03-01')).window).toBe('expired');
  });

  it('counts calendar days across a leap day and a year end', () => {
    expect(decided(facts('2024-02-25', '2024-03-03')).daysSincePurchase).toBe(7);
    expect(decided(facts('2024-02-25', '2024-03-03')).window).toBe('7_days');
    expect(decided(facts('2025-12-28', '2026-01-04')).window).toBe('7_days');
    expect(decided(facts('2025-12-28', '2026-01-05')).window).toBe('60_days');
  });

  it('human damage gives paid service in every window, citing the human-damage clause', () => {
    for (const report of ['2026-01-02', '2026-02-01', '2026-06-01', '2030-01-01']) {
      const dec = decided(facts('2026-01-02', report, 'human_damage'));
      expect(dec.paid).toBe(true);
      expect(dec.remedies.map((r) => r.code)).toEqual(['paid_service']);
      expect(dec.reasons[0]).toMatchObject({ code: 'HUMAN_DAMAGE', clause: { id: 'end_user.human_damage' } });
    }
    expect(decided(facts('2026-01-02', '2026-01-03', 'human_damage')).window).toBe('7_days');
  });

  it('refuses a report before the purchase with a typed error', () => {
    const r = evaluate(halotekPolicyV1, facts('2026-01-02', '2026-01-01'));
    expect(r).toMatchObject({ ok: false, error: { code: 'REPORT_BEFORE_PURCHASE' } });
  });

  it('a product’s own warranty length stretches the last window and closes earlier ones', () => {
    const long = { ...facts('2026-01-02', '2027-06-30'), warrantyOverride: { years: 2 } };
    expect(decided(long).window).toBe('1_year');
    expect(decided({ ...long, reportDate: d('2028-01-03') }).window).toBe('expired');
    const short = { ...facts('2026-01-02', '2026-02-15'), warrantyOverride: { days: 30 } };
    expect(decided(short).window).toBe('expired');
    expect(decided({ ...short, reportDate: d('2026-01-05') }).window).toBe('7_days');
  });

  it('explains every remedy by a clause in both languages', () => {
    const dec = decided(facts('2026-01-02', '2026-01-03'));
    const refund = dec.remedies[0];
    if (!refund) throw new Error('refund expected');
    expect(quoteClause(refund.clause, 'en')).toBe(
      'Terminal clients 1(A): Go to the dealer who sold you the product and ask for a full refund.',
    );
    expect(quoteClause(refund.clause, 'zh')).toBe('终端客户第 1 条（A）：到购买产品的经销商处申请全额退款。');
  });
});

describe('policy versions by effective date', () => {
  const v2: PolicyVersion = {
    ...halotekPolicyV1,
    id: 'halotek-2027-01',
    effectiveFrom: '2027-01-01',
    endUser: {
      ...halotekPolicyV1.endUser,
      windows: halotekPolicyV1.endUser.windows.map((w) =>
        w.code === '7_days' ? { ...w, within: { days: 15 } } : w,
      ),
    },
  };
  const versions = [v2, halotekPolicyV1];

  it('applies the version in force on the purchase date, not on the report date', () => {
    const before = decide(versions, facts('2026-12-31', '2027-01-12'));
    expect(before).toMatchObject({
      ok: true,
      value: { policyVersion: 'halotek-2018-01', window: '60_days' },
    });
    const after = decide(versions, facts('2027-01-01', '2027-01-12'));
    expect(after).toMatchObject({ ok: true, value: { policyVersion: 'halotek-2027-01', window: '7_days' } });
  });

  it('says so when no version was in force yet', () => {
    expect(policyInForce(builtInPolicyVersions, d('2017-12-31'))).toMatchObject({
      ok: false,
      error: { code: 'NO_POLICY_IN_FORCE' },
    });
    expect(policyInForce(builtInPolicyVersions, d('2018-01-01'))).toMatchObject({ ok: true });
  });
});

describe('evaluate: properties', () => {
  const order: Record<string, number> = { '7_days': 0, '60_days': 1, '1_year': 2, expired: 3 };
  // The policy words repair differently per window (contact the service center; a maintenance order;
  // mail-in), so monotonicity is over what the maker gives: a refund, a new unit, or a free repair.
  const kindOf: Record<RemedyCode, string> = {
    refund: 'refund',
    replacement: 'replacement',
    service_center: 'free_repair',
    maintenance_order: 'free_repair',
    mail_in_repair: 'free_repair',
    paid_service: 'paid_repair',
  };
  const freeCodes = (f: EndUserFacts): Set<string> =>
    new Set(
      decided(f)
        .remedies.filter((r) => r.costBearer === 'maker')
        .map((r) => kindOf[r.code]),
    );

  it('is total: any two dates give a decision, or REPORT_BEFORE_PURCHASE exactly when reported earlier', () => {
    fc.assert(
      fc.property(plainDate, plainDate, fc.constantFrom('quality', 'human_damage'), (p, r, cause) => {
        const res = evaluate(halotekPolicyV1, {
          customerType: 'end_user',
          purchaseDate: p,
          reportDate: r,
          cause,
        });
        if (Temporal.PlainDate.compare(r, p) < 0) {
          expect(res).toMatchObject({ ok: false, error: { code: 'REPORT_BEFORE_PURCHASE' } });
        } else {
          expect(res.ok).toBe(true);
        }
      }),
    );
  });

  it('puts each boundary day in the right window: day 7 / 8, day 60 / 61, last day of the year / next', () => {
    fc.assert(
      fc.property(plainDate, (p) => {
        const at = (days: number) =>
          decided({ ...facts('2000-01-01', '2000-01-01'), purchaseDate: p, reportDate: p.add({ days }) });
        expect(at(7).window).toBe('7_days');
        expect(at(8).window).toBe('60_days');
        expect(at(60).window).toBe('60_days');
        expect(at(61).window).toBe('1_year');
        const yearEnd = lastDayOf(p, { years: 1 });
        const onYearEnd = decided({
          ...facts('2000-01-01', '2000-01-01'),
          purchaseDate: p,
          reportDate: yearEnd,
        });
        expect(onYearEnd.window).toBe('1_year');
        const after = decided({
          ...facts('2000-01-01', '2000-01-01'),
          purchaseDate: p,
          reportDate: yearEnd.add({ days: 1 }),
        });
        expect(after.window).toBe('expired');
        // One year never lasts less than 365 days nor more than 366.
        expect([365, 366]).toContain(onYearEnd.daysSincePurchase);
      }),
    );
  });

  it('is monotonic: a later report never gains a free remedy nor moves to an earlier window', () => {
    fc.assert(
      fc.property(
        plainDate,
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 0, max: 800 }),
        (p, a, b) => {
          const [early, late] = a <= b ? [a, b] : [b, a];
          const fe = {
            ...facts('2000-01-01', '2000-01-01'),
            purchaseDate: p,
            reportDate: p.add({ days: early }),
          };
          const fl = { ...fe, reportDate: p.add({ days: late }) };
          const we = order[decided(fe).window] ?? -1;
          const wl = order[decided(fl).window] ?? -1;
          expect(wl).toBeGreaterThanOrEqual(we);
          for (const code of freeCodes(fl)) expect(freeCodes(fe).has(code)).toBe(true);
        },
      ),
    );
  });

  it('human damage is always paid and never offers a remedy at the maker’s cost', () => {
    fc.assert(
      fc.property(plainDate, fc.integer({ min: 0, max: 800 }), (p, n) => {
        const dec = decided({
          ...facts('2000-01-01', '2000-01-01', 'human_damage'),
          purchaseDate: p,
          reportDate: p.add({ days: n }),
        });
        expect(dec.paid).toBe(true);
        expect(dec.remedies.every((r) => r.costBearer === 'customer')).toBe(true);
      }),
    );
  });

  it('daysSincePurchase is the calendar-day distance', () => {
    fc.assert(
      fc.property(plainDate, fc.integer({ min: 0, max: 2000 }), (p, n) => {
        expect(
          decided({ ...facts('2000-01-01', '2000-01-01'), purchaseDate: p, reportDate: p.add({ days: n }) })
            .daysSincePurchase,
        ).toBe(n);
      }),
    );
  });

  it('parsePlainDate accepts exactly the days of the calendar', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, day) => {
          const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const parsed = parsePlainDate(s);
          const daysInMonth =
            m >= 1 && m <= 12 ? Temporal.PlainYearMonth.from({ year: y, month: m }).daysInMonth : 0;
          const valid = m >= 1 && m <= 12 && day >= 1 && day <= daysInMonth;
          expect('code' in parsed).toBe(!valid);
        },
      ),
    );
    expect(parsePlainDate('2026-1-02')).toMatchObject({ code: 'INVALID_DATE' });
    expect(parsePlainDate('2026-02-29')).toMatchObject({ code: 'INVALID_DATE' });
    expect(parsePlainDate('2028-02-29')).not.toHaveProperty('code');
  });
});
