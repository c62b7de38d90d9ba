import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  endpointFailedTooLong,
  FIRST_RETRY_DELAY_MS,
  MAX_RETRY_DELAY_MS,
  nextAttemptAfterFailure,
  retryDelayMs,
  retryOffsetsMs,
  WEBHOOK_RETRY_WINDOW_MS,
} from './retry-schedule.js';

describe('webhook retry schedule', () => {
  it('waits 30 s after the first failure and doubles each time up to six hours', () => {
    expect(retryDelayMs(1)).toBe(30_000);
    expect(retryDelayMs(2)).toBe(60_000);
    expect(retryDelayMs(3)).toBe(120_000);
    expect(retryDelayMs(10)).toBe(30_000 * 512);
    expect(retryDelayMs(11)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(1000)).toBe(MAX_RETRY_DELAY_MS);
    expect(() => retryDelayMs(0)).toThrow(RangeError);
  });

  it('never shortens a wait, never waits less than 30 s or more than six hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (n) => {
        const d = retryDelayMs(n);
        expect(d).toBeGreaterThanOrEqual(FIRST_RETRY_DELAY_MS);
        expect(d).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
        expect(retryDelayMs(n + 1)).toBeGreaterThanOrEqual(d);
        // Exponential until the cap: doubling exactly, or the cap reached.
        expect(retryDelayMs(n + 1) === 2 * d || retryDelayMs(n + 1) === MAX_RETRY_DELAY_MS).toBe(true);
      }),
    );
  });

  it('schedules within three days of the first attempt and not one try beyond them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 45 }),
        fc.integer({ min: 0, max: WEBHOOK_RETRY_WINDOW_MS + 86_400_000 }),
        fc.integer({ min: 1, max: 200 }),
        (first, elapsed, attempts) => {
          const next = nextAttemptAfterFailure({
            firstAttemptAtMs: first,
            attemptedAtMs: first + elapsed,
            attempts,
          });
          const due = first + elapsed + retryDelayMs(attempts);
          if (due - first <= WEBHOOK_RETRY_WINDOW_MS) expect(next).toBe(due);
          else expect(next).toBeNull();
        },
      ),
    );
  });

  it('a delivery that always fails is tried for three days, then given up: the whole schedule', () => {
    const offsets = retryOffsetsMs();
    expect(offsets.slice(0, 4)).toEqual([0, 30_000, 90_000, 210_000]);
    for (let i = 1; i < offsets.length; i++) {
      expect((offsets[i] ?? 0) - (offsets[i - 1] ?? 0)).toBe(retryDelayMs(i));
    }
    expect(offsets.at(-1) ?? Infinity).toBeLessThanOrEqual(WEBHOOK_RETRY_WINDOW_MS);
    expect((offsets.at(-1) ?? 0) + MAX_RETRY_DELAY_MS).toBeGreaterThan(WEBHOOK_RETRY_WINDOW_MS);
    // Two days and a half of six-hour waits after the first hours of doubling.
    expect(offsets.length).toBeGreaterThan(15);
    expect(offsets.length).toBeLessThan(30);
  });

  it('disables an endpoint failing for three days exactly, never sooner, never one that succeeds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 45 }),
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        (since, d) => {
          expect(endpointFailedTooLong(since, since + d)).toBe(d >= WEBHOOK_RETRY_WINDOW_MS);
          expect(endpointFailedTooLong(null, since + d)).toBe(false);
        },
      ),
    );
  });
});
