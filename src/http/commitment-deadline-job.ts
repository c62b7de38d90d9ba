import type { FastifyInstance } from 'fastify';
import { runCommitmentDeadlines } from '../jobs/commitment-deadlines.js';
import { startIntervalJob } from './interval-job.js';

/**
 * Every process runs the deadline job on an interval; the job's advisory lock lets one of them work
 * at a time.
 */
export function startCommitmentDeadlineJob(app: FastifyInstance, options: { intervalMs: number }): void {
  startIntervalJob(app, {
    name: 'commitment_deadlines',
    intervalMs: options.intervalMs,
    run: async () => {
      const result = await runCommitmentDeadlines({
        db: app.db.db,
        now: app.clock,
        onError: (orderId, err) => {
          app.log.error({ err, orderId }, 'commitment deadline: could not warn about an order');
        },
      });
      if (result.reminded + result.escalated + result.failed > 0) {
        app.log.info(result, 'commitment deadlines checked');
      }
    },
  });
}
