import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { Temporal } from '../../src/domain/calendar.js';
import { buildServer } from '../../src/http/server.js';
import { messageKeyFrom } from '../../src/app/outbox/sealed-links.js';
import { messageText } from '../../src/app/outbox/dispatch-outbox.js';

/** A fixed instant, so "today" in a test never depends on the day the suite runs. */
export const TEST_NOW = Temporal.Instant.from('2026-11-25T04:00:00Z');

/**
 * Test servers run with a known AUTH_SECRET, as a server on PostgreSQL must (the embedded demo's
 * generated one would be a file beside ./data); the message key is the one it derives.
 */
export const TEST_AUTH_SECRET = 'test-auth-secret-of-at-least-32-characters';
export const TEST_MESSAGE_KEY = messageKeyFrom(TEST_AUTH_SECRET);

/** An outbox row's text as the mail server receives it: its sealed link opened and put back. */
export function sentText(
  message: { body: string; sealedLink: string | null; recipient: string } | undefined,
): string {
  return message ? messageText(TEST_MESSAGE_KEY, message) : '';
}

export async function buildTestApp(
  db: DatabaseHandle,
  env: NodeJS.ProcessEnv = {},
  clock: () => Temporal.Instant = () => TEST_NOW,
): Promise<FastifyInstance> {
  // The webhook dispatcher runs once at start and then hourly, unless a test asks for it: a run between
  // a test's requests would change tables under the tests that watch them (bad-input's digests).
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    AUTH_SECRET: TEST_AUTH_SECRET,
    WEBHOOK_INTERVAL_SECONDS: '3600',
    ...env,
  });
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
