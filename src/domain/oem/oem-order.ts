import type { OemPolicy } from '../policy/schema.js';
import { type SerialRange, parseSerialRange } from './serial-range.js';
import { spareAllowance } from './spare-allowance.js';

/*
 * An OEM order as the maker books it: quantity, spare rate and the spares it gives, the lots it ships
 * in (each with its units and, optionally, its serial range). Checked here, stored by the app.
 */

export type OrderLotInput = { lot: string; units?: number | undefined; serials?: SerialRange | undefined };

/** A lot of an order: how many of the order's units it holds, and its serials when known. */
export type OrderLot = { lot: string; units: number; serials: SerialRange | null };

export type OemOrderInput = {
  quantity: number;
  spareRateBps: number;
  lots: readonly OrderLotInput[];
};

export type OemOrderCheck = { spareUnits: number; lots: OrderLot[] };

export type OemOrderProblem = {
  code:
    | 'SPARE_RATE_OUT_OF_RANGE'
    | 'INVALID_QUANTITY'
    | 'LOTS_REQUIRED'
    | 'INVALID_LOT'
    | 'DUPLICATE_LOT'
    | 'LOT_UNITS_REQUIRED'
    | 'LOT_UNITS_MISMATCH'
    | 'INVALID_SERIAL_RANGE'
    | 'SERIAL_RANGE_MISMATCH'
    | 'SERIAL_RANGES_OVERLAP';
  message: string;
  field: string;
};

/** Lot codes are printed labels: letters, digits and a few separators, no spaces. */
export const LOT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
export const MAX_LOTS_PER_ORDER = 100;

/**
 * Checks an order and gives its spares (quantity × rate, rounded up) and its lots. One lot may leave
 * its units out (it holds the whole order); several lots each say how many units they hold, and those
 * add up to the quantity. A serial range, when given, holds exactly the lot's units.
 */
export function checkOemOrder(
  input: OemOrderInput,
  policy: Pick<OemPolicy, 'spareRateBps'>,
): { ok: true; order: OemOrderCheck } | { ok: false; problem: OemOrderProblem } {
  const fail = (code: OemOrderProblem['code'], message: string, field: string) =>
    ({ ok: false, problem: { code, message, field } }) as const;
  const spares = spareAllowance(input.quantity, input.spareRateBps, policy);
  if ('code' in spares) {
    return fail(
      spares.code,
      spares.message,
      spares.code === 'INVALID_QUANTITY' ? 'quantity' : 'spareRateBps',
    );
  }
  if (input.lots.length === 0) return fail('LOTS_REQUIRED', 'an order ships in at least one lot', 'lots');
  if (input.lots.length > MAX_LOTS_PER_ORDER) {
    return fail('INVALID_LOT', `an order has at most ${MAX_LOTS_PER_ORDER} lots`, 'lots');
  }
  const lots: OrderLot[] = [];
  const seen = new Set<string>();
  const ranges: { lot: string; range: Exclude<ReturnType<typeof parseSerialRange>, { code: string }> }[] = [];
  for (const [i, l] of input.lots.entries()) {
    const lot = l.lot.trim();
    const field = `lots.${i}`;
    if (!LOT_PATTERN.test(lot)) {
      return fail(
        'INVALID_LOT',
        `a lot code is up to 64 letters, digits and . _ / - ("${lot}")`,
        `${field}.lot`,
      );
    }
    if (seen.has(lot)) return fail('DUPLICATE_LOT', `lot ${lot} is listed twice`, `${field}.lot`);
    seen.add(lot);
    let units: number;
    if (l.units === undefined) {
      if (input.lots.length > 1) {
        return fail(
          'LOT_UNITS_REQUIRED',
          `with several lots, say how many units lot ${lot} holds`,
          `${field}.units`,
        );
      }
      units = input.quantity;
    } else if (!Number.isSafeInteger(l.units) || l.units <= 0) {
      return fail(
        'LOT_UNITS_MISMATCH',
        `lot ${lot} holds a whole number of units above zero`,
        `${field}.units`,
      );
    } else {
      units = l.units;
    }
    let serials: SerialRange | null = null;
    if (l.serials) {
      const range = parseSerialRange(l.serials);
      if ('code' in range) return fail(range.code, `lot ${lot}: ${range.message}`, `${field}.serials`);
      if (range.count !== units) {
        return fail(
          'SERIAL_RANGE_MISMATCH',
          `lot ${lot}: the serial range holds ${range.count} units, the lot ${units}`,
          `${field}.serials`,
        );
      }
      const overlapping = ranges.find(
        (r) =>
          r.range.prefix === range.prefix &&
          r.range.width === range.width &&
          r.range.first <= range.last &&
          range.first <= r.range.last,
      );
      if (overlapping) {
        return fail(
          'SERIAL_RANGES_OVERLAP',
          `the serial ranges of lots ${overlapping.lot} and ${lot} overlap`,
          `${field}.serials`,
        );
      }
      ranges.push({ lot, range });
      serials = { first: l.serials.first.trim(), last: l.serials.last.trim() };
    }
    lots.push({ lot, units, serials });
  }
  const total = lots.reduce((s, l) => s + l.units, 0);
  if (total !== input.quantity) {
    return fail(
      'LOT_UNITS_MISMATCH',
      `the lots hold ${total} units; the order is for ${input.quantity}`,
      'lots',
    );
  }
  return { ok: true, order: { spareUnits: spares.spareUnits, lots } };
}
