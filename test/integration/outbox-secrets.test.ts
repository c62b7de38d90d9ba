import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { rowsOf, scalarOf } from '../../src/db/rows.js';
import { outbox, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, seedDemoData } from '../../src/db/seed.js';
import nodemailer from 'nodemailer';
import { dispatchOutbox, MAX_OUTBOX_ATTEMPTS } from '../../src/app/outbox/dispatch-outbox.js';
import { sealQueuedLinks } from '../../src/app/outbox/seal-queued-links.js';
import { messageKeyFrom, openLink, sealLink } from '../../src/app/outbox/sealed-links.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { TEST_MESSAGE_KEY, TEST_NOW, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { claimOn as claimWithRemedy, wangFangPurchase } from '../support/maintenance.js';
import { claimOn, demoParties, insertPurchase, TODAY } from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';
import { startSmtpServer } from '../support/smtp.js';

/*
 * Issue 13, item 6: a queued message must not hold a working link. Every kind of message that carries
 * one is queued and delivered here; the secret of each delivered link is then looked for in every text
 * and JSON column of every table, and the delivered link must still work.
 */

/** The text part of a single-part e-mail as the sink received it (nodemailer's quoted-printable). */
function mailText(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4);
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(headers)) return body;
  const bytes = body
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Every text, character and JSON column of every table of the app's schema. */
async function textColumns(db: Database): Promise<{ table: string; column: string }[]> {
  const result = await db.execute(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
    order by table_name, column_name`);
  return rowsOf(result).map((r) => ({ table: String(r.table_name), column: String(r.column_name) }));
}

/** Where in the database a string appears: `table.column` for each column holding it. */
async function whereStored(db: Database, secret: string): Promise<string[]> {
  const found: string[] = [];
  for (const { table, column } of await textColumns(db)) {
    const hits = await db.execute(
      sql`select count(*)::int as n from ${sql.identifier(table)} where strpos(${sql.identifier(column)}::text, ${secret}) > 0`,
    );
    if (Number(scalarOf(hits, 'n')) > 0) found.push(`${table}.${column}`);
  }
  return found;
}

const linkIn = (text: string, pattern: RegExp): URL => {
  const found = new RegExp(`https?://\\S*${pattern.source}\\S*`).exec(text)?.[0];
  if (!found) throw new Error(`no ${String(pattern)} link in:\n${text}`);
  return new URL(found);
};

describe.each(testDatabases())('live links kept out of the database, on $name', (testDb) => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;
  const env: NodeJS.ProcessEnv = { OUTBOX_INTERVAL_SECONDS: '0.05', AUTH_RATE_LIMIT_PER_MINUTE: '1000' };
  beforeAll(async () => {
    smtp = await startSmtpServer();
    env.SMTP_URL = smtp.url;
  });
  afterAll(() => smtp?.close());
  const t = useTestApp(testDb, env);

  const newcomer = 'newcomer@example.com';
  const invitee = 'invited.tech@halotek.example.com';
  const resetting = DEMO_ACCOUNTS[2].email;
  /** The e-mail each kind of message was delivered as, by the link it carries. */
  const delivered = new Map<string, string>();

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    const admin = await demoSession(t.app, 'admin');
    const sales = await demoSession(t.app, 'sales');
    const support = await demoSession(t.app, 'support');
    const post = (url: string, payload: object, cookie?: string) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}) },
        payload,
      });
    const ok = <T extends { statusCode: number; body: string }>(res: T): T => {
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res;
    };

    // An e-mail confirmation and a password reset (better-auth's tokens)…
    ok(
      await post('/api/auth/sign-up/email', {
        name: 'New Comer',
        email: newcomer,
        password: 'a-long-password-1',
      }),
    );
    ok(await post('/api/auth/request-password-reset', { email: resetting, redirectTo: '/reset-password' }));
    // …an invitation (ours)…
    ok(await post('/api/v1/invitations', { email: invitee, role: 'sales' }, admin));
    // …a claim's acknowledgement and its maintenance order, each with a tracking link…
    const claimId = await claimWithRemedy(t.app, t.db.db, await wangFangPurchase(t.db.db), 'mail_in_repair');
    ok(
      await post(
        `/api/v1/claims/${claimId}/maintenance-order`,
        { mode: 'mail_in', location: { cityId: 'shenzhen' } },
        support,
      ),
    );
    // …and a paid-service quote with its link to accept it.
    const p = await demoParties(t.db.db);
    const purchase = await insertPurchase(t.db.db, {
      productId: p.productId,
      dealerId: p.dealer(0),
      endUserId: p.endUser(3),
      daysAgo: 400,
    });
    const paidClaim = await claimOn(t.app, t.db.db, purchase, p.endUser(3));
    const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
    const quote = ok(
      await post(
        `/api/v1/claims/${paidClaim}/quotes`,
        { lines: [{ kind: 'part', description: 'Rectifier', quantity: 1, unitPrice: cny(15_000) }] },
        sales,
      ),
    ).json<{ id: string; version: number }>();
    ok(await post(`/api/v1/quotes/${quote.id}/send`, { expectedVersion: quote.version }, sales));

    const kinds = {
      verification: /\/api\/auth\/verify-email\?token=/,
      reset: /\/api\/auth\/reset-password\//,
      invitation: /\/accept-invitation\?token=/,
      quote: /\/quote\?token=/,
    };
    // The server's dispatcher sends them to the sink within moments.
    // Three tracking links: both claims' acknowledgements and the maintenance order's message.
    const expected = [
      'invitation',
      'quote',
      'reset',
      'tracking 1',
      'tracking 2',
      'tracking 3',
      'verification',
    ];
    const until = Date.now() + 20_000;
    for (;;) {
      const texts = (smtp?.received ?? []).map((m) => mailText(m.raw));
      for (const [kind, pattern] of Object.entries(kinds)) {
        const text = texts.find((x) => pattern.test(x));
        if (text) delivered.set(kind, text);
      }
      texts
        .filter((x) => /\/track\?token=/.test(x))
        .forEach((text, i) => delivered.set(`tracking ${i + 1}`, text));
      if (expected.every((kind) => delivered.has(kind)) || Date.now() > until) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect([...delivered.keys()].sort()).toEqual(expected);
  }, 120_000);

  const secretOf = (kind: string): { link: URL; secret: string } => {
    const text = delivered.get(kind) ?? '';
    const link = linkIn(
      text,
      kind === 'reset' ? /\/reset-password\// : kind.startsWith('tracking') ? /\/track\?/ : /token=/,
    );
    const secret =
      kind === 'reset' ? (link.pathname.split('/').pop() ?? '') : (link.searchParams.get('token') ?? '');
    expect(secret.length).toBeGreaterThanOrEqual(20);
    return { link, secret };
  };

  it.each(['verification', 'reset', 'invitation', 'tracking 1', 'tracking 2', 'tracking 3', 'quote'])(
    'keeps the %s link’s secret in no column of any table',
    async (kind) => {
      const { secret } = secretOf(kind);
      expect(await whereStored(t.db.db, secret)).toEqual([]);
    },
    60_000,
  );

  it('sends every message sealed: the row shows the link without its secret', async () => {
    const rows = await t.db.db.select().from(outbox);
    const withLinks = rows.filter((r) => r.sealedLink !== null);
    expect(withLinks.map((r) => r.topic).sort()).toEqual(
      expect.arrayContaining([
        'account.email_verification',
        'account.invitation',
        'account.password_reset',
        'claim.received',
        'maintenance_order.issued',
        'quote.sent',
      ]),
    );
    for (const row of withLinks) expect(row.body).toMatch(/(token=|reset-password\/)…/);
  });

  it('delivers links that work', async () => {
    const verification = secretOf('verification').link;
    const verified = await t.app.inject({ method: 'GET', url: verification.pathname + verification.search });
    expect(verified.statusCode, verified.body).toBeLessThan(400);
    const [user] = await t.db.db.select().from(users).where(eq(users.email, newcomer));
    expect(user?.emailVerified).toBe(true);

    const reset = secretOf('reset').link;
    const followed = await t.app.inject({ method: 'GET', url: reset.pathname + reset.search });
    const token = new URL(String(followed.headers.location), ORIGIN).searchParams.get('token');
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/reset-password',
      headers: { origin: ORIGIN },
      payload: { token, newPassword: 'a-brand-new-password' },
    });
    expect(changed.statusCode, changed.body).toBe(200);

    const accepted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      headers: { origin: ORIGIN },
      payload: { token: secretOf('invitation').secret, name: 'Invited Tech', password: 'a-long-password-2' },
    });
    expect(accepted.statusCode, accepted.body).toBeLessThan(300);

    for (const kind of ['tracking 1', 'tracking 2', 'tracking 3']) {
      const tracked = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tracking/link',
        headers: { origin: ORIGIN },
        payload: { token: secretOf(kind).secret },
      });
      expect(tracked.statusCode, tracked.body).toBe(200);
    }

    const quoted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/quotes/link',
      headers: { origin: ORIGIN },
      payload: { token: secretOf('quote').secret },
    });
    expect(quoted.statusCode, quoted.body).toBe(200);
  });
});

