import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { Temporal } from '../../src/domain/calendar.js';
import { buildServer } from '../../src/http/server.js';

/** A fixed instant, so "today" in a test never depends on the day the suite runs. */
export const TEST_NOW = Temporal.Instant.from('2026-11-25T04:00:00Z');

export async function buildTestApp(
  db: DatabaseHandle,
  env: NodeJS.ProcessEnv = {},
  clock: () => Temporal.Instant = () => TEST_NOW,
): Promise<FastifyInstance> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const app = await buildServer({ db, config, clock, logger: false });
  await app.ready();
  return app;
}
