import { afterAll, beforeAll } from 'vitest';
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

/**
 * A server over a fresh database for one describe block: opened before its tests, closed after.
 * Read `.app` (and `.db`) inside the tests, once `beforeAll` has run.
 */
export function useTestApp(
  testDb: { open(): Promise<DatabaseHandle> },
  env: NodeJS.ProcessEnv = {},
): { readonly app: FastifyInstance; readonly db: DatabaseHandle } {
  let db: DatabaseHandle | undefined;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    db = await testDb.open();
    app = await buildTestApp(db, env);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });
  return {
    get app() {
      if (!app) throw new Error('useTestApp: the server is opened in beforeAll');
      return app;
    },
    get db() {
      if (!db) throw new Error('useTestApp: the database is opened in beforeAll');
      return db;
    },
  };
}
