import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fromNodeHeaders } from 'better-auth/node';
import { forbidden, unauthenticated } from '../../app/access.js';
import { actorOfApiKey } from '../../app/api-keys/api-keys.js';
import { AppError } from '../../app/errors.js';
import { countHit } from '../../app/limits/counters.js';
import { bearerOf } from '../../domain/access/api-keys.js';
import { type Action, type Actor, actorOf, mayAttempt } from '../../domain/access/access.js';
import type { Auth } from './auth.js';
import { hasSessionCookie } from './csrf.js';
import type { SessionLookup } from './session-lookup.js';

/**
 * What a route lets through: an action of the permission table (a session whose role holds it), or
 * `public` (anyone; a session, when there is one, is still resolved for the use case to see).
 */
export type RouteAccess = Action | 'public';

declare module 'fastify' {
  interface FastifyInstance {
    auth: Auth;
    /** The one-query session read of every signed-in request (see session-lookup.ts). */
    sessionLookup: SessionLookup;
    /** Every API route and the access it declared, in registration order: the matrix test walks it. */
    routeAccess: { method: string; url: string; access: RouteAccess }[];
  }
  interface FastifyRequest {
    /** The session's user, resolved before the handler; null without a (valid) session. */
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** Who is asking: the session's user as an Actor, or undefined (no session, expired, deactivated). */
export async function resolveActor(
  app: FastifyInstance,
  request: FastifyRequest,
): Promise<Actor | undefined> {
  const cookie = request.headers.cookie;
  if (cookie === undefined || !hasSessionCookie(cookie)) return undefined;
  const fast = await app.sessionLookup(cookie);
  if (fast.kind === 'actor') return fast.actor;
  const result = await app.auth.api.getSession({ headers: fromNodeHeaders(request.headers) });
  if (!result) return undefined;
  const { user } = result;
  if (user.deactivatedAt) return undefined;
  return actorOf(user);
}

/** The actor a route that declared an action resolved. On a public route, use `request.actor`. */
export function currentActor(request: FastifyRequest): Actor {
  if (!request.actor) {
    throw new Error(`${request.routeOptions.url ?? request.url} declares no action, so it has no actor`);
  }
  return request.actor;
}

/**
 * The actor of an API key, counted against the key's own limit per minute (in the database, so
 * every process counts it once). Anything but a live key is 401 INVALID_API_KEY.
 */
async function keyActor(app: FastifyInstance, presented: string): Promise<Actor> {
  const principal = await actorOfApiKey({ db: app.db.db, now: app.clock }, presented);
  if (!principal) {
    throw new AppError(
      'unauthenticated',
      'INVALID_API_KEY',
      'this API key is not valid: it is malformed, unknown, revoked or expired',
    );
  }
  const nowMs = app.clock().epochMilliseconds;
  const hit = await countHit(app.db.db, { key: `api_key:${principal.keyId}`, windowMs: 60_000, nowMs });
  if (hit.count > principal.requestsPerMinute) {
    const retryAfterSeconds = Math.max(1, Math.ceil(hit.resetInMs / 1000));
    throw new AppError(
      'too_many_requests',
      'RATE_LIMITED',
      `This key may make ${principal.requestsPerMinute} requests a minute; try again in ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
    );
  }
  return principal.actor;
}

/** Routes under these paths answer for themselves (better-auth, the OpenAPI document and its UI). */
function isApiRoute(url: string, exempt: readonly string[]): boolean {
  return url.startsWith('/api/') && !exempt.some((prefix) => url === prefix || url.startsWith(`${prefix}/`));
}

/**
 * One place decides who may reach which route. Every API route must declare `config.access` — a route
 * that forgets is a startup error, not an open door — and one hook enforces it before the body is
 * parsed: 401 without a session, 403 when the role may never do this. Which objects the actor may touch
 * is the use case's check, after it loads them (see app/access.ts).
 */
export function registerAccessControl(
  app: FastifyInstance,
  auth: Auth,
  options: { exempt: readonly string[]; sessionLookup: SessionLookup },
): void {
  app.decorate('auth', auth);
  app.decorate('sessionLookup', options.sessionLookup);
  app.decorate('routeAccess', []);
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route) => {
    if (!isApiRoute(route.url, options.exempt)) return;
    const access = route.config?.access;
    if (access === undefined) {
      throw new Error(`${String(route.method)} ${route.url} declares no config.access`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.routeAccess.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return;
    const bearer = bearerOf(request.headers.authorization);
    // A machine's key, when one is presented, is who asks: a wrong one is refused, never ignored in
    // favour of a cookie that came along.
    const actor = bearer.present ? await keyActor(app, bearer.key) : await resolveActor(app, request);
    request.actor = actor ?? null;
    if (access === 'public') return;
    if (!actor) throw unauthenticated();
    if (!mayAttempt(actor.role, access)) throw forbidden();
  });
}
