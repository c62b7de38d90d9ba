import type { FastifyInstance } from 'fastify';

/**
 * A job every process runs on an interval (the outbox, the deadline warnings, the upload and counter
 * clean-ups). Whatever makes it run once across processes is the job's own business (an advisory lock,
 * idempotent deletes); here: a run still going when the next is due is not doubled, a failure is logged
 * and counted, never thrown, and closing the server waits for the run in progress. Each run and each
 * failure is counted for /metrics under the job's name.
 */
export function startIntervalJob(
  app: FastifyInstance,
  job: { name: string; intervalMs: number; run: () => Promise<void> },
): void {
  let running: Promise<void> | undefined;
  const run = () => {
    const started = performance.now();
    running ??= job
      .run()
      .then(() => {
        app.metrics.jobRun(job.name, 'ok', (performance.now() - started) / 1000);
      })
      .catch((err: unknown) => {
        app.metrics.jobRun(job.name, 'failed', (performance.now() - started) / 1000);
        app.log.error({ err, job: job.name }, `${job.name} failed`);
      })
      .finally(() => {
        running = undefined;
      });
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', () => {
    timer = setInterval(run, job.intervalMs);
    timer.unref();
    run();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
