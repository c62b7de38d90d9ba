import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  lineTotalMinor,
  moveQuote,
  type QuoteLine,
  quantityOfTenths,
  quantityTenths,
  quoteStates,
  quoteTotal,
} from './quote.js';

const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const line = (quantity: number, amountMinor: number, kind: QuoteLine['kind'] = 'part'): QuoteLine => ({
  kind,
  description: kind,
  quantityTenths: quantity * 10,
  unitPrice: cny(amountMinor),
});
const tenthsLine = (tenths: number, amountMinor: number): QuoteLine => ({
  kind: 'labour',
  description: 'labour',
  quantityTenths: tenths,
  unitPrice: cny(amountMinor),
});

describe('paid-service quote', () => {
  it('totals parts and labour in minor units', () => {
    expect(quoteTotal([line(2, 4550), line(1, 12000, 'labour')])).toEqual(cny(21100));
  });

  it('refuses empty quotes, mixed currencies, bad quantities and negative prices', () => {
    expect(quoteTotal([])).toMatchObject({ code: 'EMPTY_QUOTE' });
    expect(
      quoteTotal([line(1, 100), { ...line(1, 100), unitPrice: { amountMinor: 100, currency: 'USD' } }]),
    ).toMatchObject({
      code: 'CURRENCY_MISMATCH',
    });
    expect(quoteTotal([line(0, 100)])).toMatchObject({ code: 'INVALID_QUANTITY' });
    expect(quoteTotal([tenthsLine(1.5, 100)])).toMatchObject({ code: 'INVALID_QUANTITY' });
    expect(quoteTotal([tenthsLine(1_000_001, 100)])).toMatchObject({ code: 'INVALID_QUANTITY' });
    expect(quoteTotal([line(1, -1)])).toMatchObject({ code: 'NEGATIVE_PRICE' });
  });

  it('refuses a line or a total past the largest amount, exactly at the edge', () => {
    // 100,000 × 10^12 was a total no column held (a 500); now each product and the sum are checked.
    expect(quoteTotal([line(100_000, 1_000_000_000_000)])).toMatchObject({ code: 'AMOUNT_OUT_OF_RANGE' });
    expect(quoteTotal([line(1, 1_000_000_000_000)])).toEqual(cny(1_000_000_000_000));
    expect(quoteTotal([line(1, 1_000_000_000_000), line(1, 1)])).toMatchObject({
      code: 'AMOUNT_OUT_OF_RANGE',
    });
    expect(quoteTotal([line(2 ** 31, 2 ** 31)])).toMatchObject({ code: 'INVALID_QUANTITY' });
    expect(quoteTotal([line(100_000, 2 ** 31)])).toMatchObject({ code: 'AMOUNT_OUT_OF_RANGE' });
  });

  it('is the sum of its lines, in any order (property)', () => {
    const lines = fc.array(
      fc.record({ q: fc.integer({ min: 1, max: 100 }), p: fc.integer({ min: 0, max: 10_000_000 }) }),
      { minLength: 1, maxLength: 20 },
    );
    fc.assert(
      fc.property(lines, (ls) => {
        const qs = ls.map((l) => line(l.q, l.p));
        const expected = ls.reduce((s, l) => s + l.q * l.p, 0);
        expect(quoteTotal(qs)).toEqual(cny(expected));
        expect(quoteTotal([...qs].reverse())).toEqual(cny(expected));
      }),
    );
  });

  it('reads quantities in tenths: 1.5 is 15, and 1.55, 0, negatives and too many are refused', () => {
    expect(quantityTenths(1.5)).toBe(15);
    expect(quantityTenths(0.1)).toBe(1);
    expect(quantityTenths(0.3)).toBe(3);
    expect(quantityTenths(100_000)).toBe(1_000_000);
    expect(quantityTenths(1.55)).toMatchObject({ code: 'INVALID_QUANTITY', reason: 'too_precise' });
    expect(quantityTenths(0)).toMatchObject({ reason: 'not_positive' });
    expect(quantityTenths(-1)).toMatchObject({ reason: 'not_positive' });
    expect(quantityTenths(100_000.1)).toMatchObject({ reason: 'too_large' });
    expect(quantityTenths(Number.NaN)).toMatchObject({ reason: 'not_a_number' });
  });

  it('rounds a line total half up to the minor unit, and totals the rounded lines', () => {
    // 1.5 h at ¥80.00 is ¥120.00 exactly; 1.5 h at ¥33.33 is 4999.5 fen → 5000; 0.5 × 1 fen is 0.5 → 1.
    expect(lineTotalMinor(tenthsLine(15, 8000))).toBe(12000);
    expect(lineTotalMinor(tenthsLine(15, 3333))).toBe(5000);
    expect(lineTotalMinor(tenthsLine(5, 1))).toBe(1);
    expect(lineTotalMinor(tenthsLine(3, 1))).toBe(0);
    expect(quoteTotal([tenthsLine(15, 3333), tenthsLine(15, 3333)])).toEqual(cny(10000));
  });

  it('keeps every tenth exact: n tenths read back as n, and a line is price × tenths / 10 rounded (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (tenths, price) => {
          expect(quantityTenths(quantityOfTenths(tenths))).toBe(tenths);
          const total = lineTotalMinor(tenthsLine(tenths, price));
          expect(total).toBe(Math.floor((tenths * price + 5) / 10));
        },
      ),
    );
  });

  it('goes quote → sent → accepted → repaired → invoiced, and refuses the rest with the allowed moves', () => {
    let state = 'draft' as (typeof quoteStates)[number];
    for (const to of ['sent', 'accepted', 'repaired', 'invoiced'] as const) {
      const r = moveQuote(state, to);
      if (!r.ok) throw new Error(r.error.message);
      state = r.state;
    }
    expect(state).toBe('invoiced');
    expect(moveQuote('sent', 'repaired')).toMatchObject({
      ok: false,
      error: { allowed: ['accepted', 'declined', 'withdrawn'] },
    });
    expect(moveQuote('declined', 'accepted')).toMatchObject({ ok: false, error: { allowed: [] } });
  });
});
