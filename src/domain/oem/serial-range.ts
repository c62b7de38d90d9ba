/*
 * A lot's serial numbers as a range: a printed prefix and a fixed-width number, "BTH500-2501-000001"
 * to "BTH500-2501-001000". Counting and membership are exact integer arithmetic on the number part;
 * serials that do not share the prefix and width are not in the range.
 */

export type SerialRange = { first: string; last: string };

export type ParsedSerialRange = {
  prefix: string;
  width: number;
  first: bigint;
  last: bigint;
  /** How many serials the range holds. */
  count: number;
};

export type SerialRangeError = { code: 'INVALID_SERIAL_RANGE'; message: string };

const TRAILING_DIGITS = /^(.*?)(\d+)$/;

function split(serial: string): { prefix: string; digits: string } | undefined {
  const m = TRAILING_DIGITS.exec(serial);
  if (!m) return undefined;
  return { prefix: m[1] ?? '', digits: m[2] ?? '' };
}

export function parseSerialRange(range: SerialRange): ParsedSerialRange | SerialRangeError {
  const a = split(range.first.trim());
  const b = split(range.last.trim());
  if (!a || !b) {
    return {
      code: 'INVALID_SERIAL_RANGE',
      message: `a serial range runs between two serials that end in digits ("${range.first}" … "${range.last}")`,
    };
  }
  if (a.prefix !== b.prefix || a.digits.length !== b.digits.length) {
    return {
      code: 'INVALID_SERIAL_RANGE',
      message: `"${range.first}" and "${range.last}" must share their prefix and number width`,
    };
  }
  const first = BigInt(a.digits);
  const last = BigInt(b.digits);
  if (last < first) {
    return { code: 'INVALID_SERIAL_RANGE', message: `"${range.last}" comes before "${range.first}"` };
  }
  const count = last - first + 1n;
  if (count > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { code: 'INVALID_SERIAL_RANGE', message: 'the range is too large' };
  }
  return { prefix: a.prefix, width: a.digits.length, first, last, count: Number(count) };
}

export function serialInRange(range: ParsedSerialRange, serial: string): boolean {
  const s = split(serial.trim());
  if (!s || s.prefix !== range.prefix || s.digits.length !== range.width) return false;
  const n = BigInt(s.digits);
  return n >= range.first && n <= range.last;
}
