import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRefund, checkReimbursement } from './remedy-amounts.js';

const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const amount = fc.integer({ min: 0, max: 10 ** 12 });

describe('remedy amounts', () => {
  it('refunds at most the price paid; a sale without a price waits for support', () => {
    fc.assert(
      fc.property(amount, amount, (refund, price) => {
        const r = checkRefund(cny(refund), cny(price));
        expect(r.ok).toBe(refund <= price);
        if (!r.ok) expect(r.error.code).toBe('REFUND_ABOVE_PRICE');
        expect(checkRefund(cny(refund), null)).toEqual({ ok: true, needsApproval: true });
      }),
    );
    expect(checkRefund(cny(1), { amountMinor: 100, currency: 'USD' })).toMatchObject({
      ok: false,
      error: { code: 'REFUND_CURRENCY_MISMATCH' },
    });
  });

  it('asks back at most the catalogue price, and for a refund at most the refund', () => {
    fc.assert(
      fc.property(amount, amount, fc.option(amount, { nil: undefined }), (asked, catalogue, refund) => {
        const r = checkReimbursement(cny(asked), {
          cataloguePrice: cny(catalogue),
          refund: refund === undefined ? undefined : cny(refund),
        });
        expect(r.ok).toBe(asked <= catalogue && (refund === undefined || asked <= refund));
      }),
    );
    expect(checkReimbursement(cny(5), { cataloguePrice: null })).toEqual({ ok: true, unbounded: true });
  });
});
