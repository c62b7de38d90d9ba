import type { FastifyInstance } from 'fastify';
import { purgeStaleSignInFailures } from '../app/accounts/sign-in-lockout.js';
import { purgeExpiredCounters } from '../app/limits/counters.js';
import { startIntervalJob } from './interval-job.js';

/** Often enough that the counters table holds little more than the current windows. */
export const COUNTER_PURGE_INTERVAL_MS = 5 * 60_000;

/**
 * Every process purges ended limit windows, and sign-in failure logs that no longer count, on an
 * interval. No lock is needed: the deletes are idempotent, and of two processes deleting the same rows
 * at once, the second finds them gone.
 */
export function startCounterPurgeJob(app: FastifyInstance, options: { intervalMs: number }): void {
  startIntervalJob(app, {
    name: 'counter_purge',
    intervalMs: options.intervalMs,
    run: async () => {
      const nowMs = app.clock().epochMilliseconds;
      const purged = await purgeExpiredCounters(app.db.db, nowMs);
      if (purged > 0) app.log.debug({ purged }, 'ended limit windows purged');
      const forgotten = await purgeStaleSignInFailures(app.db.db, nowMs);
      if (forgotten > 0) app.log.debug({ forgotten }, 'stale sign-in failure logs purged');
    },
  });
}
