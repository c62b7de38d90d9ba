import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  admitSignIn,
  afterSignIn,
  type FailureLog,
  ownerNoticeDue,
  SIGN_IN_LOCKOUT,
  type SignInClient,
  type SignInLocks,
  strangerClientKey,
  waitMs,
  withFailure,
  withoutFailure,
} from './sign-in-lockout.js';

const { perClient, perAddress } = SIGN_IN_LOCKOUT;
const T0 = Date.UTC(2026, 10, 25, 4);

/*
 * A model of one address under attack: clients (strangers by IP, and the owner's known device) try
 * passwords at times of fast-check's choosing; each attempt is admitted or refused by the rule, and an
 * admitted one ends as its password was right or wrong. The properties are checked over every run.
 */
type Attempt = { gapMs: number; client: number; right: boolean };
const OWNER = 0; // client 0 is the owner's known device; the others are strangers
const kindOf = (client: number): SignInClient => (client === OWNER ? 'known_device' : 'stranger');

function run(attempts: readonly Attempt[]) {
  let now = T0;
  const clients = new Map<number, FailureLog>();
  let address: FailureLog = [];
  const log: { at: number; client: number; right: boolean; admitted: boolean; locks: SignInLocks }[] = [];
  for (const a of attempts) {
    now += a.gapMs;
    // Only the owner knows the password.
    const right = a.client === OWNER && a.right;
    const locks = { client: clients.get(a.client) ?? [], address };
    const admission = admitSignIn(locks, kindOf(a.client), now);
    log.push({ at: now, client: a.client, right, admitted: admission.admitted, locks });
    if (!admission.admitted) continue;
    const next = afterSignIn(locks, right ? 'signed_in' : 'wrong_password', now);
    clients.set(a.client, next.locks.client);
    address = next.locks.address;
  }
  return log;
}

const attempts = (maxGapMs: number, clients = 4, minLength = 0) =>
  fc.array(
    fc.record({
      gapMs: fc.integer({ min: 0, max: maxGapMs }),
      client: fc.integer({ min: 0, max: clients - 1 }),
      right: fc.boolean(),
    }),
    { minLength, maxLength: 400 },
  );

