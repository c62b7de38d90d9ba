import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyTokenFor } from '../../src/app/conversations/reply-tokens.js';
import { openDatabase } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { ensureBuiltInPolicies } from '../../src/db/policies.js';
import {
  auditEvents,
  conversationAttachments,
  conversationMessages,
  conversations,
} from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import type { ConversationResponse } from '../../src/http/conversations/schemas.js';
import { buildTestApp, TEST_AUTH_SECRET, TEST_MESSAGE_KEY, useTestApp } from '../support/app.js';
import { conversationFixtures, PNG } from '../support/conversation-fixtures.js';
import { createScratchPostgresDatabase, testDatabases } from '../support/databases.js';
import { startServe } from '../support/serve-process.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * E-mail replies coming back into a claim's conversation through the inbound SMTP listener, sent by a real
 * SMTP client (nodemailer): appended from the customer; refused with a 5xx for a forged or expired reply
 * address, an oversized or malformed message or a file the upload rules refuse; held for staff from another
 * sender; and a listener process killed with SIGKILL mid-delivery loses nothing and appends nothing twice
 * when the sender retries.
 */

const DOMAIN = 'halotek.example.com';
const MAX_BYTES = 200_000;

type Rejection = Error & { responseCode?: number; response?: string };

function client(port: number) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
}

async function sendReply(
  port: number,
  mail: {
    to: string;
    from?: string;
    messageId?: string;
    text: string;
    attachments?: { filename: string; content: Buffer }[];
  },
): Promise<{ ok: true; response: string } | { ok: false; code: number | undefined; response: string }> {
  try {
    const info = await client(port).sendMail({
      from: mail.from ?? 'Li Wei <li.wei@example.com>',
      to: mail.to,
      subject: 'Re: A reply about maintenance order',
      text: mail.text,
      messageId: mail.messageId,
      attachments: mail.attachments,
    });
    return { ok: true, response: info.response };
  } catch (err) {
    const e = err as Rejection;
    return { ok: false, code: e.responseCode, response: e.response ?? e.message };
  }
}

