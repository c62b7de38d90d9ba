import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditEvents, outbox, sessions, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { sentText, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { ORIGIN, sessionCookie, signIn as signInAs } from '../support/sessions.js';

describe.each(testDatabases())('accounts on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
  });

  const signIn = (email: string, password = DEMO_PASSWORD) => signInAs(t.app, email, password);

  it('signs each demo account in, and /me tells its role', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const res = await signIn(account.email);
      expect(res.statusCode, res.body).toBe(200);
      const cookie = sessionCookie(res.headers['set-cookie']);
      expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/i);
      expect(String(res.headers['set-cookie'])).toMatch(/SameSite=Lax/i);
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
      expect(me.statusCode, me.body).toBe(200);
      expect(me.json()).toMatchObject({ email: account.email, role: account.role, active: true });
    }
  });

  it('refuses a wrong password with 401 and the one error shape', async () => {
    const res = await signIn(DEMO_ACCOUNTS[0].email, 'not-the-password');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      error: { code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' },
    });
  });

  it('answers 401 to /me without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('signs out: the cookie no longer opens anything', async () => {
    const cookie = sessionCookie((await signIn(DEMO_ACCOUNTS[1].email)).headers['set-cookie']);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie, origin: ORIGIN },
      payload: {},
    });
    expect(out.statusCode, out.body).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
  });

  it('refuses a body nested too deeply to hand to better-auth with 400, not a 500', async () => {
    const depth = 50_000;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      payload: '['.repeat(depth) + ']'.repeat(depth),
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'BODY_TOO_DEEP' } });
  });

  it('refuses a state change carrying a session cookie from another origin (CSRF)', async () => {
    const cookie = sessionCookie((await signIn(DEMO_ACCOUNTS[0].email)).headers['set-cookie']);
    for (const origin of ['https://evil.example', undefined]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/invitations',
        headers: origin ? { cookie, origin } : { cookie },
        payload: { email: 'x@example.com', role: 'qa' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'CROSS_SITE_REQUEST' } });
    }
  });

  it('lets a customer sign up, but only once the address is verified, and only as a customer', async () => {
    const email = 'new.customer@example.com';
    const smuggled = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      headers: { origin: ORIGIN },
      payload: { name: 'Mallory', email, password: 'long-enough-password', role: 'admin' },
    });
    expect(smuggled.statusCode).toBe(400);

    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      headers: { origin: ORIGIN },
      payload: { name: 'New Customer', email, password: 'long-enough-password' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [user] = await t.db.db.select().from(users).where(eq(users.email, email));
    expect(user).toMatchObject({ role: 'customer', emailVerified: false });
    expect(user?.endUserId).toEqual(expect.any(String));
    // The password is kept only as better-auth's scrypt hash.
    const [account] = await t.db.db
      .select()
      .from(accounts)
      .where(eq(accounts.userId, user?.id ?? ''));
    expect(account?.password).not.toContain('long-enough-password');

    expect((await signIn(email, 'long-enough-password')).statusCode).toBe(403);

    const [message] = await t.db.db.select().from(outbox).where(eq(outbox.recipient, email));
    expect(message?.topic).toBe('account.email_verification');
    const link = new URL(/(https?:\/\/\S+)/.exec(sentText(message))?.[1] ?? 'http://none');
    const verify = await t.app.inject({ method: 'GET', url: link.pathname + link.search });
    expect(verify.statusCode, verify.body).toBeLessThan(400);
    expect((await signIn(email, 'long-enough-password')).statusCode).toBe(200);

    const trail = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, user?.id ?? ''));
    expect(trail.map((e) => e.action)).toEqual(
      expect.arrayContaining(['customer.signed_up', 'user.email_verified', 'user.signed_in']),
    );
    expect(trail.every((e) => e.actor === `user:${user?.id ?? ''}`)).toBe(true);
  });

  it('resets a password through the outbox and ends the old sessions', async () => {
    const email = DEMO_ACCOUNTS[2].email;
    const cookie = sessionCookie((await signIn(email)).headers['set-cookie']);
    const ask = await t.app.inject({
      method: 'POST',
      url: '/api/auth/request-password-reset',
      headers: { origin: ORIGIN },
      payload: { email, redirectTo: '/reset-password' },
    });
    expect(ask.statusCode, ask.body).toBe(200);
    const [message] = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'account.password_reset'));
    expect(message?.recipient).toBe(email);
    const link = /(https?:\/\/\S+)/.exec(sentText(message))?.[1] ?? '';
    const followed = await t.app.inject({
      method: 'GET',
      url: new URL(link).pathname + new URL(link).search,
    });
    const token = new URL(String(followed.headers.location), ORIGIN).searchParams.get('token');
    expect(token).toBeTruthy();
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/auth/reset-password',
      headers: { origin: ORIGIN },
      payload: { token, newPassword: 'a-brand-new-password' },
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(
      401,
    );
    expect((await signIn(email)).statusCode).toBe(401);
    expect((await signIn(email, 'a-brand-new-password')).statusCode).toBe(200);
    const [changed] = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'user.password_reset'));
    expect(changed?.actor).toMatch(/^user:/);
  });

  it('invites a technician: the link makes the account with the role and scope, once', async () => {
    const admin = sessionCookie((await signIn(DEMO_ACCOUNTS[0].email)).headers['set-cookie']);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: admin } });
    const adminId = me.json<{ id: string }>().id;
    const centers = await t.db.db.query.serviceCenters.findMany();
    const center = centers[1];
    const invite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations',
      headers: { cookie: admin, origin: ORIGIN },
      payload: { email: 'New.Tech@Halotek.example.com', role: 'technician', serviceCenterId: center?.id },
    });
    expect(invite.statusCode, invite.body).toBe(201);
    expect(invite.json()).toMatchObject({ email: 'new.tech@halotek.example.com', status: 'pending' });
    const [message] = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'account.invitation'));
    const token = new URL(/(https?:\/\/\S+)/.exec(sentText(message))?.[1] ?? 'http://none').searchParams.get(
      'token',
    );
    const accept = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/invitations/accept',
        payload: { token, name: 'New Tech', password: 'technician-password' },
      });
    const accepted = await accept();
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect((await accept()).json()).toMatchObject({ error: { code: 'INVITATION_ALREADY_ACCEPTED' } });
    const res = await signIn('new.tech@halotek.example.com', 'technician-password');
    expect(res.statusCode).toBe(200);
    const tech = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: sessionCookie(res.headers['set-cookie']) },
    });
    expect(tech.json()).toMatchObject({ role: 'technician', serviceCenterId: center?.id });
    const audit = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'invitation.created'));
    expect(audit[0]?.actor).toBe(`user:${adminId}`);
  });

  it('keeps a deactivated user out, sessions and sign-in alike', async () => {
    const admin = sessionCookie((await signIn(DEMO_ACCOUNTS[0].email)).headers['set-cookie']);
    const salesCookie = sessionCookie((await signIn(DEMO_ACCOUNTS[3].email)).headers['set-cookie']);
    const [sales] = await t.db.db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS[3].email));
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${sales?.id}/deactivate`,
      headers: { cookie: admin, origin: ORIGIN },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(
      await t.db.db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, sales?.id ?? '')),
    ).toEqual([]);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: salesCookie } })).statusCode,
    ).toBe(401);
    expect((await signIn(DEMO_ACCOUNTS[3].email)).statusCode).toBe(403);
  });
});
