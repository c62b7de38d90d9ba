import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { halotekPolicyV1 } from '../policy/halotek.js';
import { creditsForNewOrder, orderBilling, type PendingCredit, resolveExcess } from './excess-resolution.js';

const offered = halotekPolicyV1.oem.excessRemedies.map((r) => r.code);
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });

describe('choosing a remedy for excess defects', () => {
  const base = { excess: 6, resolvedUnits: 0, unitPrice: cny(12_000), offered };

  it('takes all the unresolved excess by default, or part of it', () => {
    expect(resolveExcess({ ...base, choice: { remedy: 'replacement_shipment' } })).toEqual({
      ok: true,
      resolution: { remedy: 'replacement_shipment', units: 6, creditKind: null, creditAmount: null },
    });
    expect(
      resolveExcess({ ...base, resolvedUnits: 2, choice: { remedy: 'next_order_credit', credit: 'units' } }),
    ).toMatchObject({
      ok: true,
      resolution: { units: 4, creditKind: 'units' },
    });
    expect(
      resolveExcess({ ...base, choice: { remedy: 'next_order_credit', credit: 'money', units: 5 } }),
    ).toMatchObject({
      ok: true,
      resolution: { units: 5, creditKind: 'money', creditAmount: cny(60_000) },
    });
  });

  it('refuses what there is no excess for, more than the excess, and money without a price', () => {
    const code = (args: Partial<Parameters<typeof resolveExcess>[0]>) => {
      const r = resolveExcess({ ...base, choice: { remedy: 'replacement_shipment' }, ...args });
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code({ excess: 0 })).toBe('NO_EXCESS');
    expect(code({ resolvedUnits: 6 })).toBe('NO_EXCESS');
    expect(code({ choice: { remedy: 'replacement_shipment', units: 7 } })).toBe('UNITS_EXCEED_EXCESS');
    expect(code({ choice: { remedy: 'replacement_shipment', units: 0 } })).toBe('INVALID_UNITS');
    expect(code({ unitPrice: null, choice: { remedy: 'next_order_credit', credit: 'money' } })).toBe(
      'UNIT_PRICE_UNKNOWN',
    );
    expect(
      code({ offered: ['replacement_shipment'], choice: { remedy: 'next_order_credit', credit: 'units' } }),
    ).toBe('REMEDY_NOT_OFFERED');
  });
});

describe('credits on the next order', () => {
  const units = (id: string, productId: string, n: number): PendingCredit => ({
    id,
    productId,
    kind: 'units',
    units: n,
    amount: null,
  });
  const cash = (id: string, amount: number, currency = 'CNY'): PendingCredit => ({
    id,
    productId: 'p',
    kind: 'money',
    units: 1,
    amount: { amountMinor: amount, currency },
  });

  it('applies unit credits to the same product, money credits whole in the same currency', () => {
    const pending = [
      units('u1', 'p', 4),
      units('u2', 'q', 3),
      cash('m1', 50_000),
      cash('m2', 80_000),
      cash('m3', 10_000, 'USD'),
    ];
    expect(creditsForNewOrder(pending, { productId: 'p', quantity: 10, unitPrice: cny(10_000) })).toEqual([
      'u1',
      'm1',
    ]);
    expect(creditsForNewOrder(pending, { productId: 'q', quantity: 10, unitPrice: null })).toEqual(['u2']);
    expect(
      orderBilling(
        { quantity: 10, unitPrice: cny(10_000) },
        pending.filter((c) => c.id === 'u1' || c.id === 'm1'),
      ),
    ).toEqual({
      freeUnits: 4,
      orderValue: cny(100_000),
      creditApplied: cny(50_000),
      amountDue: cny(50_000),
    });
  });

  it('never applies more money than the order is worth, and the bill adds up (property)', () => {
    const credit = fc.record({
      id: fc.uuid(),
      kind: fc.constantFrom('units' as const, 'money' as const),
      product: fc.constantFrom('p', 'q'),
      units: fc.integer({ min: 1, max: 50 }),
      amount: fc.integer({ min: 1, max: 500_000 }),
      currency: fc.constantFrom('CNY', 'USD'),
    });
    fc.assert(
      fc.property(
        fc.array(credit, { maxLength: 12 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 20_000 }),
        (raw, quantity, price) => {
          const pending: PendingCredit[] = raw.map((c) => ({
            id: c.id,
            productId: c.product,
            kind: c.kind,
            units: c.units,
            amount: c.kind === 'money' ? { amountMinor: c.amount, currency: c.currency } : null,
          }));
          const order = { productId: 'p', quantity, unitPrice: cny(price) };
          const ids = creditsForNewOrder(pending, order);
          const applied = pending.filter((c) => ids.includes(c.id));
          expect(new Set(ids).size).toBe(ids.length);
          for (const c of applied) {
            if (c.kind === 'units') expect(c.productId).toBe('p');
            else expect(c.amount?.currency).toBe('CNY');
          }
          const bill = orderBilling(order, applied);
          const value = bill.orderValue?.amountMinor ?? NaN;
          const credited = bill.creditApplied?.amountMinor ?? NaN;
          expect(credited).toBeLessThanOrEqual(value);
          expect((bill.amountDue?.amountMinor ?? NaN) + credited).toBe(value);
          expect(bill.freeUnits).toBe(
            applied.filter((c) => c.kind === 'units').reduce((s, c) => s + c.units, 0),
          );
        },
      ),
    );
  });
});
