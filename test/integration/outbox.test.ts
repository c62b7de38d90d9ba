import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox, type Mailer, retryDelayMinutes } from '../../src/app/outbox/dispatch-outbox.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { outbox } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { TEST_MESSAGE_KEY, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { ORIGIN } from '../support/sessions.js';
import { startSmtpServer } from '../support/smtp.js';

const T0 = Temporal.Instant.from('2026-11-25T04:00:00Z');

async function eventually<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function mailerFor(url: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({
        from: 'test@halotek.example.com',
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    },
  };
}

describe.each(testDatabases())('the outbox on $name', (testDb) => {
  describe('sent by the server when SMTP is configured', () => {
    let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;
    const env: NodeJS.ProcessEnv = { OUTBOX_INTERVAL_SECONDS: '0.05', AUTH_RATE_LIMIT_PER_MINUTE: '100' };
    // Registered before useTestApp's own hook, so the server starts with the mail server's address.
    beforeAll(async () => {
      smtp = await startSmtpServer();
      env.SMTP_URL = smtp.url;
    });
    afterAll(() => smtp?.close());
    const t = useTestApp(testDb, env);
    beforeAll(async () => {
      await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    });

    it('delivers a password reset link to the mail server and marks the message sent', async () => {
      const email = DEMO_ACCOUNTS[1].email;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/request-password-reset',
        headers: { origin: ORIGIN },
        payload: { email, redirectTo: '/reset-password' },
      });
      expect(res.statusCode).toBe(200);
      const mail = await eventually(
        () => smtp?.received.find((m) => m.to.includes(email)),
        'the reset e-mail',
      );
      expect(mail.raw).toContain('/api/auth/reset-password/');
      // The mark is committed just after the mail server took the message.
      let row: typeof outbox.$inferSelect | undefined;
      for (const until = Date.now() + 10_000; Date.now() < until;) {
        [row] = await t.db.db.select().from(outbox).where(eq(outbox.recipient, email));
        if (row?.sentAt) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(row?.sentAt).toBeInstanceOf(Date);
      expect(row?.attempts).toBe(1);
      // Its Message-ID is made from the outbox row, so a copy sent again after a crash is the same message.
      expect(mail.raw).toMatch(new RegExp(`^Message-ID: <${row?.id ?? ''}@localhost>\\r?$`, 'im'));
    });
  });

  describe('dispatching', () => {
    let handle: DatabaseHandle;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    beforeAll(async () => {
      handle = await testDb.open();
      smtp = await startSmtpServer();
    });
    afterAll(async () => {
      await smtp.close();
      await handle.close();
    });

    const message = (recipient: string) => ({
      topic: 'test',
      recipient,
      subject: 'Subject / 主题',
      body: 'Body / 正文',
    });

    it('retries a refused message later, with backoff, and keeps phone numbers for another channel', async () => {
      await handle.db.insert(outbox).values([message('wang.fang@example.com'), message('+86 139 1021 7784')]);
      const deps = (at: Temporal.Instant) => ({
        db: handle.db,
        mailer: mailerFor(smtp.url),
        now: () => at,
        messageKey: TEST_MESSAGE_KEY,
      });

      smtp.reject.now = true;
      expect(await dispatchOutbox(deps(T0))).toEqual({ sent: 0, failed: 1 });
      const [failed] = await handle.db
        .select()
        .from(outbox)
        .where(eq(outbox.recipient, 'wang.fang@example.com'));
      expect(failed).toMatchObject({ attempts: 1, sentAt: null });
      expect(failed?.lastError).toContain('450');
      expect(failed?.nextAttemptAt?.getTime()).toBe(T0.epochMilliseconds + 60_000);

      smtp.reject.now = false;
      // Not due yet: nothing is tried.
      expect(await dispatchOutbox(deps(T0.add({ seconds: 30 })))).toEqual({ sent: 0, failed: 0 });
      expect(await dispatchOutbox(deps(T0.add({ minutes: 1 })))).toEqual({ sent: 1, failed: 0 });
      expect(smtp.received.map((m) => m.to)).toEqual([['wang.fang@example.com']]);
      const [phone] = await handle.db.select().from(outbox).where(eq(outbox.recipient, '+86 139 1021 7784'));
      expect(phone).toMatchObject({ attempts: 0, sentAt: null });
    });

    it('sends each message once when two dispatchers run at the same time', async () => {
      const recipients = Array.from({ length: 12 }, (_, i) => `parallel${i}@example.com`);
      await handle.db.insert(outbox).values(recipients.map(message));
      const deps = {
        db: handle.db,
        mailer: mailerFor(smtp.url),
        now: () => T0.add({ hours: 1 }),
        messageKey: TEST_MESSAGE_KEY,
      };
      const results = await Promise.all([
        dispatchOutbox(deps, { batchSize: 7 }),
        dispatchOutbox(deps, { batchSize: 7 }),
      ]);
      const more = await dispatchOutbox(deps);
      expect(results[0].sent + results[1].sent + more.sent).toBe(12);
      const delivered = smtp.received.flatMap((m) => m.to).filter((to) => to.startsWith('parallel'));
      expect(delivered.sort()).toEqual([...recipients].sort());
    });
  });
});

describe('retryDelayMinutes', () => {
  it('doubles from one minute and stops at six hours', () => {
    expect([1, 2, 3, 4, 10, 20].map(retryDelayMinutes)).toEqual([1, 2, 4, 8, 360, 360]);
  });
});
