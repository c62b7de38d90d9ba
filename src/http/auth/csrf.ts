import type { FastifyInstance } from 'fastify';
import { AppError } from '../../app/errors.js';
import { trustedOrigins } from '../../config.js';
import { COOKIE_PREFIX } from './auth.js';

const SESSION_COOKIE = new RegExp(`(?:^|;\\s*)(?:__Secure-)?${COOKIE_PREFIX}\\.session_token=`);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function hasSessionCookie(cookieHeader: string | undefined): boolean {
  return cookieHeader !== undefined && SESSION_COOKIE.test(cookieHeader);
}

function originOfReferer(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/**
 * Cookie sessions are sent by the browser to whoever triggers the request, so a state-changing
 * request carrying one must say it comes from our own pages: its Origin (or, when a browser omits
 * it, its Referer) must be PUBLIC_URL's origin — for a loopback PUBLIC_URL, any spelling of loopback
 * on its port. Requests without a session cookie carry no ambient authority and pass; SameSite=Lax
 * already keeps the cookie off most cross-site requests, and this closes the rest (same-site
 * subdomains, old browsers). better-auth checks its own routes as well.
 */
export function registerCsrfDefence(app: FastifyInstance, publicUrl: URL): void {
  const expected = trustedOrigins(publicUrl);
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method) || !hasSessionCookie(request.headers.cookie)) return;
    const origin = request.headers.origin ?? originOfReferer(request.headers.referer);
    if (origin === undefined || !expected.includes(origin)) {
      throw new AppError(
        'forbidden',
        'CROSS_SITE_REQUEST',
        `A signed-in request that changes something must come from ${expected.join(' or ')}` +
          `${origin ? `, not ${origin}` : ''}. If people reach this server at another address, set PUBLIC_URL to it and restart.`,
      );
    }
  });
}
