import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import { receiptDay } from './receipt-day.js';

const day = (iso: string) => Temporal.PlainDate.from(iso);

describe('receipt day', () => {
  const today = day('2026-12-03');
  const issuedOn = day('2026-11-28');

  it('is today by default, or an earlier day since the order was issued', () => {
    const iso = (result: ReturnType<typeof receiptDay>) =>
      result instanceof Temporal.PlainDate ? result.toString() : result.code;
    expect(iso(receiptDay({ today, issuedOn }))).toBe('2026-12-03');
    expect(iso(receiptDay({ requested: day('2026-12-02'), today, issuedOn }))).toBe('2026-12-02');
    expect(iso(receiptDay({ requested: issuedOn, today, issuedOn }))).toBe('2026-11-28');
  });

  it('refuses tomorrow and the day before the order was issued', () => {
    expect(receiptDay({ requested: day('2026-12-04'), today, issuedOn })).toMatchObject({
      code: 'RECEIVED_ON_IN_FUTURE',
      latest: '2026-12-03',
    });
    expect(receiptDay({ requested: day('2026-11-27'), today, issuedOn })).toMatchObject({
      code: 'RECEIVED_BEFORE_ISSUED',
      earliest: '2026-11-28',
    });
  });

  it('accepts exactly the days from issue to today (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: -100, max: 500 }),
        (issuedOffset, sinceIssue, requestedOffset) => {
          const issued = day('2025-01-01').add({ days: issuedOffset });
          const now = issued.add({ days: sinceIssue });
          const requested = issued.add({ days: requestedOffset });
          const result = receiptDay({ requested, today: now, issuedOn: issued });
          const inside = requestedOffset >= 0 && requestedOffset <= sinceIssue;
          expect(result instanceof Temporal.PlainDate).toBe(inside);
          if (result instanceof Temporal.PlainDate) expect(result.equals(requested)).toBe(true);
        },
      ),
    );
  });
});
