import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import {
  type ClaimOnRegistration,
  dealerRemedyOutlierSignal,
  defaultRiskSettings,
  duplicateProofSignal,
  duplicateSerialSignal,
  frequentClaimsSignal,
  lateRegistrationSignal,
  oemExcessOutlierSignal,
  outlierSignal,
  raisedSignals,
  riskSettingsSchema,
  twelveMonthsBefore,
} from './signals.js';

const d = (s: string) => Temporal.PlainDate.from(s);
const settings = defaultRiskSettings;
const arbDay = fc.integer({ min: 0, max: 3000 }).map((n) => d('2024-01-01').add({ days: n }));
const arbSettings = fc.record({
  maxClaimsPer12Months: fc.integer({ min: 1, max: 20 }),
  lateRegistrationDays: fc.integer({ min: 0, max: 60 }),
  lateRegistrationRepeats: fc.integer({ min: 1, max: 10 }),
  outlierMinSample: fc.integer({ min: 1, max: 500 }),
  outlierFactorPercent: fc.integer({ min: 100, max: 1000 }),
});

describe('duplicates', () => {
  it('flag a serial or a proof that any other purchase carries, and never one alone', () => {
    expect(duplicateSerialSignal(0)).toBeNull();
    expect(duplicateSerialSignal(1)).toEqual({ code: 'duplicate_serial', facts: { otherPurchases: 1 } });
    expect(duplicateProofSignal(0)).toBeNull();
    expect(duplicateProofSignal(2)).toEqual({ code: 'duplicate_proof', facts: { otherPurchases: 2 } });
  });
});

describe('frequent claims', () => {
  it('counts the 12 months that end on the claim, both ends included', () => {
    expect(twelveMonthsBefore(d('2026-12-02')).toString()).toBe('2025-12-03');
    const days = ['2025-12-02', '2025-12-03', '2026-03-01', '2026-12-02'].map(d);
    // 2025-12-02 is a year and a day before: outside. Three inside, with the default limit of 3: quiet.
    expect(frequentClaimsSignal(days, d('2026-12-02'), settings)).toBeNull();
    expect(frequentClaimsSignal([...days, d('2026-06-01')], d('2026-12-02'), settings)).toEqual({
      code: 'frequent_claims',
      facts: { claims: 4, limit: 3 },
    });
    // Claims after the day looked at are not counted: a review sees what was known then.
    expect(frequentClaimsSignal([...days, d('2026-12-03')], d('2026-12-02'), settings)).toBeNull();
  });

  it('one more claim never clears a flag, and a higher limit never raises one (property)', () => {
    fc.assert(
      fc.property(fc.array(arbDay, { maxLength: 30 }), arbDay, arbDay, arbSettings, (days, on, extra, s) => {
        const before = frequentClaimsSignal(days, on, s);
        const after = frequentClaimsSignal([...days, extra], on, s);
        if (before) expect(after).not.toBeNull();
        const laxer = frequentClaimsSignal(days, on, { maxClaimsPer12Months: s.maxClaimsPer12Months + 1 });
        if (laxer) expect(before).not.toBeNull();
      }),
    );
  });
});

describe('late registration', () => {
  const claim = (registeredOn: string, reportedOn: string): ClaimOnRegistration => ({
    registeredOn: d(registeredOn),
    reportedOn: d(reportedOn),
  });

  it('is raised by the second claim made within days of its registration, not the first', () => {
    const late = claim('2026-05-01', '2026-05-03');
    expect(lateRegistrationSignal(late, [], settings)).toBeNull();
    expect(lateRegistrationSignal(late, [claim('2026-01-10', '2026-01-10')], settings)).toEqual({
      code: 'late_registration',
      facts: { leadDays: 2, lateClaims: 2, withinDays: 3 },
    });
    // An honest pattern: registered at purchase, claimed months later.
    expect(lateRegistrationSignal(claim('2026-01-01', '2026-05-03'), [late, late], settings)).toBeNull();
    expect(lateRegistrationSignal(late, [claim('2026-01-01', '2026-03-01')], settings)).toBeNull();
  });

  it('a claim made sooner after registering, or one more late claim, never clears a flag (property)', () => {
    const arbClaim = fc
      .tuple(arbDay, fc.integer({ min: 0, max: 400 }))
      .map(([reg, lead]) => ({ registeredOn: reg, reportedOn: reg.add({ days: lead }) }));
    fc.assert(
      fc.property(
        arbClaim,
        fc.array(arbClaim, { maxLength: 10 }),
        arbClaim,
        arbSettings,
        (c, earlier, extra, s) => {
          const flagged = lateRegistrationSignal(c, earlier, s);
          expect(lateRegistrationSignal(c, [...earlier, extra], s) !== null || flagged === null).toBe(true);
          const sooner = { registeredOn: c.registeredOn, reportedOn: c.registeredOn };
          if (flagged) expect(lateRegistrationSignal(sooner, earlier, s)).not.toBeNull();
        },
      ),
    );
  });
});

