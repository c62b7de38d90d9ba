import { createServer } from 'node:net';
import { inject } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { outbox } from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import { calendarDateIn, Temporal } from '../../src/domain/calendar.js';
import { buildServer } from '../../src/http/server.js';
import { sentText, TEST_AUTH_SECRET } from './app.js';
import { type TestDatabase, testDatabases } from './databases.js';

export type TestServer = {
  url: string;
  /** The database behind the server, for what a test must check outside the browser (the outbox). */
  db: DatabaseHandle;
  /** The newest message to one recipient through the outbox, as it is e-mailed (link whole), or undefined. */
  latestMessageTo(recipient: string): Promise<{ topic: string; subject: string; body: string } | undefined>;
  /** The port of the inbound e-mail listener, when the suite's settings turned it on (INBOUND_SMTP_PORT). */
  inboundSmtpPort: number | undefined;
  close(): Promise<void>;
};

/** A port free right now on loopback, so PUBLIC_URL can name the address before the server listens. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * The real server, in this process, on a loopback port over a fresh database (the embedded one unless
 * another is given) with the demo data, serving the web build made by the global setup. PUBLIC_URL is that very address: signed-in
 * requests must come from it (CSRF defence), and the links in messages lead back to it.
 */
export async function startTestServer(
  database?: TestDatabase,
  /** Settings of this suite's own (an SMTP server, the inbound listener), over the defaults below. */
  env: Record<string, string> = {},
): Promise<TestServer> {
  const chosen = database ?? testDatabases().find((d) => d.name === 'pglite');
  if (!chosen) throw new Error('the embedded database is always available to tests');
  const db = await chosen.open();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    AUTH_SECRET: TEST_AUTH_SECRET,
    WEB_DIST_DIR: inject('e2eWebDist'),
    PUBLIC_URL: url,
    // Every browser of a suite signs in from 127.0.0.1: the per-IP limit would count them all as one.
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    AUTH_MAIL_PER_IP_PER_HOUR: '1000',
    // The journeys' webhook receivers listen on loopback, and should hear within a second.
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    WEBHOOK_INTERVAL_SECONDS: '0.5',
    ...env,
  });
  const clock = () => Temporal.Now.instant();
  await seedDemoData(db.db, { today: calendarDateIn(clock(), config.storeTimeZone) });
  const app = await buildServer({ db, config, clock, logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url,
    db,
    inboundSmtpPort: app.inboundSmtp?.address()?.port,
    async latestMessageTo(recipient) {
      const [message] = await db.db
        .select({
          topic: outbox.topic,
          subject: outbox.subject,
          body: outbox.body,
          sealedLink: outbox.sealedLink,
          recipient: outbox.recipient,
        })
        .from(outbox)
        .where(eq(outbox.recipient, recipient))
        .orderBy(desc(outbox.createdAt))
        .limit(1);
      return message && { topic: message.topic, subject: message.subject, body: sentText(message) };
    },
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
