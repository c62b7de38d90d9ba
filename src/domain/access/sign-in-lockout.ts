/**
 * Lock-out after failed sign-ins, per e-mail address. The per-client rate limit stops one machine
 * guessing fast; this stops many machines guessing one account's password slowly. Ten failures within
 * fifteen minutes lock the address for fifteen minutes: long enough to make guessing hopeless (at most
 * 40 guesses an hour), short enough that someone locking a colleague out does no lasting harm. Times
 * are epoch milliseconds, handed in.
 */
export const SIGN_IN_LOCKOUT = {
  maxFailures: 10,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

export type SignInFailures = { failures: number; firstFailedAt: number; lockedUntil: number | null };

/** How much longer the address is locked at `now`, in milliseconds: 0 when it may try. */
export function lockedForMs(state: SignInFailures | undefined, now: number): number {
  if (!state || state.lockedUntil === null) return 0;
  return Math.max(0, state.lockedUntil - now);
}

/** The record after one more failed sign-in at `now`; a failure outside the window starts a new count. */
export function afterFailure(state: SignInFailures | undefined, now: number): SignInFailures {
  // A locked address is refused before its password is tried, so it cannot fail again meanwhile.
  if (state && lockedForMs(state, now) > 0) return state;
  if (!state || state.lockedUntil !== null || now - state.firstFailedAt >= SIGN_IN_LOCKOUT.windowMs) {
    return { failures: 1, firstFailedAt: now, lockedUntil: null };
  }
  const failures = state.failures + 1;
  return {
    failures,
    firstFailedAt: state.firstFailedAt,
    lockedUntil: failures >= SIGN_IN_LOCKOUT.maxFailures ? now + SIGN_IN_LOCKOUT.lockMs : null,
  };
}
