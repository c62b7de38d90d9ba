import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moveQuote, type QuoteLine, quoteStates, quoteTotal } from './quote.js';

const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const line = (quantity: number, amountMinor: number, kind: QuoteLine['kind'] = 'part'): QuoteLine => ({
  kind,
  description: kind,
  quantity,
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
    expect(quoteTotal([line(1.5, 100)])).toMatchObject({ code: 'INVALID_QUANTITY' });
    expect(quoteTotal([line(1, -1)])).toMatchObject({ code: 'NEGATIVE_PRICE' });
  });

  it('refuses a line or a total past the largest amount, exactly at the edge', () => {
    // 100,000 × 10^12 was a total no column held (a 500); now each product and the sum are checked.
    expect(quoteTotal([line(100_000, 1_000_000_000_000)])).toMatchObject({ code: 'AMOUNT_OUT_OF_RANGE' });
    expect(quoteTotal([line(1, 1_000_000_000_000)])).toEqual(cny(1_000_000_000_000));
    expect(quoteTotal([line(1, 1_000_000_000_000), line(1, 1)])).toMatchObject({
      code: 'AMOUNT_OUT_OF_RANGE',
    });
    expect(quoteTotal([line(2 ** 31, 2 ** 31)])).toMatchObject({ code: 'AMOUNT_OUT_OF_RANGE' });
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
