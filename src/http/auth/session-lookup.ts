import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseCookies } from 'better-auth/cookies';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { preparedStatement } from '../../db/prepared.js';
import { sessions, users } from '../../db/schema.js';
import { type Actor, actorOf } from '../../domain/access/access.js';
import { COOKIE_PREFIX, SESSION_EXPIRES_IN_SECONDS, SESSION_UPDATE_AGE_SECONDS } from './auth.js';

/**
 * What a signed-in request costs before its handler runs. better-auth's getSession reads the session
 * and then its user in two queries, through its endpoint machinery, on every request; it was most of
 * the cost of a signed-in request (see bench/results/latest.md). This reads both in one indexed
 * query, and hands the session back to better-auth whenever better-auth has something to do with it:
 * an expired session (which it deletes), one due for its daily extension (which it writes), or a
 * "don't remember me" sign-in. The cookie is verified exactly as better-auth signs it (better-call:
 * HMAC-SHA256 of the token with the auth secret, base64, after a '.').
 */
export type SessionLookup = (
  cookieHeader: string,
) => Promise<{ kind: 'actor'; actor: Actor | undefined } | { kind: 'ask_better_auth' }>;

// Every signed-in request runs it: built once, planned once per connection.
const sessionActor = preparedStatement('session_actor', (db, name) =>
  db
    .select({
      expiresAt: sessions.expiresAt,
      id: users.id,
      role: users.role,
      dealerId: users.dealerId,
      serviceCenterId: users.serviceCenterId,
      oemClientId: users.oemClientId,
      endUserId: users.endUserId,
      deactivatedAt: users.deactivatedAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.token, sql.placeholder('token')))
    .limit(1)
    .prepare(name),
);

export function sessionLookup(deps: { db: Database; secret: string; secure: boolean }): SessionLookup {
  const prefix = deps.secure ? '__Secure-' : '';
  const tokenCookie = `${prefix}${COOKIE_PREFIX}.session_token`;
  const dontRememberCookie = `${prefix}${COOKIE_PREFIX}.dont_remember`;
  const signatureOf = (value: string) => createHmac('sha256', deps.secret).update(value).digest();

  return async (cookieHeader) => {
    const cookies = parseCookies(cookieHeader);
    const signed = cookies.get(tokenCookie);
    if (!signed || cookies.has(dontRememberCookie)) return { kind: 'ask_better_auth' };
    // A forged or mangled cookie is no session, exactly as better-auth would answer.
    const dot = signed.lastIndexOf('.');
    if (dot < 1) return { kind: 'actor', actor: undefined };
    const token = signed.slice(0, dot);
    // Compared as text: a base64 decoder would also accept trailing junk after the padding.
    const signature = Buffer.from(signed.slice(dot + 1));
    const expected = Buffer.from(signatureOf(token).toString('base64'));
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      return { kind: 'actor', actor: undefined };
    }
    const [row] = await sessionActor(deps.db).execute({ token });
    if (!row) return { kind: 'actor', actor: undefined };
    // better-auth's own clock, not the app's: it decides expiry and extension by the wall clock.
    const now = Date.now();
    const dueForExtension =
      row.expiresAt.getTime() - SESSION_EXPIRES_IN_SECONDS * 1000 + SESSION_UPDATE_AGE_SECONDS * 1000 <= now;
    if (row.expiresAt.getTime() <= now || dueForExtension) return { kind: 'ask_better_auth' };
    return { kind: 'actor', actor: row.deactivatedAt ? undefined : actorOf(row) };
  };
}
