import type { FastifyInstance } from 'fastify';
import { runCommitmentDeadlines } from '../jobs/commitment-deadlines.js';

/**
 * Every process runs the deadline job on an interval; the job's advisory lock lets one of them work
 * at a time. A run still going when the next is due is not doubled; closing the server waits for it.
 */
export function startCommitmentDeadlineJob(app: FastifyInstance, options: { intervalMs: number }): void {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= runCommitmentDeadlines({
      db: app.db.db,
      now: app.clock,
      onError: (orderId, err) => {
        app.log.error({ err, orderId }, 'commitment deadline: could not warn about an order');
      },
    })
      .then((result) => {
        if (result.reminded + result.escalated + result.failed > 0) {
          app.log.info(result, 'commitment deadlines checked');
        }
      })
      .catch((err: unknown) => {
        app.log.error({ err }, 'commitment deadline run failed');
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
