import { randomUUID } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/db/client.js';
import { accounts, CREDENTIAL_PROVIDER, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';

/** The origin test apps believe they are served from (PUBLIC_URL's default). */
export const ORIGIN = 'http://localhost:3000';

export function signIn(
  app: FastifyInstance,
  email: string,
  password: string = DEMO_PASSWORD,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    headers: { origin: ORIGIN },
    payload: { email, password },
  });
}

/** `name=value` of the session cookie a response set, ready for a Cookie header. */
export function sessionCookie(setCookie: string | string[] | undefined): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const cookie = all.find((c) => c.startsWith('aftersales.session_token='));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(all)}`);
  return cookie.split(';')[0] ?? '';
}

/** Signs the demo account of a role in (the demo data must be seeded) and returns its cookie. */
export async function demoSession(app: FastifyInstance, role: Role): Promise<string> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  const res = await signIn(app, account.email);
  if (res.statusCode !== 200) throw new Error(`${account.email} could not sign in: ${res.body}`);
  return sessionCookie(res.headers['set-cookie']);
}

/**
 * A second member of an unscoped staff role beside the demo one (four eyes need two people), signed in
 * with the demo password; returns its cookie and its audit name.
 */
export async function colleagueSession(
  db: Database,
  app: FastifyInstance,
  role: 'admin' | 'support' | 'qa' | 'sales',
  email: string,
): Promise<{ cookie: string; actor: string }> {
  const id = randomUUID();
  await db.insert(users).values({ id, name: `Colleague (${role})`, email, emailVerified: true, role });
  await db.insert(accounts).values({
    id: randomUUID(),
    accountId: id,
    providerId: CREDENTIAL_PROVIDER,
    userId: id,
    password: await hashPassword(DEMO_PASSWORD),
  });
  const res = await signIn(app, email);
  if (res.statusCode !== 200) throw new Error(`${email} could not sign in: ${res.body}`);
  return { cookie: sessionCookie(res.headers['set-cookie']), actor: `user:${id}` };
}
