/**
 * Lock-out after failed sign-ins. The per-IP rate limit stops one machine guessing fast; this stops
 * many machines guessing one account's password slowly — without handing a stranger the power to
 * keep the owner out.
 *
 * Failures are counted per (address, client): a client is a device that has signed in to this account
 * before (a signed device cookie) or else, for a stranger, its IP address (an IPv6 client by its /64,
 * which one subscriber holds whole). Ten failures of one client within fifteen minutes close the door
 * to that client until the oldest of them is fifteen minutes old: a sliding window, so no client ever
 * gets more than ten guesses in any fifteen minutes. Besides, every failure also counts against the
 * address as a whole, with a much higher ceiling (a hundred in fifteen minutes) that closes the address
 * to every stranger — but never to a device the owner has signed in from, so strangers' failures cannot
 * keep the owner out. The owner is told by e-mail when the ceiling closes (at most once a day).
 *
 * Pure: times are epoch milliseconds, handed in; the shell stores the logs and applies these rules.
 */
export type FailureLimit = { readonly maxFailures: number; readonly windowMs: number };

export const SIGN_IN_LOCKOUT = {
  perClient: { maxFailures: 10, windowMs: 15 * 60_000 },
  perAddress: { maxFailures: 100, windowMs: 15 * 60_000 },
  /** The owner hears of the ceiling closing at most once in this time. */
  ownerNoticeEveryMs: 24 * 60 * 60_000,
} as const satisfies {
  perClient: FailureLimit;
  perAddress: FailureLimit;
  ownerNoticeEveryMs: number;
};

/** When failed sign-ins happened, ascending; only the last `maxFailures` within the window matter. */
export type FailureLog = readonly number[];

/** Who is signing in, as far as the locks care. */
export type SignInClient = 'known_device' | 'stranger';

/** The two logs one attempt is judged by: its own client's for this address, and the address's. */
export type SignInLocks = { readonly client: FailureLog; readonly address: FailureLog };

export type Admission =
  { admitted: true } | { admitted: false; lock: 'client' | 'address'; retryAfterMs: number };

/** The failures that still count at `now`: those less than a window old. */
export function recentFailures(log: FailureLog, limit: FailureLimit, now: number): number[] {
  return log.filter((t) => t > now - limit.windowMs);
}

/** How long, at `now`, until the log lets one more attempt through (0: it may try now). */
export function waitMs(log: FailureLog, limit: FailureLimit, now: number): number {
  const recent = recentFailures(log, limit, now);
  if (recent.length < limit.maxFailures) return 0;
  // The door opens when enough failures have aged out that one more keeps the count at the maximum.
  const opening = recent[recent.length - limit.maxFailures] ?? now;
  return Math.max(1, opening + limit.windowMs - now);
}

/**
 * May this attempt be tried? A client's own failures bind it always; the address's ceiling binds
 * strangers only, so a device that signed in before gets through however many strangers failed.
 */
export function admitSignIn(locks: SignInLocks, client: SignInClient, now: number): Admission {
  const own = waitMs(locks.client, SIGN_IN_LOCKOUT.perClient, now);
  if (own > 0) return { admitted: false, lock: 'client', retryAfterMs: own };
  if (client === 'stranger') {
    const ceiling = waitMs(locks.address, SIGN_IN_LOCKOUT.perAddress, now);
    if (ceiling > 0) return { admitted: false, lock: 'address', retryAfterMs: ceiling };
  }
  return { admitted: true };
}

/**
 * The log after one more failure at `now`. What no longer counts is dropped, so a log holds at most a
 * window's admitted attempts; nothing else is, so that withoutFailure undoes this exactly.
 */
export function withFailure(log: FailureLog, limit: FailureLimit, now: number): number[] {
  return [...recentFailures(log, limit, now), now].sort((a, b) => a - b);
}

/** The log without one failure recorded at `at` (an attempt counted before its outcome was known). */
export function withoutFailure(log: FailureLog, at: number): number[] {
  const i = log.indexOf(at);
  return i < 0 ? [...log] : [...log.slice(0, i), ...log.slice(i + 1)];
}

export type SignInOutcome = 'wrong_password' | 'signed_in';

/**
 * The logs after an admitted attempt's outcome, and which doors that failure closed (the moments that
 * are audited, and for the ceiling the one the owner hears of). A wrong password counts against the
 * client and the address; a right one forgets the client's own failures and nothing else — the
 * address's count is strangers' business and must not be reset by the owner signing in.
 */
export function afterSignIn(
  locks: SignInLocks,
  outcome: SignInOutcome,
  now: number,
): { locks: SignInLocks; closed: { client: boolean; address: boolean } } {
  if (outcome === 'signed_in') {
    return { locks: { client: [], address: locks.address }, closed: { client: false, address: false } };
  }
  const { perClient, perAddress } = SIGN_IN_LOCKOUT;
  const client = withFailure(locks.client, perClient, now);
  const address = withFailure(locks.address, perAddress, now);
  return {
    locks: { client, address },
    closed: {
      client: waitMs(locks.client, perClient, now) === 0 && waitMs(client, perClient, now) > 0,
      address: waitMs(locks.address, perAddress, now) === 0 && waitMs(address, perAddress, now) > 0,
    },
  };
}

/** Whether the owner should hear that the ceiling closed, given when they last did. */
export function ownerNoticeDue(lastNoticeAt: number | null, now: number): boolean {
  return lastNoticeAt === null || now - lastNoticeAt >= SIGN_IN_LOCKOUT.ownerNoticeEveryMs;
}

/**
 * The client a stranger is counted as: its IP address, an IPv6 one by its /64 (the block one
 * subscriber is given, so stepping through it is not a new client each time). IPv4-mapped IPv6
 * addresses count as the IPv4 address they carry.
 */
export function strangerClientKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) return `ip:${mapped[1]}`;
  if (!ip.includes(':')) return `ip:${ip}`;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]?.split('::') ?? [];
  const left = head === '' ? [] : head.split(':');
  const right = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  const prefix = groups.slice(0, 4).map((g) => (g === '' ? '0' : g.replace(/^0+(?=.)/, '')));
  while (prefix.length < 4) prefix.push('0');
  return `ip6:${prefix.join(':')}::/64`;
}
