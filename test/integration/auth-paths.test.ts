import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { outbox, sessions, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { AUTH_ENDPOINTS } from '../../src/http/auth/routes.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { ORIGIN } from '../support/sessions.js';

/*
 * Every way of reaching better-auth goes through the strict route of its endpoint — its schema, its
 * limits, its lock-out bookkeeping — or is refused. Spellings are sent over a real socket: Fastify's
 * inject resolves dot segments before the router sees them, as a client's raw request does not.
 */

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function raw(base: URL, method: string, path: string, body?: unknown, cookie?: string): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          origin: ORIGIN,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Other spellings of a canonical path that a router, a URL parser or better-auth might read as it. */
function spellingsOf(path: string): string[] {
  const [, , , first = '', ...rest] = path.split('/'); // '', 'api', 'auth', first, ...
  const tail = rest.length ? `/${rest.join('/')}` : '';
  const dashed = path.replace('-', '%2D');
  const spellings = [
    `/api/auth/x/../${first}${tail}`,
    `/api/auth/./${first}${tail}`,
    `/api/auth/x/%2e%2e/${first}${tail}`,
    `/api/auth/x/%2E%2E/${first}${tail}`,
    `/api/auth/%2e/${first}${tail}`,
    `/api/auth/x/..%2F${first}${tail}`,
    `/api/auth/x/..\\${first}${tail}`,
    `/api/auth/${first}${tail.replace('/', '%2F')}`,
    `/api/auth/${first}${tail.replace('/', '%2f')}`,
    `/api/auth/%${first.charCodeAt(0).toString(16)}${first.slice(1)}${tail}`,
    ...(dashed === path ? [] : [dashed]),
    `/api/%61uth/${first}${tail}`,
    `/api/auth//${first}${tail}`,
    `/api//auth/${first}${tail}`,
    `${path}/`,
    `${path}//`,
    path.replace('/api/auth/', '/api/auth/').toUpperCase(),
    path.replace(/\/([a-z])/g, (_m, c: string) => `/${c.toUpperCase()}`),
    `/API/auth/${first}${tail}`,
    `/api/auth/${first.toUpperCase()}${tail}`,
    `${path};x=1`,
    `/api/auth/${first};a=b${tail}`,
    `${path}#fragment`,
    `${path}?callbackURL=%2F`,
    `${path}%00`,
    `/api/auth/%252e%252e/${first}${tail}`,
  ];
  return [...new Set(spellings)].filter((s) => s !== path);
}

const customer = DEMO_ACCOUNTS.find((a) => a.role === 'customer')?.email ?? '';
const support = DEMO_ACCOUNTS.find((a) => a.role === 'support')?.email ?? '';

/** The limited endpoints, each with a body that would do its work if it reached better-auth. */
const LIMITED: { path: string; body: (i: number) => Record<string, unknown> }[] = [
  { path: '/api/auth/sign-in/email', body: () => ({ email: support, password: DEMO_PASSWORD }) },
  {
    path: '/api/auth/sign-up/email',
    body: (i) => ({
      name: 'Path Walker',
      email: `walker-${i}@example.com`,
      password: 'long-enough-password',
    }),
  },
  {
    path: '/api/auth/request-password-reset',
    body: () => ({ email: customer, redirectTo: '/reset-password' }),
  },
  { path: '/api/auth/send-verification-email', body: () => ({ email: 'unverified@example.com' }) },
];

describe.each(testDatabases())('the doors to better-auth on $name', (testDb) => {
  const t = useTestApp(testDb, {
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    AUTH_MAIL_PER_ADDRESS_PER_HOUR: '100000',
    AUTH_MAIL_PER_IP_PER_HOUR: '100000',
  });
  let base: URL;
  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = new URL(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`);
    // An account that has not confirmed its address: send-verification-email would mail it.
    const signedUp = await raw(base, 'POST', '/api/auth/sign-up/email', {
      name: 'Not Yet',
      email: 'unverified@example.com',
      password: 'long-enough-password',
    });
    expect(signedUp.status, signedUp.body).toBe(200);
  });

  const effects = async () => ({
    outbox: (await t.db.db.select({ n: count() }).from(outbox))[0]?.n,
    sessions: (await t.db.db.select({ n: count() }).from(sessions))[0]?.n,
    users: (await t.db.db.select({ n: count() }).from(users))[0]?.n,
  });

  it('refuses every other spelling of every limited endpoint, and none of them does its work', async () => {
    const before = await effects();
    const seen: string[] = [];
    let i = 0;
    for (const endpoint of LIMITED) {
      for (const spelling of spellingsOf(endpoint.path)) {
        const res = await raw(base, 'POST', spelling, endpoint.body(i++));
        seen.push(`${res.status} ${spelling}`);
        expect([400, 404], `${spelling}: ${res.status} ${res.body}`).toContain(res.status);
        expect(JSON.stringify(res.headers['set-cookie'] ?? '')).not.toContain('session_token');
      }
    }
    expect(await effects()).toEqual(before);
    // The prefix's own spellings reach the auth routes and are told why: 400, not a silent 404.
    expect(seen).toContain('400 /api/auth/x/../sign-in/email');
    expect(seen).toContain('400 /api/auth/sign-in%2Femail');
    expect(seen).toContain('400 /api/auth/SIGN-IN/email');
  });

  it('does the work at the canonical path (the test above would have seen it)', async () => {
    const before = await effects();
    for (const [n, endpoint] of LIMITED.entries()) {
      const res = await raw(base, 'POST', endpoint.path, endpoint.body(1000 + n));
      expect(res.status, `${endpoint.path}: ${res.body}`).toBe(200);
    }
    const after = await effects();
    expect(after.sessions).toBe((before.sessions ?? 0) + 1);
    expect(after.users).toBe((before.users ?? 0) + 1);
    expect(after.outbox).toBe((before.outbox ?? 0) + 3);
  });

  it('serves only the allow-listed endpoints of better-auth', async () => {
    for (const path of [
      '/api/auth/update-user',
      '/api/auth/verify-password',
      '/api/auth/list-sessions',
      '/api/auth/revoke-sessions',
      '/api/auth/change-email',
      '/api/auth/delete-user',
      '/api/auth/list-accounts',
      '/api/auth/sign-in/social',
      '/api/auth/ok',
      '/api/auth/error',
      '/api/auth/reference',
      '/api/auth/update-session',
    ]) {
      for (const method of ['GET', 'POST']) {
        const res = await raw(base, method, path, method === 'POST' ? {} : undefined);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'NOT_FOUND' } });
      }
    }
    // Each allow-listed one has a route of its own (so its own schema), documented or not.
    for (const endpoint of AUTH_ENDPOINTS) {
      const [method = '', path = ''] = endpoint.split(' ');
      expect(t.app.hasRoute({ method, url: `/api/auth${path}` }), endpoint).toBe(true);
    }
  });

  it('refuses a query string better-auth would read, and a reset token spelled two ways', async () => {
    const withQuery = await raw(base, 'POST', '/api/auth/sign-in/email?callbackURL=https://evil.example', {
      email: support,
      password: DEMO_PASSWORD,
    });
    expect(withQuery.status).toBe(400);
    const token = await raw(base, 'GET', '/api/auth/reset-password/%41bc?callbackURL=%2Freset-password');
    expect(token.status).toBe(400);
    expect(JSON.parse(token.body)).toMatchObject({ error: { code: 'NON_CANONICAL_PATH' } });
    const plain = await raw(base, 'GET', '/api/auth/reset-password/Abc?callbackURL=%2Freset-password');
    // An unknown token: better-auth sends the browser back with the error, as for any stale link.
    expect(plain.status, plain.body).toBe(302);
    expect(String(plain.headers.location)).toContain('error=INVALID_TOKEN');
  });
});

describe.each(testDatabases())('messages asked for anonymously, on $name', (testDb) => {
  const t = useTestApp(testDb, {
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    AUTH_MAIL_PER_ADDRESS_PER_HOUR: '3',
    AUTH_MAIL_PER_IP_PER_HOUR: '6',
  });
  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
  });

  const ask = (path: string, payload: Record<string, unknown>, ip: string) =>
    t.app.inject({ method: 'POST', url: path, headers: { origin: ORIGIN }, remoteAddress: ip, payload });
  const mailing = [
    (email: string, ip: string) =>
      ask('/api/auth/sign-up/email', { name: 'Someone', email, password: 'long-enough-password' }, ip),
    (email: string, ip: string) => ask('/api/auth/request-password-reset', { email }, ip),
    (email: string, ip: string) => ask('/api/auth/send-verification-email', { email }, ip),
  ];

  it('limits the messages to one address, from any number of clients, whichever endpoint asks', async () => {
    for (const address of [customer, 'no-account-here@example.com']) {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await mailing[i % mailing.length]?.(address, `10.50.${i}.1`);
        statuses.push(res?.statusCode ?? 0);
        if (res?.statusCode === 429) {
          expect(res.json()).toMatchObject({ error: { code: 'TOO_MANY_EMAILS' } });
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(statuses, address).toEqual([200, 200, 200, 429, 429, 429]);
    }
    // Case and spaces do not make another address.
    expect((await mailing[1]?.(customer.toUpperCase(), '10.50.9.1'))?.statusCode).toBe(429);
  });

  it('limits the messages asked from one client, whatever the addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await mailing[i % mailing.length]?.(`spray-${i}@example.com`, '10.60.0.1');
      statuses.push(res?.statusCode ?? 0);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    expect((await mailing[1]?.('spray-x@example.com', '10.60.0.2'))?.statusCode).toBe(200);
  });
});

describe.each(testDatabases())(
  'sign-up tells nobody whether an address has an account, on $name',
  (testDb) => {
    const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '100000' });
    beforeAll(async () => {
      await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    });

    const signUp = (email: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-up/email',
        headers: { origin: ORIGIN },
        payload: { name: 'Curious', email, password: 'long-enough-password' },
      });
    const messagesTo = (email: string) => t.db.db.select().from(outbox).where(eq(outbox.recipient, email));

    it('answers the same for an existing and a new address, and sends one message either way', async () => {
      const existing = customer;
      const fresh = 'brand.new.customer@example.com';
      const [before] = await t.db.db.select().from(users).where(eq(users.email, existing));
      const beforeExisting = (await messagesTo(existing)).length;

      const a = await signUp(existing);
      const b = await signUp(fresh);
      expect(a.statusCode).toBe(b.statusCode);
      expect(a.statusCode).toBe(200);
      expect(a.json()).toEqual(b.json());
      expect(Object.keys(a.headers).sort()).toEqual(Object.keys(b.headers).sort());
      expect(a.headers['set-cookie']).toBeUndefined();

      // The same work: one message each — the owner told someone tried, the newcomer asked to confirm.
      const toExisting = await messagesTo(existing);
      const toFresh = await messagesTo(fresh);
      expect(toExisting.length - beforeExisting).toBe(1);
      expect(toFresh).toHaveLength(1);
      expect(toExisting.at(-1)?.topic).toBe('account.sign_up_existing');
      expect(toFresh[0]?.topic).toBe('account.email_verification');
      // The existing account is untouched.
      const [after] = await t.db.db.select().from(users).where(eq(users.email, existing));
      expect(after).toEqual(before);
    });
  },
);

describe.each(testDatabases())(
  'the published demo password on a server reached over HTTPS, on $name',
  (testDb) => {
    const site = 'https://service.halotek.example.com';
    const t = useTestApp(testDb, { PUBLIC_URL: site, AUTH_RATE_LIMIT_PER_MINUTE: '100000' });
    beforeAll(async () => {
      await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    });
    const signIn = (email: string, password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        headers: { origin: site },
        payload: { email, password },
      });

    it('opens no account, demo or not, and cannot be chosen as a new password', async () => {
      for (const account of DEMO_ACCOUNTS) {
        const res = await signIn(account.email, DEMO_PASSWORD);
        expect(res.statusCode, account.email).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'DEMO_PASSWORD_REFUSED' } });
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const { createAdmin } = await import('../../src/app/accounts/create-admin.js');
      const { hashPassword } = await import('better-auth/crypto');
      await createAdmin(
        { db: t.db.db, hashPassword },
        { email: 'real.admin@halotek.example.com', name: 'Real Admin', password: 'a-real-admin-password' },
      );
      expect((await signIn('real.admin@halotek.example.com', 'a-real-admin-password')).statusCode).toBe(200);
      const signUp = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-up/email',
        headers: { origin: site },
        payload: { name: 'Copycat', email: 'copycat@example.com', password: DEMO_PASSWORD },
      });
      expect(signUp.json()).toMatchObject({ error: { code: 'DEMO_PASSWORD_REFUSED' } });
      const reset = await t.app.inject({
        method: 'POST',
        url: '/api/auth/reset-password',
        headers: { origin: site },
        payload: { token: 'whatever-token', newPassword: DEMO_PASSWORD },
      });
      expect(reset.json()).toMatchObject({ error: { code: 'DEMO_PASSWORD_REFUSED' } });
    });
  },
);
