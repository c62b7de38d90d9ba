import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailure, lockedForMs, SIGN_IN_LOCKOUT, type SignInFailures } from './sign-in-lockout.js';

const { maxFailures, windowMs, lockMs } = SIGN_IN_LOCKOUT;
const T0 = Date.UTC(2026, 10, 25, 4);

const failAt = (times: readonly number[]) =>
  times.reduce<SignInFailures | undefined>((state, t) => afterFailure(state, t), undefined);

describe('sign-in lock-out', () => {
  it('locks on the tenth failure within the window, for fifteen minutes', () => {
    const nine = failAt(Array.from({ length: maxFailures - 1 }, (_, i) => T0 + i * 1000));
    expect(lockedForMs(nine, T0 + 9000)).toBe(0);
    const ten = afterFailure(nine, T0 + 9000);
    expect(lockedForMs(ten, T0 + 9000)).toBe(lockMs);
    expect(lockedForMs(ten, T0 + 9000 + lockMs - 1)).toBe(1);
    expect(lockedForMs(ten, T0 + 9000 + lockMs)).toBe(0);
  });

  it('starts a new count after the lock ends', () => {
    const locked = failAt(Array.from({ length: maxFailures }, (_, i) => T0 + i));
    const after = afterFailure(locked, T0 + lockMs + 1000);
    expect(after).toEqual({ failures: 1, firstFailedAt: T0 + lockMs + 1000, lockedUntil: null });
  });

  it('never locks when failures are spread wider than the window (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: Math.ceil(windowMs / (maxFailures - 1)), max: 2 * windowMs }), {
          minLength: 1,
          maxLength: 60,
        }),
        (gaps) => {
          let t = T0;
          let state: SignInFailures | undefined;
          for (const gap of gaps) {
            t += gap;
            state = afterFailure(state, t);
            expect(lockedForMs(state, t)).toBe(0);
          }
        },
      ),
    );
  });

  it('locks whenever ten failures fall inside one window, and never before the tenth (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: Math.floor((windowMs - 1) / maxFailures) }), {
          minLength: maxFailures,
          maxLength: maxFailures,
        }),
        (gaps) => {
          let t = T0;
          let state: SignInFailures | undefined;
          gaps.forEach((gap, i) => {
            t += gap;
            state = afterFailure(state, t);
            expect(lockedForMs(state, t) > 0).toBe(i === maxFailures - 1);
          });
        },
      ),
    );
  });
});
