import type { FastifyInstance } from 'fastify';
import { purgeStaleSignInFailures } from '../app/accounts/sign-in-lockout.js';
import { purgeExpiredCounters } from '../app/limits/counters.js';

/** Often enough that the counters table holds little more than the current windows. */
export const COUNTER_PURGE_INTERVAL_MS = 5 * 60_000;

/**
 * Every process purges ended limit windows, and sign-in failure logs that no longer count, on an interval. No lock is needed: the delete is idempotent,
 * and of two processes deleting the same ended rows at once, the second finds them gone.
 * A run still going when the next is due is not doubled; closing the server waits for it.
 */
export function startCounterPurgeJob(app: FastifyInstance, options: { intervalMs: number }): void {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= (async () => {
      const nowMs = app.clock().epochMilliseconds;
      const purged = await purgeExpiredCounters(app.db.db, nowMs);
      if (purged > 0) app.log.debug({ purged }, 'ended limit windows purged');
      const forgotten = await purgeStaleSignInFailures(app.db.db, nowMs);
      if (forgotten > 0) app.log.debug({ forgotten }, 'stale sign-in failure logs purged');
    })()
      .catch((err: unknown) => {
        app.log.error({ err }, 'limit counter purge failed');
      })
      .finally(() => {
        running = undefined;
      });
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', () => {
    timer = setInterval(run, options.intervalMs);
    timer.unref();
    run();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