describe.each(testDatabases())('messages queued before sealing, or under another key, on $name', (testDb) => {
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

  it('seals the clear links of messages queued by an older release when a server starts', async () => {
    const token = 'LegacyToken_0123456789-abcdefghijklmnopqrstuv';
    const url = `http://localhost:3000/track?token=${token}`;
    const [row] = await handle.db
      .insert(outbox)
      .values({
        topic: 'claim.received',
        recipient: 'li.wei@example.com',
        subject: 'We received your report',
        body: `Follow it here: ${url}\n\n查看处理进度：${url}`,
      })
      .returning();
    expect(await sealQueuedLinks(handle.db, TEST_MESSAGE_KEY)).toBe(1);
    expect(await sealQueuedLinks(handle.db, TEST_MESSAGE_KEY)).toBe(0);
    const [sealed] = await handle.db
      .select()
      .from(outbox)
      .where(eq(outbox.id, row?.id ?? ''));
    expect(sealed?.body).toBe(
      'Follow it here: http://localhost:3000/track?token=…\n\n查看处理进度：http://localhost:3000/track?token=…',
    );
    expect(
      openLink(TEST_MESSAGE_KEY, { sealed: sealed?.sealedLink ?? '', recipient: 'li.wei@example.com' }),
    ).toBe(url);
    expect(await whereStored(handle.db, token)).toEqual([]);
  });

  it('fails at once, saying why, a message whose link was sealed under another key', async () => {
    const otherKey = messageKeyFrom('the-secret-of-an-earlier-installation-1234');
    const link = sealLink(otherKey, {
      url: 'http://localhost:3000/quote?token=SomeoneElsesKey_0123456789abcdef',
      recipient: 'chen.jie@example.com',
    });
    const [row] = await handle.db
      .insert(outbox)
      .values({
        topic: 'quote.sent',
        recipient: 'chen.jie@example.com',
        subject: 'Your quote',
        body: `Accept it here: ${link.shown}`,
        sealedLink: link.sealed,
      })
      .returning();
    const transport = nodemailer.createTransport(smtp.url);
    const result = await dispatchOutbox({
      db: handle.db,
      now: () => TEST_NOW,
      messageKey: TEST_MESSAGE_KEY,
      mailer: {
        async send(message) {
          await transport.sendMail({
            from: 'test@example.com',
            to: message.to,
            subject: message.subject,
            text: message.text,
          });
        },
      },
    });
    expect(result.failed).toBeGreaterThanOrEqual(1);
    const [failed] = await handle.db
      .select()
      .from(outbox)
      .where(eq(outbox.id, row?.id ?? ''));
    expect(failed).toMatchObject({ sentAt: null, attempts: MAX_OUTBOX_ATTEMPTS });
    expect(failed?.lastError).toMatch(/sealed with another key/);
    expect(smtp.received.filter((m) => m.to.includes('chen.jie@example.com'))).toEqual([]);
  });
});
