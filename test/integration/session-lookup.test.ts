import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { SESSION_EXPIRES_IN_SECONDS } from '../../src/http/auth/auth.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession } from '../support/sessions.js';

/*
 * The one-query session read (src/http/auth/session-lookup.ts) must answer as better-auth would: the
 * same cookie opens the same doors, a forged one none, and what better-auth maintains (expiry, the daily
 * extension) is still done by better-auth.
 */
describe.each(testDatabases())('the session read of each request on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
  });
  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
  const tokenOf = (cookie: string) => decodeURIComponent(cookie.split('=')[1] ?? '').split('.')[0] ?? '';

  it('opens /me with the cookie better-auth signed, for every role', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const res = await me(await demoSession(t.app, account.role));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ email: account.email, role: account.role });
    }
  });

  it('refuses a cookie whose token or signature was changed, or that has no signature', async () => {
    const cookie = await demoSession(t.app, 'support');
    const [name, value = ''] = cookie.split('=');
    const decoded = decodeURIComponent(value);
    const dot = decoded.lastIndexOf('.');
    const token = decoded.slice(0, dot);
    const signature = decoded.slice(dot + 1);
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const forged of [
      `${flip(token)}.${signature}`,
      `${token}.${flip(signature)}`,
      token,
      `.${signature}`,
      `${token}.`,
      `${token}.${signature}${signature}`,
    ]) {
      const res = await me(`${name ?? ''}=${encodeURIComponent(forged)}`);
      expect(res.statusCode, forged).toBe(401);
    }
    expect((await me(cookie)).statusCode).toBe(200);
  });

  it('leaves the daily extension to better-auth, which writes it', async () => {
    const cookie = await demoSession(t.app, 'qa');
    const token = tokenOf(cookie);
    // Signed in two days ago: due for extension (better-auth extends at most once a day).
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    const oldExpiry = new Date(twoDaysAgo.getTime() + SESSION_EXPIRES_IN_SECONDS * 1000);
    await t.db.db.update(sessions).set({ expiresAt: oldExpiry }).where(eq(sessions.token, token));
    expect((await me(cookie)).statusCode).toBe(200);
    const [row] = await t.db.db.select().from(sessions).where(eq(sessions.token, token));
    expect(row?.expiresAt.getTime()).toBeGreaterThan(oldExpiry.getTime() + 86_400_000);
  });

  it('refuses an expired session, and better-auth deletes it', async () => {
    const cookie = await demoSession(t.app, 'sales');
    const token = tokenOf(cookie);
    await t.db.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.token, token));
    expect((await me(cookie)).statusCode).toBe(401);
    expect(await t.db.db.select().from(sessions).where(eq(sessions.token, token))).toEqual([]);
  });

  it('refuses a deactivated user at once, and a session deleted by sign-out elsewhere', async () => {
    const cookie = await demoSession(t.app, 'dealer');
    const token = tokenOf(cookie);
    const [session] = await t.db.db.select().from(sessions).where(eq(sessions.token, token));
    await t.db.db
      .update(users)
      .set({ deactivatedAt: new Date() })
      .where(eq(users.id, session?.userId ?? ''));
    expect((await me(cookie)).statusCode).toBe(401);
    await t.db.db
      .update(users)
      .set({ deactivatedAt: null })
      .where(eq(users.id, session?.userId ?? ''));
    expect((await me(cookie)).statusCode).toBe(200);
    await t.db.db.delete(sessions).where(eq(sessions.token, token));
    expect((await me(cookie)).statusCode).toBe(401);
  });
});
