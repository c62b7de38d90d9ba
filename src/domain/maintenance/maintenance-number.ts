/*
 * A maintenance number is what a customer reads over the phone and types into the tracking page:
 * short (M-XXXX-XXXX), case-insensitive, in Crockford's base 32 (no I, L, O, U to mistake), with a
 * check character that catches every single wrong character and every swap of two neighbours. Uniqueness across processes comes from a database sequence; the number is that
 * sequence value scrambled by a bijection, so consecutive orders do not get consecutive numbers.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATA_CHARS = 7;
const BITS = 35n; // 7 characters of 5 bits
const SPACE = 1n << BITS;
const MASK = SPACE - 1n;
/** The largest sequence value a number can carry: 34 billion orders. */
export const MAX_MAINTENANCE_SEQUENCE = SPACE - 1n;

// Odd multipliers are invertible modulo 2^35 and a right xorshift is invertible on a fixed width, so
// each step, and their composition, is a bijection: no two sequence values share a number.
const M1 = 0x5_4f2d_a3b9n;
const M2 = 0x3_9c8e_17d5n;
function scramble(n: bigint): bigint {
  let x = (n * M1) & MASK;
  x ^= x >> 17n;
  x = (x * M2) & MASK;
  x ^= x >> 15n;
  return x;
}

/** Multiplication by x in GF(2^5) modulo the irreducible x^5 + x^2 + 1. */
const timesX = (v: number): number => ((v << 1) ^ (v & 16 ? 0b100101 : 0)) & 31;

/**
 * Damm's check over the quasigroup a∗b = x·a ⊕ b in GF(32), which is totally anti-symmetric
 * ((c∗a)∗b = (c∗b)∗a forces a = b, as x ≠ 1): so every single substitution and every swap of
 * neighbours, the check character included, changes the result. Luhn mod 32 would let 0 ↔ Z through.
 */
function dammInterim(digits: readonly number[]): number {
  let interim = 0;
  for (const d of digits) interim = timesX(interim) ^ d;
  return interim;
}
const checkCharacter = (digits: readonly number[]): number => timesX(dammInterim(digits));

function format(chars: string): string {
  return `M-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The maintenance number for a sequence value (0 ≤ n ≤ MAX_MAINTENANCE_SEQUENCE). */
export function maintenanceNumberFor(sequence: bigint): string {
  if (sequence < 0n || sequence > MAX_MAINTENANCE_SEQUENCE) {
    throw new RangeError(`maintenance sequence ${sequence} is outside 0…${MAX_MAINTENANCE_SEQUENCE}`);
  }
  let x = scramble(sequence);
  const digits: number[] = [];
  for (let i = 0; i < DATA_CHARS; i++) {
    digits.unshift(Number(x & 31n));
    x >>= 5n;
  }
  digits.push(checkCharacter(digits));
  return format(digits.map((d) => ALPHABET[d]).join(''));
}

export type MaintenanceNumberError = { code: 'INVALID_MAINTENANCE_NUMBER'; message: string };

/**
 * Reads a number as people type it — any case, with or without the M and the dashes, O for 0 and
 * I or L for 1 — and returns its canonical form, or says why it cannot be one.
 */
export function parseMaintenanceNumber(input: string): string | MaintenanceNumberError {
  const bare = input.toUpperCase().replace(/[\s-]/g, '');
  // The M prefix is optional, and M is also a data character: only a ninth character is the prefix.
  const compact = (bare.length === DATA_CHARS + 2 && bare.startsWith('M') ? bare.slice(1) : bare)
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (compact.length !== DATA_CHARS + 1) {
    return {
      code: 'INVALID_MAINTENANCE_NUMBER',
      message: 'a maintenance number has 8 characters after the M',
    };
  }
  const digits = Array.from(compact, (c) => ALPHABET.indexOf(c));
  if (digits.some((d) => d < 0)) {
    return {
      code: 'INVALID_MAINTENANCE_NUMBER',
      message: 'a maintenance number has only digits and letters',
    };
  }
  if (dammInterim(digits) !== 0) {
    return {
      code: 'INVALID_MAINTENANCE_NUMBER',
      message: 'this maintenance number has a typing error (its check character does not match)',
    };
  }
  return format(compact);
}