describe('outliers against peers', () => {
  it('flags a dealer whose rate is well above its peers even at the low end of its interval', () => {
    // 12 refunds in 40 sales (30 %) against peers at 2 %: the lower bound (~18 %) is far above 4 %.
    const flagged = outlierSignal(
      'dealer_remedy_outlier',
      { events: 12, base: 40 },
      { events: 20, base: 1000 },
      settings,
    );
    expect(flagged?.code).toBe('dealer_remedy_outlier');
    expect(flagged?.facts.lowerBound).toBeGreaterThan(0.15);
    // One unlucky refund in 20 sales: the interval is wide, nothing is flagged.
    expect(
      outlierSignal('dealer_remedy_outlier', { events: 1, base: 20 }, { events: 20, base: 1000 }, settings),
    ).toBeNull();
    // No peers to compare with (the only dealer of a product): nothing to stand out from.
    expect(
      outlierSignal('dealer_remedy_outlier', { events: 30, base: 40 }, { events: 0, base: 0 }, settings),
    ).toBeNull();
    // Too few sales to say anything.
    expect(
      outlierSignal('dealer_remedy_outlier', { events: 10, base: 10 }, { events: 0, base: 1000 }, settings),
    ).toBeNull();
  });

  it('names the product on which a dealer stands out', () => {
    const signal = dealerRemedyOutlierSignal(
      [
        { productSku: 'HS-200', dealer: { events: 1, base: 50 }, peers: { events: 10, base: 500 } },
        { productSku: 'DCP-48', dealer: { events: 15, base: 50 }, peers: { events: 5, base: 500 } },
      ],
      settings,
    );
    expect(signal?.facts.productSku).toBe('DCP-48');
  });

  it('a client whose accepted excess is ordinary is not flagged', () => {
    expect(
      oemExcessOutlierSignal({ events: 5, base: 1000 }, { events: 40, base: 10_000 }, settings),
    ).toBeNull();
    expect(
      oemExcessOutlierSignal({ events: 300, base: 1000 }, { events: 40, base: 10_000 }, settings)?.code,
    ).toBe('oem_excess_outlier');
  });

  it('more events, or peers doing better, never clears a flag; a lower rate never raises one (property)', () => {
    const arbSample = fc
      .tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }))
      .map(([events, extra]) => ({ events, base: events + extra }));
    fc.assert(
      fc.property(
        arbSample,
        arbSample,
        arbSettings,
        fc.integer({ min: 1, max: 100 }),
        (party, peers, s, more) => {
          const flagged = outlierSignal('oem_excess_outlier', party, peers, s) !== null;
          const worse = { events: Math.min(party.base, party.events + more), base: party.base };
          if (flagged) expect(outlierSignal('oem_excess_outlier', worse, peers, s)).not.toBeNull();
          const betterPeers = { events: Math.max(0, peers.events - more), base: peers.base };
          if (flagged) expect(outlierSignal('oem_excess_outlier', party, betterPeers, s)).not.toBeNull();
          const lower = { events: Math.max(0, party.events - more), base: party.base };
          if (outlierSignal('oem_excess_outlier', lower, peers, s)) expect(flagged).toBe(true);
        },
      ),
    );
  });
});

describe('settings', () => {
  it('accept the documented defaults and refuse nonsense', () => {
    expect(riskSettingsSchema.parse(defaultRiskSettings)).toEqual(defaultRiskSettings);
    expect(riskSettingsSchema.safeParse({ ...defaultRiskSettings, outlierFactorPercent: 50 }).success).toBe(
      false,
    );
    expect(riskSettingsSchema.safeParse({ ...defaultRiskSettings, maxClaimsPer12Months: 1.5 }).success).toBe(
      false,
    );
    expect(riskSettingsSchema.safeParse({ ...defaultRiskSettings, extra: 1 }).success).toBe(false);
  });

  it('raisedSignals keeps only the flags raised', () => {
    expect(raisedSignals([null, duplicateSerialSignal(1), null])).toHaveLength(1);
  });
});