describe.each(testDatabases())('e-mail replies on $name', (testDb) => {
  const t = useTestApp(testDb, {
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    INBOUND_SMTP_PORT: '0',
    INBOUND_SMTP_HOST: '127.0.0.1',
    INBOUND_REPLY_DOMAIN: DOMAIN,
    INBOUND_MAX_BYTES: String(MAX_BYTES),
  });
  const cookies = new Map<Role, string>();
  let claimId = '';
  let conversationId = '';
  let address = '';
  let port = 0;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    for (const role of ['customer', 'technician'] as const) cookies.set(role, await demoSession(t.app, role));
    const f = await conversationFixtures(t.app, t.db.db);
    claimId = f.ownClaim;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${claimId}/conversation/messages`,
      headers: { origin: ORIGIN, cookie: cookies.get('technician') ?? '' },
      payload: { text: 'Could you send a photo of the label?' },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    conversationId = res.json<ConversationResponse>().id ?? '';
    address = `reply+${replyTokenFor(TEST_MESSAGE_KEY, conversationId)}@${DOMAIN}`;
    port = t.app.inboundSmtp?.address()?.port ?? 0;
  });

  const messages = () =>
    t.db.db
      .select()
      .from(conversationMessages)
      .where(eq(conversationMessages.conversationId, conversationId));
  const customerView = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/claims/${claimId}/conversation`,
      headers: { origin: ORIGIN, cookie: cookies.get('customer') ?? '' },
    });
    return res.json<ConversationResponse>();
  };

  it('appends the customer’s reply without its quoted history, with the photo, exactly once', async () => {
    const reply = {
      to: address,
      messageId: '<reply-1@mail.example.com>',
      text: 'Here it is, the label is on the back.\n\nOn Wed, 25 Nov 2026, Halotek <x@y> wrote:\n> Could you send a photo of the label?\n',
      attachments: [{ filename: 'label.png', content: PNG }],
    };
    const sent = await sendReply(port, reply);
    expect(sent).toMatchObject({ ok: true });
    // The sender's server retries (it never saw our 250): the same Message-ID is taken again, kept once.
    expect(await sendReply(port, reply)).toMatchObject({ ok: true });

    const rows = (await messages()).filter((m) => m.channel === 'email');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      authorKind: 'customer',
      visibility: 'public',
      status: 'posted',
      body: 'Here it is, the label is on the back.',
      emailFrom: 'li.wei@example.com',
    });
    const files = await t.db.db
      .select()
      .from(conversationAttachments)
      .where(eq(conversationAttachments.messageId, rows[0]?.id ?? ''));
    expect(files).toHaveLength(1);
    const view = await customerView();
    expect(view.state).toBe('waiting_for_staff');
    expect(view.messages.at(-1)?.attachments[0]).toMatchObject({
      fileName: 'label.png',
      mediaType: 'image/png',
    });
  });

  it('refuses a forged reply address and an expired one at RCPT TO, appending nothing', async () => {
    const before = (await messages()).length;
    const forged = await sendReply(port, { to: `reply+${'A'.repeat(43)}@${DOMAIN}`, text: 'hello' });
    expect(forged).toMatchObject({ ok: false, code: 550 });
    const notOurs = await sendReply(port, { to: `support@${DOMAIN}`, text: 'hello' });
    expect(notOurs).toMatchObject({ ok: false, code: 550 });

    const [row] = await t.db.db.select().from(conversations).where(eq(conversations.id, conversationId));
    await t.db.db
      .update(conversations)
      .set({ replyTokenExpiresAt: new Date('2026-01-01T00:00:00Z') })
      .where(eq(conversations.id, conversationId));
    const expired = await sendReply(port, {
      to: address,
      text: 'late answer',
      messageId: '<late@mail.example.com>',
    });
    expect(expired).toMatchObject({ ok: false, code: 550 });
    if (!expired.ok) expect(expired.response).toMatch(/expired/);
    await t.db.db
      .update(conversations)
      .set({ replyTokenExpiresAt: row?.replyTokenExpiresAt })
      .where(eq(conversations.id, conversationId));
    expect(await messages()).toHaveLength(before);
  });

  it('refuses an oversized message, a malformed one and a file the upload rules refuse', async () => {
    const before = (await messages()).length;
    const big = Buffer.alloc(MAX_BYTES, 1);
    PNG.copy(big);
    const oversized = await sendReply(port, {
      to: address,
      text: 'big photo',
      messageId: '<big@mail.example.com>',
      attachments: [{ filename: 'big.png', content: big }],
    });
    expect(oversized).toMatchObject({ ok: false, code: 552 });

    // No From header and no Message-ID: not a reply anybody can be answered for.
    let malformed: Rejection | undefined;
    await client(port)
      .sendMail({ envelope: { from: 'li.wei@example.com', to: [address] }, raw: 'just some bytes\r\n' })
      .catch((err: unknown) => {
        malformed = err as Rejection;
      });
    expect(malformed?.responseCode).toBe(550);

    const program = await sendReply(port, {
      to: address,
      text: 'run this',
      messageId: '<exe@mail.example.com>',
      attachments: [{ filename: 'fix.exe', content: Buffer.from('MZ\x90\x00\x03\x00\x00\x00this program') }],
    });
    expect(program).toMatchObject({ ok: false, code: 550 });

    const onlyQuote = await sendReply(port, {
      to: address,
      text: 'On Wed, 25 Nov 2026, Halotek <x@y> wrote:\n> Could you send a photo?',
      messageId: '<quote@mail.example.com>',
    });
    expect(onlyQuote).toMatchObject({ ok: false, code: 550 });
    expect(await messages()).toHaveLength(before);
  });

  it('holds a reply from another address for staff, marked, never shown to the customer', async () => {
    const sent = await sendReply(port, {
      to: address,
      from: 'Someone Else <mallory@example.net>',
      text: 'Please send the repaired unit to my address instead.',
      messageId: '<other-sender@example.net>',
    });
    expect(sent).toMatchObject({ ok: true });
    if (sent.ok) expect(sent.response).toMatch(/held/);
    const held = (await messages()).find((m) => m.emailMessageId === '<other-sender@example.net>');
    expect(held).toMatchObject({ status: 'held', holdReason: 'sender_mismatch', visibility: 'internal' });
    expect((await customerView()).messages.map((m) => m.body)).not.toContain(
      'Please send the repaired unit to my address instead.',
    );
    const staff = await t.app.inject({
      method: 'GET',
      url: `/api/v1/claims/${claimId}/conversation`,
      headers: { origin: ORIGIN, cookie: cookies.get('technician') ?? '' },
    });
    expect(staff.json<ConversationResponse>().messages.at(-1)).toMatchObject({
      status: 'held',
      emailFrom: 'mallory@example.net',
    });
  });

  it('lets staff release a held e-mail into the conversation or discard it, once, audited', async () => {
    const asRole = (role: Role, messageId: string, decision: 'release' | 'discard') =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/conversation-messages/${messageId}/${decision}`,
        headers: { origin: ORIGIN, cookie: cookies.get(role) ?? '' },
      });
    // The customer wrote from their office address, with a photo; someone else wrote too.
    for (const [from, id, text] of [
      ['Li Wei <li.wei@office.example.org>', '<office@example.org>', 'From my office mail: the fan rattles.'],
      ['Spam <offers@spam.example>', '<spam@spam.example>', 'Cheap panels, buy now.'],
    ] as const) {
      const sent = await sendReply(port, {
        to: address,
        from,
        messageId: id,
        text,
        ...(id === '<office@example.org>' ? { attachments: [{ filename: 'fan.png', content: PNG }] } : {}),
      });
      expect(sent).toMatchObject({ ok: true });
    }
    const rows = await messages();
    const office = rows.find((m) => m.emailMessageId === '<office@example.org>');
    const spam = rows.find((m) => m.emailMessageId === '<spam@spam.example>');
    if (!office || !spam) throw new Error('the held e-mails are missing');
    const [officeFile] = await t.db.db
      .select()
      .from(conversationAttachments)
      .where(eq(conversationAttachments.messageId, office.id));

    // The customer may not decide (their role never may), nor see either, nor open the held photo.
    expect((await asRole('customer', office.id, 'release')).statusCode).toBe(403);
    const fileAsCustomer = () =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/uploads/${officeFile?.uploadId ?? ''}`,
        headers: { origin: ORIGIN, cookie: cookies.get('customer') ?? '' },
      });
    expect((await fileAsCustomer()).statusCode).toBe(404);

    // Two people decide at once: one decision stands, the other is told it was made.
    const [a, b] = await Promise.all([
      asRole('technician', office.id, 'release'),
      asRole('technician', office.id, 'discard'),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json()).toMatchObject({ error: { code: 'MESSAGE_NOT_HELD' } });
    // What the winner decided is in the database, with who decided it.
    const [decided] = await t.db.db
      .select()
      .from(conversationMessages)
      .where(eq(conversationMessages.id, office.id));
    expect(decided?.heldDecidedBy).toMatch(/^user:/);
    if (decided?.status === 'posted') {
      expect(decided).toMatchObject({ visibility: 'public', holdReason: 'sender_mismatch' });
      const view = await customerView();
      const released = view.messages.find((m) => m.id === office.id);
      expect(released?.body).toBe('From my office mail: the fan rattles.');
      expect(released?.attachments.map((f) => f.fileName)).toEqual(['fan.png']);
      expect(view.state).toBe('waiting_for_staff');
      expect((await fileAsCustomer()).statusCode).toBe(200);
    } else {
      expect(decided).toMatchObject({ status: 'discarded', visibility: 'internal' });
      expect((await customerView()).messages.map((m) => m.id)).not.toContain(office.id);
      expect((await fileAsCustomer()).statusCode).toBe(404);
    }

    const discarded = await asRole('technician', spam.id, 'discard');
    expect(discarded.statusCode, discarded.body).toBe(200);
    expect(discarded.json<ConversationResponse>().messages.find((m) => m.id === spam.id)).toMatchObject({
      status: 'discarded',
      emailFrom: 'offers@spam.example',
    });
    expect((await customerView()).messages.map((m) => m.body)).not.toContain('Cheap panels, buy now.');
    expect((await asRole('technician', spam.id, 'release')).statusCode).toBe(409);
    // A message that was never held cannot be "released".
    const posted = rows.find((m) => m.status === 'posted');
    expect((await asRole('technician', posted?.id ?? '', 'release')).statusCode).toBe(409);

    const audit = await t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'claim'), eq(auditEvents.entityId, claimId)));
    const decisions = audit.filter((e) => e.action.startsWith('conversation.held_'));
    expect(decisions).toHaveLength(2);
    expect(decisions.every((e) => e.actor.startsWith('user:'))).toBe(true);
    expect(decisions.find((e) => e.action === 'conversation.held_discarded')?.data).toMatchObject({
      messageId: spam.id,
      emailFrom: 'offers@spam.example',
    });
  });
});

