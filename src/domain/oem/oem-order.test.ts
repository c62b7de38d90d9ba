import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { halotekPolicyV1 } from '../policy/halotek.js';
import { checkOemOrder } from './oem-order.js';
import { parseSerialRange, serialInRange } from './serial-range.js';

const policy = halotekPolicyV1.oem;

describe('serial ranges', () => {
  it('count and hold serials that share a prefix and number width', () => {
    const r = parseSerialRange({ first: 'BTH500-2501-000001', last: 'BTH500-2501-001000' });
    if ('code' in r) throw new Error(r.message);
    expect(r.count).toBe(1000);
    expect(serialInRange(r, 'BTH500-2501-000500')).toBe(true);
    expect(serialInRange(r, 'BTH500-2501-001001')).toBe(false);
    expect(serialInRange(r, 'BTH500-2501-0500')).toBe(false);
    expect(serialInRange(r, 'BTH501-2501-000500')).toBe(false);
    expect(parseSerialRange({ first: 'A-10', last: 'A-09' })).toMatchObject({ code: 'INVALID_SERIAL_RANGE' });
    expect(parseSerialRange({ first: 'A-10', last: 'B-20' })).toMatchObject({ code: 'INVALID_SERIAL_RANGE' });
    expect(parseSerialRange({ first: 'A-X', last: 'A-Y' })).toMatchObject({ code: 'INVALID_SERIAL_RANGE' });
  });

  it('holds exactly its count of serials (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_000 }), fc.integer({ min: 1, max: 999 }), (start, count) => {
        const pad = (n: number) => `LOT-${String(n).padStart(6, '0')}`;
        const r = parseSerialRange({ first: pad(start), last: pad(start + count - 1) });
        if ('code' in r) throw new Error(r.message);
        expect(r.count).toBe(count);
        expect(serialInRange(r, pad(start))).toBe(true);
        expect(serialInRange(r, pad(start + count - 1))).toBe(true);
        expect(serialInRange(r, pad(start + count))).toBe(false);
      }),
    );
  });
});

describe('an OEM order', () => {
  it('gives its spares and lots; one lot holds the whole order', () => {
    expect(checkOemOrder({ quantity: 2000, spareRateBps: 50, lots: [{ lot: 'L1' }] }, policy)).toEqual({
      ok: true,
      order: { spareUnits: 10, lots: [{ lot: 'L1', units: 2000, serials: null }] },
    });
    const two = checkOemOrder(
      {
        quantity: 1500,
        spareRateBps: 30,
        lots: [
          { lot: 'L1', units: 1000, serials: { first: 'S-0001', last: 'S-1000' } },
          { lot: 'L2', units: 500 },
        ],
      },
      policy,
    );
    expect(two).toMatchObject({ ok: true, order: { spareUnits: 5 } });
  });

  it('refuses what the policy or the lots do not allow, with a code and the field', () => {
    const check = (input: Parameters<typeof checkOemOrder>[0]) => {
      const r = checkOemOrder(input, policy);
      return r.ok ? 'ok' : [r.problem.code, r.problem.field];
    };
    expect(check({ quantity: 2000, spareRateBps: 60, lots: [{ lot: 'L1' }] })).toEqual([
      'SPARE_RATE_OUT_OF_RANGE',
      'spareRateBps',
    ]);
    expect(check({ quantity: 2000, spareRateBps: 0.4, lots: [{ lot: 'L1' }] })).toEqual([
      'SPARE_RATE_OUT_OF_RANGE',
      'spareRateBps',
    ]);
    expect(check({ quantity: 0, spareRateBps: 40, lots: [{ lot: 'L1' }] })).toEqual([
      'INVALID_QUANTITY',
      'quantity',
    ]);
    expect(check({ quantity: 10, spareRateBps: 40, lots: [] })).toEqual(['LOTS_REQUIRED', 'lots']);
    expect(check({ quantity: 10, spareRateBps: 40, lots: [{ lot: 'L 1' }] })).toEqual([
      'INVALID_LOT',
      'lots.0.lot',
    ]);
    expect(
      check({
        quantity: 10,
        spareRateBps: 40,
        lots: [
          { lot: 'L1', units: 5 },
          { lot: 'L1', units: 5 },
        ],
      }),
    ).toEqual(['DUPLICATE_LOT', 'lots.1.lot']);
    expect(check({ quantity: 10, spareRateBps: 40, lots: [{ lot: 'L1', units: 5 }, { lot: 'L2' }] })).toEqual(
      ['LOT_UNITS_REQUIRED', 'lots.1.units'],
    );
    expect(
      check({
        quantity: 10,
        spareRateBps: 40,
        lots: [
          { lot: 'L1', units: 5 },
          { lot: 'L2', units: 4 },
        ],
      }),
    ).toEqual(['LOT_UNITS_MISMATCH', 'lots']);
    expect(
      check({
        quantity: 10,
        spareRateBps: 40,
        lots: [{ lot: 'L1', serials: { first: 'S-01', last: 'S-09' } }],
      }),
    ).toEqual(['SERIAL_RANGE_MISMATCH', 'lots.0.serials']);
    expect(
      check({
        quantity: 20,
        spareRateBps: 40,
        lots: [
          { lot: 'L1', units: 10, serials: { first: 'S-01', last: 'S-10' } },
          { lot: 'L2', units: 10, serials: { first: 'S-05', last: 'S-14' } },
        ],
      }),
    ).toEqual(['SERIAL_RANGES_OVERLAP', 'lots.1.serials']);
  });
});
