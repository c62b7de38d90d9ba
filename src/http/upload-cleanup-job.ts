import type { FastifyInstance } from 'fastify';
import { sweepStaleUploadFiles } from '../app/uploads/receive-upload.js';
import { runUnclaimedUploadCleanup } from '../jobs/unclaimed-uploads.js';
import { startIntervalJob } from './interval-job.js';

/**
 * A temporary file untouched this long belongs to no upload in progress: a request is cut off long
 * before (Node's requestTimeout is 5 minutes), and storing a file rewrites nothing of it.
 */
const STALE_TEMP_FILE_MS = 60 * 60 * 1000;

/**
 * Every process runs the unclaimed-upload job on an interval (one at a time, by its advisory lock),
 * and first clears its temporary directory of files a killed process left behind — each process its
 * own machine's directory, so that sweep runs everywhere.
 */
export function startUploadCleanupJob(
  app: FastifyInstance,
  options: { intervalMs: number; tempDir: string },
): void {
  startIntervalJob(app, {
    name: 'upload_cleanup',
    intervalMs: options.intervalMs,
    run: async () => {
      const swept = await sweepStaleUploadFiles(options.tempDir, STALE_TEMP_FILE_MS);
      if (swept > 0) app.log.info({ swept }, 'left-over upload files removed');
      const result = await runUnclaimedUploadCleanup({ db: app.db.db, now: app.clock });
      if (result.deleted + result.ticketsDeleted > 0) app.log.info(result, 'unclaimed uploads deleted');
    },
  });
}