/*
 * The real process: `aftersales serve` with INBOUND_SMTP_PORT, killed with SIGKILL (1) while a message's
 * DATA is still arriving, and (2) right after it committed a message, its receipt unread by the sender.
 * Each time the sender delivers again to the restarted server: the reply is in the conversation once.
 */
describe.each(testDatabases().map((d) => d.name))('a listener killed mid-delivery (%s)', (name) => {
  let cleanup: () => Promise<void> = () => Promise.resolve();
  afterAll(async () => {
    await cleanup();
  });

  it('loses nothing and appends nothing twice when the sender retries', { timeout: 480_000 }, async () => {
    let env: NodeJS.ProcessEnv;
    if (name === 'pglite') {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'aftersales-inbound-'));
      env = { DATA_DIR: dataDir, DATABASE_URL: '' };
      cleanup = () => {
        rmSync(dataDir, { recursive: true, force: true });
        return Promise.resolve();
      };
    } else {
      const scratch = await createScratchPostgresDatabase(process.env.TEST_DATABASE_URL ?? '');
      env = { DATABASE_URL: scratch.url, SEED_DEMO_DATA: 'true' };
      cleanup = () => scratch.drop();
    }
    env = {
      ...process.env,
      ...env,
      AUTH_SECRET: TEST_AUTH_SECRET,
      MESSAGE_KEY: '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      INBOUND_SMTP_PORT: '0',
      INBOUND_SMTP_HOST: '127.0.0.1',
      INBOUND_REPLY_DOMAIN: DOMAIN,
    };
    const open = () =>
      openDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR ?? '' });

    // A conversation with a staff reply, made before the server runs (PGlite admits one process).
    let conversationId = '';
    {
      const handle = await open();
      await migrateDatabase(handle);
      await ensureBuiltInPolicies(handle.db);
      await seedDemoData(handle.db, { today: Temporal.PlainDate.from('2026-11-25') });
      const app = await buildTestApp(handle, { DATABASE_URL: env.DATABASE_URL ?? '' });
      const f = await conversationFixtures(app, handle.db);
      const technician = await demoSession(app, 'technician');
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/claims/${f.ownClaim}/conversation/messages`,
        headers: { origin: ORIGIN, cookie: technician },
        payload: { text: 'Is the fan noisy all the time?' },
      });
      conversationId = res.json<ConversationResponse>().id ?? '';
      await app.close();
      await handle.close();
    }
    const address = `reply+${replyTokenFor(TEST_MESSAGE_KEY, conversationId)}@${DOMAIN}`;

    const serve = async () => {
      const server = await startServe(env);
      const m = /taking e-mail replies \(reply\+…@[^)]+\) on smtp:\/\/[^:]+:(\d+)/.exec(server.output());
      // The line comes just after the one startServe waits for.
      for (let i = 0; !m && i < 50; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const again = /taking e-mail replies \(reply\+…@[^)]+\) on smtp:\/\/[^:]+:(\d+)/.exec(
          server.output(),
        );
        if (again) return { ...server, port: Number(again[1]) };
      }
      if (!m) throw new Error(`no inbound listener:\n${server.output()}`);
      return { ...server, port: Number(m[1]) };
    };
    const killed = (child: {
      kill: (s: NodeJS.Signals) => boolean;
      once: (e: 'exit', f: () => void) => void;
    }) =>
      new Promise<void>((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGKILL');
      });

    /** A raw SMTP conversation up to `cut` of the message's bytes, the receipt never read. */
    const rawDelivery = (serverPort: number, message: string, cut: number) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect(serverPort, '127.0.0.1');
        const steps = [
          'EHLO test.example.com',
          'MAIL FROM:<li.wei@example.com>',
          `RCPT TO:<${address}>`,
          'DATA',
        ];
        let buffered = '';
        socket.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          if (!/\r\n$/.test(buffered) || /^\d{3}-/m.test(buffered.split('\r\n').at(-2) ?? '')) return;
          const code = buffered.slice(0, 3);
          buffered = '';
          const step = steps.shift();
          if (step !== undefined) {
            if (!['220', '250'].includes(code)) reject(new Error(`refused before DATA: ${code}`));
            socket.write(`${step}\r\n`);
          } else if (code === '354') {
            socket.write(message.slice(0, cut));
            resolve();
          }
        });
        socket.on('error', () => undefined);
      });

    const message = (id: string) =>
      [
        'From: Li Wei <li.wei@example.com>',
        `To: ${address}`,
        'Subject: Re: fan',
        `Message-ID: <${id}@mail.example.com>`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Only when it is warm (${id}).`,
        '',
        '.',
        '',
      ].join('\r\n');
    const resend = (serverPort: number, id: string) =>
      client(serverPort).sendMail({
        envelope: { from: 'li.wei@example.com', to: [address] },
        raw: message(id).slice(0, -'.\r\n'.length),
      });

    // (1) Killed while DATA arrives: nothing was committed, nothing answered; the retry is kept once.
    let server = await serve();
    const midData = message('mid-data');
    await rawDelivery(server.port, midData, Math.floor(midData.length / 2));
    await killed(server.child);
    server = await serve();
    await resend(server.port, 'mid-data');

    // (2) Killed just after the commit of a whole message whose receipt the sender never read.
    const whole = message('after-commit');
    const before = server.output().length;
    await rawDelivery(server.port, whole, whole.length);
    for (let i = 0; i < 100 && !server.output().slice(before).includes('inbound e-mail reply taken'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(server.output().slice(before)).toContain('inbound e-mail reply taken');
    await killed(server.child);
    server = await serve();
    const again = await resend(server.port, 'after-commit');
    expect(again.response).toMatch(/^250/);
    await killed(server.child);

    const handle = await open();
    try {
      const rows = await handle.db
        .select({ body: conversationMessages.body })
        .from(conversationMessages)
        .where(
          and(
            eq(conversationMessages.conversationId, conversationId),
            eq(conversationMessages.channel, 'email'),
          ),
        );
      expect(rows.map((r) => r.body).sort()).toEqual([
        'Only when it is warm (after-commit).',
        'Only when it is warm (mid-data).',
      ]);
    } finally {
      await handle.close();
    }
  });
});
