/*
 * When a webhook delivery is tried again (issue 17). Pure: the dispatcher hands in the times.
 *
 * A delivery that fails is tried again after 30 s, then each wait doubles (1 min, 2 min, 4 min, …) up to
 * six hours between tries, for three days from its first attempt; a try that would fall after the three
 * days is not made — the delivery has failed. An endpoint whose deliveries have failed without a single
 * success for three days is disabled (its admins are told).
 */

export const WEBHOOK_RETRY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
export const FIRST_RETRY_DELAY_MS = 30_000;
export const MAX_RETRY_DELAY_MS = 6 * 60 * 60 * 1000;

/** The wait after the `attempts`-th failed attempt (1: after the first). */
export function retryDelayMs(attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new RangeError('attempts must be a positive integer');
  // 2^(n-1) overflows nothing below the cap: past 20 doublings the cap has long been reached.
  const exponent = Math.min(attempts - 1, 20);
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** exponent, MAX_RETRY_DELAY_MS);
}

/**
 * After a failed attempt: when to try next, or null when that would be past the three days since the
 * first attempt (the delivery has failed for good).
 */
export function nextAttemptAfterFailure(input: {
  /** When the delivery was first attempted (epoch milliseconds). */
  firstAttemptAtMs: number;
  /** When this failed attempt was made. */
  attemptedAtMs: number;
  /** Attempts made so far, this one included. */
  attempts: number;
}): number | null {
  const next = input.attemptedAtMs + retryDelayMs(input.attempts);
  return next - input.firstAttemptAtMs > WEBHOOK_RETRY_WINDOW_MS ? null : next;
}

/** An endpoint failing since `failingSinceMs` (no success since) is disabled once three days have passed. */
export function endpointFailedTooLong(failingSinceMs: number | null, nowMs: number): boolean {
  return failingSinceMs !== null && nowMs - failingSinceMs >= WEBHOOK_RETRY_WINDOW_MS;
}

/** The whole schedule of one delivery that never succeeds, as offsets from its first attempt. */
export function retryOffsetsMs(): number[] {
  const offsets = [0];
  for (let attempts = 1; ; attempts++) {
    const last = offsets.at(-1) ?? 0;
    const next = nextAttemptAfterFailure({ firstAttemptAtMs: 0, attemptedAtMs: last, attempts });
    if (next === null) return offsets;
    offsets.push(next);
  }
}