describe('sign-in lock-out', () => {
  it('closes to a client on its tenth failure within fifteen minutes, until the oldest ages out', () => {
    let log: FailureLog = [];
    for (let i = 0; i < perClient.maxFailures - 1; i++) log = withFailure(log, perClient, T0 + i * 1000);
    expect(waitMs(log, perClient, T0 + 9000)).toBe(0);
    log = withFailure(log, perClient, T0 + 9000);
    expect(waitMs(log, perClient, T0 + 9000)).toBe(perClient.windowMs - 9000);
    expect(waitMs(log, perClient, T0 + perClient.windowMs - 1)).toBe(1);
    expect(waitMs(log, perClient, T0 + perClient.windowMs)).toBe(0);
  });

  it('never lets a client make more than ten failed guesses in any fifteen minutes (property)', () => {
    fc.assert(
      fc.property(attempts(2 * 60_000, 4, 40), (as) => {
        const events = run(as).filter((e) => e.admitted);
        events.forEach((f, i) => {
          if (f.right) return;
          // The client's failures from this one on, within a window and before its next success.
          let count = 0;
          for (const g of events.slice(i)) {
            if (g.client !== f.client) continue;
            if (g.right || g.at >= f.at + perClient.windowMs) break;
            count++;
          }
          expect(count).toBeLessThanOrEqual(perClient.maxFailures);
        });
      }),
    );
  });

  it('never lets strangers together make more than the ceiling of failed guesses in a window (property)', () => {
    fc.assert(
      fc.property(attempts(3_000, 60, 300), (as) => {
        const failures = run(as).filter((e) => e.admitted && !e.right && e.client !== OWNER);
        for (const f of failures) {
          const inWindow = failures.filter((g) => g.at >= f.at && g.at < f.at + perAddress.windowMs);
          expect(inWindow.length).toBeLessThanOrEqual(perAddress.maxFailures);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('never refuses the known device because of strangers’ failures (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 150, maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 300 }),
        (strangerGaps, strangerIds) => {
          // Strangers fail as often as they are let; then the owner's device, with no failures of its
          // own, tries its right password.
          let now = T0;
          let address: FailureLog = [];
          const strangers = new Map<number, FailureLog>();
          strangerGaps.forEach((gap, i) => {
            now += gap;
            const id = strangerIds[i % Math.max(1, strangerIds.length)] ?? 1;
            const locks = { client: strangers.get(id) ?? [], address };
            if (!admitSignIn(locks, 'stranger', now).admitted) return;
            const next = afterSignIn(locks, 'wrong_password', now);
            strangers.set(id, next.locks.client);
            address = next.locks.address;
          });
          expect(admitSignIn({ client: [], address }, 'known_device', now)).toEqual({ admitted: true });
        },
      ),
    );
  });

  it('still counts a known device’s own wrong guesses against it', () => {
    let locks: SignInLocks = { client: [], address: [] };
    for (let i = 0; i < perClient.maxFailures; i++) {
      expect(admitSignIn(locks, 'known_device', T0 + i).admitted).toBe(true);
      locks = afterSignIn(locks, 'wrong_password', T0 + i).locks;
    }
    expect(admitSignIn(locks, 'known_device', T0 + perClient.maxFailures)).toMatchObject({
      admitted: false,
      lock: 'client',
    });
  });

  it('forgets only the signing-in client’s failures on success, never the address’s (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: T0, max: T0 + perClient.windowMs }), { maxLength: 12 }),
        fc.array(fc.integer({ min: T0, max: T0 + perAddress.windowMs }), { maxLength: 120 }),
        (client, address) => {
          const now = T0 + perClient.windowMs;
          const locks = { client: client.sort((a, b) => a - b), address: address.sort((a, b) => a - b) };
          const after = afterSignIn(locks, 'signed_in', now);
          expect(after.locks.client).toEqual([]);
          expect(after.locks.address).toEqual(locks.address);
          expect(after.closed).toEqual({ client: false, address: false });
        },
      ),
    );
  });

  it('reports a door closed exactly once per closing: on the failure that reaches the maximum', () => {
    let locks: SignInLocks = { client: [], address: [] };
    const closings: boolean[] = [];
    for (let i = 0; i < perClient.maxFailures; i++) {
      const next = afterSignIn(locks, 'wrong_password', T0 + i);
      closings.push(next.closed.client);
      locks = next.locks;
    }
    expect(closings).toEqual([...Array<boolean>(perClient.maxFailures - 1).fill(false), true]);
    expect(admitSignIn(locks, 'stranger', T0 + perClient.maxFailures)).toMatchObject({
      admitted: false,
      lock: 'client',
    });
  });

  it('closes the address to strangers at the ceiling, but not to the known device', () => {
    let address: FailureLog = [];
    for (let i = 0; i < perAddress.maxFailures; i++) address = withFailure(address, perAddress, T0 + i);
    const now = T0 + perAddress.maxFailures;
    expect(admitSignIn({ client: [], address }, 'stranger', now)).toEqual({
      admitted: false,
      lock: 'address',
      retryAfterMs: perAddress.windowMs - perAddress.maxFailures,
    });
    expect(admitSignIn({ client: [], address }, 'known_device', now)).toEqual({ admitted: true });
  });

  it('undoes one provisional failure, and only one, of several at the same instant', () => {
    const log = [T0, T0, T0 + 5];
    expect(withoutFailure(log, T0)).toEqual([T0, T0 + 5]);
    expect(withoutFailure(log, T0 + 1)).toEqual(log);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: T0, max: T0 + 1000 })),
        fc.integer({ min: T0, max: T0 + 1000 }),
        (l, at) => {
          const sorted = l.sort((a, b) => a - b);
          const added = withFailure(sorted, { maxFailures: 10, windowMs: 10_000 }, at);
          expect(withoutFailure(added, at)).toEqual(sorted);
        },
      ),
    );
  });

  it('tells the owner at most once a day', () => {
    expect(ownerNoticeDue(null, T0)).toBe(true);
    expect(ownerNoticeDue(T0, T0 + SIGN_IN_LOCKOUT.ownerNoticeEveryMs - 1)).toBe(false);
    expect(ownerNoticeDue(T0, T0 + SIGN_IN_LOCKOUT.ownerNoticeEveryMs)).toBe(true);
  });

  it('counts a stranger by its IPv4 address, or by its IPv6 /64', () => {
    expect(strangerClientKey('203.0.113.7')).toBe('ip:203.0.113.7');
    expect(strangerClientKey('::ffff:203.0.113.7')).toBe('ip:203.0.113.7');
    expect(strangerClientKey('2001:db8:1:2:3:4:5:6')).toBe('ip6:2001:db8:1:2::/64');
    expect(strangerClientKey('2001:db8:1:2::ffff')).toBe('ip6:2001:db8:1:2::/64');
    expect(strangerClientKey('2001:0DB8::1')).toBe('ip6:2001:db8:0:0::/64');
    expect(strangerClientKey('::1')).toBe('ip6:0:0:0:0::/64');
    expect(strangerClientKey('fe80::1%eth0')).toBe('ip6:fe80:0:0:0::/64');
  });
});
