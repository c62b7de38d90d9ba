import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/app/lists/cursor.js';
import { readCaughtMail } from '../../src/app/outbox/read-caught-mail.js';
import { sealLink } from '../../src/app/outbox/sealed-links.js';
import { auditEvents, outbox, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, seedDemoData } from '../../src/db/seed.js';
import { type Role, roles } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import type { CaughtMail, CaughtMailSummary } from '../../src/http/dev-mail/schemas.js';
import { TEST_MESSAGE_KEY, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN, sessionCookie } from '../support/sessions.js';
import { startSmtpServer } from '../support/smtp.js';

/*
 * The development mail catcher (/api/v1/dev-mail): where no mail server is set, admins read the e-mail
 * the server would have sent, whole, with its real links. Each case is an attack on it: someone who is
 * not an admin in person reading mail, mail that really left being shown, a live link kept in a list or
 * a cache, a read leaving no trace, an address typed into a message becoming a link.
 */

type Page = { items: CaughtMailSummary[]; nextCursor: string | null };

const demoEmail = (role: Role) => DEMO_ACCOUNTS.find((a) => a.role === role)?.email ?? '';

describe.each(testDatabases())('the development mail catcher on $name', (testDb) => {
  describe('without SMTP_URL', () => {
    // On by default on the embedded database; a PostgreSQL server keeps mail only when asked to.
    const t = useTestApp(testDb, {
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      ...(testDb.name === 'postgres' ? { MAIL_CATCHER: 'true' } : {}),
    });
    const cookies = new Map<Role, string>();
    let supportKey = '';

    beforeAll(async () => {
      await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
      for (const role of roles) cookies.set(role, await demoSession(t.app, role));
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { origin: ORIGIN, cookie: cookies.get('admin') },
        payload: { name: 'support machine', role: 'support', requestsPerMinute: 100_000 },
      });
      if (res.statusCode !== 201) throw new Error(`no key: ${res.body}`);
      supportKey = res.json<{ key: string }>().key;
    });

    const as = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
    const get = (url: string, role?: Role) =>
      t.app.inject({ method: 'GET', url, headers: role ? as(role) : { origin: ORIGIN } });
    const list = async (query = '') => {
      const res = await get(`/api/v1/dev-mail${query}`, 'admin');
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Page>();
    };
    const signUp = async (email: string, name: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-up/email',
        headers: { origin: ORIGIN },
        payload: { name, email, password: 'long-enough-password', callbackURL: '/' },
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    const reads = (messageId: string) =>
      t.db.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'dev_mail.read'), eq(auditEvents.entityId, messageId)));

    it('tells the admin, and nobody else, that there is mail to read', async () => {
      for (const role of roles) {
        const res = await get('/api/v1/me', role);
        expect(res.json<{ mailCatcher: boolean }>().mailCatcher, role).toBe(role === 'admin');
      }
      const byKey = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${supportKey}` },
      });
      expect(byKey.json<{ mailCatcher: boolean }>().mailCatcher).toBe(false);
    });

    it('shows a new customer’s confirmation whole to the admin; its link confirms the address', async () => {
      const email = 'caught.customer@example.com';
      await signUp(email, 'Caught Customer');
      const { items } = await list();
      const summary = items.find((m) => m.recipient === email);
      expect(summary).toMatchObject({ topic: 'account.email_verification', hasLink: true });
      // Newest first: nothing was written after the sign-up's message.
      expect(items[0]?.id).toBe(summary?.id);
      // The list carries no text: no link, so nothing to audit in reading it.
      expect(JSON.stringify(items)).not.toContain('token');

      const res = await get(`/api/v1/dev-mail/${summary?.id ?? ''}`, 'admin');
      expect(res.statusCode, res.body).toBe(200);
      // A live link: kept by no browser or proxy.
      expect(res.headers['cache-control']).toBe('no-store');
      const mail = res.json<CaughtMail>();
      expect(mail).toMatchObject({ recipient: email, linkError: null });
      expect(mail.links).toHaveLength(1);
      const link = new URL(mail.links[0] ?? '');
      expect(link.origin).toBe(ORIGIN);
      expect(link.pathname).toBe('/api/auth/verify-email');
      expect(mail.text).toContain(mail.links[0]);
      // The row still holds the link sealed, as before: the catcher opens it only in its answer.
      const [row] = await t.db.db.select().from(outbox).where(eq(outbox.id, mail.id));
      expect(row?.body).not.toContain(link.searchParams.get('token') ?? 'no token');

      // Who read which message to whom.
      const [admin] = await t.db.db
        .select()
        .from(users)
        .where(eq(users.email, demoEmail('admin')));
      const [event] = await reads(mail.id);
      expect(event).toMatchObject({
        actor: `user:${admin?.id ?? ''}`,
        entityType: 'outbox_message',
        data: { recipient: email, topic: 'account.email_verification', hasLink: true },
      });

      // The link works on this server: followed, it confirms the address and signs the customer in.
      const followed = await t.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
      expect(followed.statusCode, followed.body).toBe(302);
      const session = sessionCookie(followed.headers['set-cookie']);
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: session } });
      expect(me.json()).toMatchObject({ email, role: 'customer', mailCatcher: false });
      const [user] = await t.db.db.select().from(users).where(eq(users.email, email));
      expect(user?.emailVerified).toBe(true);
    });

    it('refuses everyone but an admin in person: nobody, every other role, a key — and leaves no read', async () => {
      await signUp('not.for.you@example.com', 'Not For You');
      const [mail] = (await list()).items;
      const id = mail?.id ?? '';
      const before = (await reads(id)).length;
      for (const url of ['/api/v1/dev-mail', `/api/v1/dev-mail/${id}`]) {
        expect((await get(url)).statusCode, `${url} anonymous`).toBe(401);
        for (const role of roles.filter((r) => r !== 'admin')) {
          const res = await get(url, role);
          expect(res.statusCode, `${url} as ${role}`).toBe(403);
          expect(res.body).not.toContain('token');
        }
        const byKey = await t.app.inject({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${supportKey}` },
        });
        expect(byKey.statusCode, `${url} by a key`).toBe(403);
      }
      // Should admins ever get keys, a key still reads no one’s mail: the use case asks for a person.
      await expect(
        readCaughtMail(
          {
            db: t.db.db,
            messageKey: t.app.messageKey,
            enabled: true,
            publicOrigin: ORIGIN,
          },
          { userId: 'key:1', keyId: '1', role: 'admin', scope: {} },
          id,
        ),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await reads(id)).toHaveLength(before);
    });

    it('shows only e-mail that did not leave: not a sent one, a phone’s or a staff notice', async () => {
      const base = { subject: 'Not caught', body: 'Dear customer, …' };
      const [sent, phone, staff] = await t.db.db
        .insert(outbox)
        .values([
          { ...base, topic: 'claim.acknowledged', recipient: 'left@example.com', sentAt: new Date() },
          { ...base, topic: 'claim.acknowledged', recipient: '+86 138 0013 8000' },
          { ...base, topic: 'maintenance_order.escalated', recipient: 'role:support' },
        ])
        .returning({ id: outbox.id });
      const shown = (await list('?limit=200')).items.map((m) => m.id);
      for (const row of [sent, phone, staff]) {
        expect(shown).not.toContain(row?.id);
        const res = await get(`/api/v1/dev-mail/${row?.id ?? ''}`, 'admin');
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ error: { code: 'MESSAGE_NOT_FOUND' } });
      }
    });

    it('makes links only of the addresses of this server, never of one typed into a message', async () => {
      const recipient = 'typed.link@example.com';
      const url = `${ORIGIN}/quote?token=secret-quote-token`;
      const link = sealLink(TEST_MESSAGE_KEY, { url, recipient });
      const [row] = await t.db.db
        .insert(outbox)
        .values({
          topic: 'quote.sent',
          recipient,
          subject: 'Your quote',
          body: `Note from http://evil.example/login: pay here.\nAccept: ${link.shown}`,
          sealedLink: link.sealed,
        })
        .returning({ id: outbox.id });
      const mail = (await get(`/api/v1/dev-mail/${row?.id ?? ''}`, 'admin')).json<CaughtMail>();
      expect(mail.text).toContain(url);
      expect(mail.text).toContain('http://evil.example/login');
      expect(mail.links).toEqual([url]);
    });

    it('shows an altered row’s message without its link, saying why', async () => {
      const url = `${ORIGIN}/track?token=secret-track-token`;
      const link = sealLink(TEST_MESSAGE_KEY, { url, recipient: 'owner@example.com' });
      // Someone with write access to the outbox redirects the message to themselves.
      const [row] = await t.db.db
        .insert(outbox)
        .values({
          topic: 'claim.acknowledged',
          recipient: 'thief@example.com',
          subject: 'Your claim',
          body: `Follow it: ${link.shown}`,
          sealedLink: link.sealed,
        })
        .returning({ id: outbox.id });
      const mail = (await get(`/api/v1/dev-mail/${row?.id ?? ''}`, 'admin')).json<CaughtMail>();
      expect(mail.linkError).toContain('does not open');
      expect(mail.text).not.toContain('secret-track-token');
    });

    it('pages newest first by cursor, every message once, and refuses another list’s cursor', async () => {
      for (let i = 0; i < 5; i++) await signUp(`paged.${i}@example.com`, `Paged ${i}`);
      const all = (await list('?limit=200')).items;
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((m) => m.id));
      const times = all.map((m) => m.createdAt);
      expect(times).toEqual([...times].sort().reverse());
      expect((await list('?q=paged.3@')).items.map((m) => m.recipient)).toEqual(['paged.3@example.com']);

      // A cursor the claims list would take, with a real message's key and id: still not this list's.
      const last = all.at(-1);
      const foreign = encodeCursor({
        list: 'claims',
        sort: 'createdAt',
        order: 'desc',
        key: last?.createdAt ?? '',
        id: last?.id ?? '',
      });
      const res = await get(`/api/v1/dev-mail?cursor=${foreign}`, 'admin');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'INVALID_CURSOR' } });
    });
  });

  describe('with SMTP_URL set', () => {
    let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;
    const env: NodeJS.ProcessEnv = { OUTBOX_INTERVAL_SECONDS: '0.05', AUTH_RATE_LIMIT_PER_MINUTE: '1000' };
    beforeAll(async () => {
      smtp = await startSmtpServer();
      env.SMTP_URL = smtp.url;
    });
    afterAll(() => smtp?.close());
    const t = useTestApp(testDb, env);
    beforeAll(async () => {
      await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    });

    it('has no mail to show: it left; the admin gets 404, the others still 403', async () => {
      const email = 'really.sent@example.com';
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-up/email',
        headers: { origin: ORIGIN },
        payload: { name: 'Really Sent', email, password: 'long-enough-password' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const [row] = await t.db.db.select().from(outbox).where(eq(outbox.recipient, email));
      const until = Date.now() + 10_000;
      while (!smtp?.received.some((m) => m.to.includes(email))) {
        if (Date.now() > until) throw new Error('the confirmation never reached the mail server');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      const admin = await demoSession(t.app, 'admin');
      const support = await demoSession(t.app, 'support');
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: admin } });
      expect(me.json<{ mailCatcher: boolean }>().mailCatcher).toBe(false);
      for (const url of ['/api/v1/dev-mail', `/api/v1/dev-mail/${row?.id ?? ''}`]) {
        const byAdmin = await t.app.inject({
          method: 'GET',
          url,
          headers: { origin: ORIGIN, cookie: admin },
        });
        expect(byAdmin.statusCode, url).toBe(404);
        expect(byAdmin.json()).toMatchObject({ error: { code: 'MAIL_CATCHER_OFF' } });
        const bySupport = await t.app.inject({
          method: 'GET',
          url,
          headers: { origin: ORIGIN, cookie: support },
        });
        expect(bySupport.statusCode, url).toBe(403);
      }
      const events = await t.db.db.select().from(auditEvents).where(eq(auditEvents.action, 'dev_mail.read'));
      expect(events).toEqual([]);
    });
  });

  if (testDb.name === 'postgres') {
    describe('on PostgreSQL without MAIL_CATCHER', () => {
      const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
      beforeAll(async () => {
        await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
      });

      it('keeps no mail: a real installation’s admins do not read reset links unless someone asked', async () => {
        const admin = await demoSession(t.app, 'admin');
        const res = await t.app.inject({
          method: 'GET',
          url: '/api/v1/dev-mail',
          headers: { origin: ORIGIN, cookie: admin },
        });
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ error: { code: 'MAIL_CATCHER_OFF' } });
        const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: admin } });
        expect(me.json<{ mailCatcher: boolean }>().mailCatcher).toBe(false);
      });
    });
  }
});
