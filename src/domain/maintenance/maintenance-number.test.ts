import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_MAINTENANCE_SEQUENCE,
  maintenanceNumberFor,
  parseMaintenanceNumber,
} from './maintenance-number.js';

const sequence = fc.bigInt({ min: 0n, max: MAX_MAINTENANCE_SEQUENCE });
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

describe('maintenance numbers', () => {
  it('look like M-XXXX-XXXX and read back as themselves', () => {
    fc.assert(
      fc.property(sequence, (n) => {
        const number = maintenanceNumberFor(n);
        expect(number).toMatch(/^M-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
        expect(parseMaintenanceNumber(number)).toBe(number);
        expect(parseMaintenanceNumber(number.toLowerCase().replaceAll('-', ' '))).toBe(number);
      }),
    );
  });

  it('differ for different sequence values, and neighbours do not look alike', () => {
    const seen = new Set<string>();
    for (let i = 0n; i < 20_000n; i++) seen.add(maintenanceNumberFor(i));
    expect(seen.size).toBe(20_000);
    fc.assert(
      fc.property(sequence, sequence, (a, b) => {
        if (a !== b) expect(maintenanceNumberFor(a)).not.toBe(maintenanceNumberFor(b));
      }),
    );
    const [a, b] = [maintenanceNumberFor(1000n), maintenanceNumberFor(1001n)];
    const same = Array.from(a).filter((c, i) => c === b[i]).length;
    expect(same).toBeLessThan(6);
  });

  it('catch every single wrong character and every swap of neighbours', () => {
    fc.assert(
      fc.property(
        sequence,
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 31 }),
        (n, pos, shift) => {
          const compact = maintenanceNumberFor(n).replaceAll('-', '').slice(1);
          const wrong = ALPHABET[(ALPHABET.indexOf(compact[pos] ?? '0') + shift) % 32] ?? '0';
          const typo = compact.slice(0, pos) + wrong + compact.slice(pos + 1);
          expect(parseMaintenanceNumber(typo)).toMatchObject({ code: 'INVALID_MAINTENANCE_NUMBER' });
        },
      ),
    );
    // Exhaustively: every ordered pair of different characters at every pair of neighbours, the
    // check character included, in a few numbers.
    let swaps = 0;
    for (const n of [0n, 7919n, 123_456_789n]) {
      const data = maintenanceNumberFor(n).replaceAll('-', '').slice(1, 8);
      for (let pos = 0; pos < 7; pos++) {
        for (const a of ALPHABET) {
          for (const b of ALPHABET) {
            const candidate = data.slice(0, pos) + a + (pos < 6 ? b : '') + data.slice(pos + 2);
            const valid = Array.from(ALPHABET)
              .map((c) => candidate + c)
              .find((c) => typeof parseMaintenanceNumber(c) === 'string');
            if (!valid) throw new Error('every data has one check character');
            const swapped =
              valid.slice(0, pos) + (valid[pos + 1] ?? '') + (valid[pos] ?? '') + valid.slice(pos + 2);
            if (swapped === valid) continue;
            swaps++;
            expect(parseMaintenanceNumber(swapped)).toMatchObject({ code: 'INVALID_MAINTENANCE_NUMBER' });
          }
        }
      }
    }
    expect(swaps).toBeGreaterThan(20_000);
    // About a second alone; an exhaustive check must not fail for a busy machine.
  }, 60_000);

  it('forgive O for 0 and I or L for 1, and refuse what cannot be a number', () => {
    const number = maintenanceNumberFor(42n);
    const sloppy = number.replace(/0/g, 'o').replace(/1/g, 'l');
    expect(parseMaintenanceNumber(sloppy)).toBe(number);
    expect(parseMaintenanceNumber('M-1234')).toMatchObject({ code: 'INVALID_MAINTENANCE_NUMBER' });
    expect(parseMaintenanceNumber('M-12#4-5678')).toMatchObject({ code: 'INVALID_MAINTENANCE_NUMBER' });
    expect(() => maintenanceNumberFor(-1n)).toThrow(RangeError);
    expect(() => maintenanceNumberFor(MAX_MAINTENANCE_SEQUENCE + 1n)).toThrow(RangeError);
  });
});
