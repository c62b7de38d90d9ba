import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countHit, purgeExpiredCounters, readCount, windowStartOf } from '../../src/app/limits/counters.js';
import { purgeStaleSignInFailures } from '../../src/app/accounts/sign-in-lockout.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { ADDRESS_WIDE, signInFailures } from '../../src/db/schema.js';
import { testDatabases } from '../support/databases.js';

/*
 * The one counter every cross-process limit rests on: concurrent hits are each counted once, windows
 * are the same for every process, and ended windows are forgotten.
 */
describe.each(testDatabases())('limit counters on $name', (testDb) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await testDb.open();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('counts concurrent hits once each, and amounts as given', async () => {
    const now = Date.UTC(2026, 11, 2, 10, 0, 30);
    const results = await Promise.all(
      Array.from({ length: 40 }, () => countHit(handle.db, { key: 'ip:1', windowMs: 60_000, nowMs: now })),
    );
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect(results[0]?.resetInMs).toBe(30_000);
    const bytes = await countHit(handle.db, {
      key: 'bytes:1',
      windowMs: 86_400_000,
      nowMs: now,
      amount: 9e9,
    });
    expect(bytes.count).toBe(9e9);
    expect((await readCount(handle.db, { key: 'ip:1', windowMs: 60_000, nowMs: now })).count).toBe(40);
    // The next window starts from nothing.
    const next = await countHit(handle.db, { key: 'ip:1', windowMs: 60_000, nowMs: now + 30_000 });
    expect(next).toEqual({ count: 1, resetInMs: 60_000 });
    expect(await purgeExpiredCounters(handle.db, now + 30_000)).toBe(1);
    expect((await readCount(handle.db, { key: 'ip:1', windowMs: 60_000, nowMs: now + 30_000 })).count).toBe(
      1,
    );
  });

  it('forgets sign-in failure logs that no longer count, keeping those a window or a notice still needs', async () => {
    const now = Date.UTC(2026, 11, 3, 12, 0, 0);
    const minutes = (n: number) => now - n * 60_000;
    await handle.db.insert(signInFailures).values([
      { emailKey: 'old@example.com', clientKey: 'ip:1', failures: [minutes(40), minutes(16)] },
      { emailKey: 'recent@example.com', clientKey: 'ip:2', failures: [minutes(40), minutes(14)] },
      { emailKey: 'empty@example.com', clientKey: 'ip:3', failures: [] },
      // The address-wide row remembers when its owner was told: it stays until that notice may repeat.
      {
        emailKey: 'told@example.com',
        clientKey: ADDRESS_WIDE,
        failures: [minutes(60)],
        ownerNotifiedAt: new Date(minutes(60)),
      },
      {
        emailKey: 'told-long-ago@example.com',
        clientKey: ADDRESS_WIDE,
        failures: [minutes(60)],
        ownerNotifiedAt: new Date(now - 25 * 3_600_000),
      },
    ]);
    expect(await purgeStaleSignInFailures(handle.db, now)).toBe(3);
    const left = (await handle.db.select({ emailKey: signInFailures.emailKey }).from(signInFailures))
      .map((r) => r.emailKey)
      .sort();
    expect(left).toEqual(['recent@example.com', 'told@example.com']);
    expect(await purgeStaleSignInFailures(handle.db, now)).toBe(0);
  });

  it('refuses amounts and windows that are not whole and positive', async () => {
    await expect(countHit(handle.db, { key: 'k', windowMs: 0, nowMs: 1 })).rejects.toThrow(RangeError);
    await expect(countHit(handle.db, { key: 'k', windowMs: 1000, nowMs: 1, amount: -1 })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('counter windows', () => {
  it('put every instant in exactly one window, the same for every caller', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 1, max: 2 ** 27 }), (now, w) => {
        const start = windowStartOf(now, w);
        expect(start).toBeLessThanOrEqual(now);
        expect(now - start).toBeLessThan(w);
        expect(start % w).toBe(0);
      }),
    );
  });
});
