import { loadConfig } from '../../src/config.js';
import { seedDemoData } from '../../src/db/seed.js';
import { calendarDateIn, Temporal } from '../../src/domain/calendar.js';
import { buildServer } from '../../src/http/server.js';
import { testDatabases } from './databases.js';
import { E2E_WEB_DIST } from './e2e.js';

/**
 * The real server, in this process, on an ephemeral loopback port over a fresh embedded database with
 * the demo data, serving the web build made by the global setup.
 */
export async function startTestServer(): Promise<{ url: string; close(): Promise<void> }> {
  const pglite = testDatabases().find((d) => d.name === 'pglite');
  if (!pglite) throw new Error('the embedded database is always available to tests');
  const db = await pglite.open();
  const config = loadConfig({ LOG_LEVEL: 'silent', WEB_DIST_DIR: E2E_WEB_DIST });
  const clock = () => Temporal.Now.instant();
  await seedDemoData(db.db, { today: calendarDateIn(clock(), config.storeTimeZone) });
  const app = await buildServer({ db, config, clock, logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
