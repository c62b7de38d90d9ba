import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../app/errors.js';
import { countHit } from '../../app/limits/counters.js';
import {
  beginSignInAttempt,
  emailKeyOf,
  isKnownDevice,
  rememberDevice,
  settleSignInAttempt,
  type SignInClientId,
} from '../../app/accounts/sign-in-lockout.js';
import { trustedOrigins } from '../../config.js';
import { DEMO_PASSWORD } from '../../db/seed.js';
import { SIGN_IN_LOCKOUT, strangerClientKey } from '../../domain/access/sign-in-lockout.js';
import { errorBody, errorResponseSchema } from '../errors.js';
import { AUTH_BASE_PATH, CLIENT_IP_HEADER } from './auth.js';
import { deviceSetCookie, newDevice, readDevice } from './device-cookie.js';

/*
 * The only door to better-auth. Each endpoint the app and the web app use is a route of its own here,
 * with a strict schema and its limits; everything else better-auth could serve (user updates, session
 * listing, account linking, password checks, …) answers 404. What better-auth is handed is rebuilt
 * from the matched route — its canonical path and the validated query — never the client's URL: a
 * request is exactly the one that was validated, limited and counted, whatever spelling it arrived
 * in. And a spelling other than the canonical one (dot segments, percent escapes, doubled or trailing
 * slashes, `;` parameters, another case) is refused with 400 before anything else happens.
 */

/** Hop-by-hop and length headers describe the Fastify exchange, not the one rebuilt for better-auth. */
const DROPPED_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  CLIENT_IP_HEADER,
]);
const DROPPED_RESPONSE_HEADERS = new Set(['set-cookie', 'content-length', 'transfer-encoding', 'connection']);

const errorCodeForStatus: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
};

/** The path of every endpoint reachable here, as better-auth names it, below AUTH_BASE_PATH. */
export const AUTH_ENDPOINTS = [
  'POST /sign-up/email',
  'POST /sign-in/email',
  'POST /sign-out',
  'GET /get-session',
  'POST /request-password-reset',
  'GET /reset-password/:token',
  'POST /reset-password',
  'GET /verify-email',
  'POST /send-verification-email',
  'POST /change-password',
] as const;

/** What a canonical path under /api/auth looks like: lower-case words between single slashes. */
const CANONICAL_SHAPE = new RegExp(`^${AUTH_BASE_PATH}(?:/[a-z0-9-]+)+$`);
/** better-auth's reset tokens (24 letters and digits); a little slack, nothing that needs escaping. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;

const nonCanonical = () =>
  new AppError(
    'invalid',
    'NON_CANONICAL_PATH',
    'Write the path of an account endpoint exactly as documented: no dot segments, percent escapes, doubled or trailing slashes, parameters or capitals.',
  );

/**
 * The path a request for this route must have arrived with, byte for byte: the route's own, with the
 * reset token (letters, digits, `-`, `_`: nothing a client could spell two ways) in its place.
 */
function canonicalPath(route: string, params: unknown): string | undefined {
  if (!route.includes(':')) return route;
  const token = (params as { token?: unknown } | undefined)?.token;
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return undefined;
  return route.replace(':token', token);
}

/**
 * The parsed body, written again for better-auth. JSON nested deeper than JSON.stringify can recurse
 * (a few thousand levels: `[[[[…]]]]` in a quarter-megabyte body) is refused, not a 500.
 */
function reserialized(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch {
    throw new AppError('invalid', 'BODY_TOO_DEEP', 'The request body is nested too deeply.');
  }
}

type Bridge = {
  auth: { handler: (request: Request) => Promise<Response> };
  config: { publicUrl: URL };
};

type ForwardOptions = {
  /** The query better-auth is given, rebuilt from the validated one. */
  query?: Record<string, string | undefined>;
  /**
   * Runs once better-auth has answered, before the answer is sent (and in the request's lifetime);
   * returns cookies to set besides better-auth's.
   */
  answered?: (status: number) => Promise<string[] | undefined>;
  /** Replaces a successful answer's body (one shape whatever better-auth said). */
  successBody?: unknown;
};

/**
 * Hands a request to better-auth as a Web Request, at the canonical URL of the route that matched, and
 * its Response back. The client IP is taken from the socket (Fastify's `request.ip`) and sent in a
 * header only this bridge sets, so better-auth records it on the session. Its error bodies are
 * reshaped into the API's one error shape.
 */
async function forward(
  app: Bridge,
  request: FastifyRequest,
  reply: FastifyReply,
  endpoint: string,
  options: ForwardOptions = {},
): Promise<FastifyReply> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || DROPPED_REQUEST_HEADERS.has(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  headers.set(CLIENT_IP_HEADER, request.ip);
  const hasBody = request.body !== undefined && request.body !== null;
  if (hasBody) headers.set('content-type', 'application/json');
  const url = new URL(`${AUTH_BASE_PATH}${endpoint}`, app.config.publicUrl.origin);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  const response = await app.auth.handler(
    new Request(url, {
      method: request.method,
      headers,
      body: hasBody ? reserialized(request.body) : undefined,
    }),
  );

  const ours = (await options.answered?.(response.status)) ?? [];
  reply.code(response.status);
  response.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) void reply.header(name, value);
  });
  const cookies = [...response.headers.getSetCookie(), ...ours];
  if (cookies.length > 0) void reply.header('set-cookie', cookies);
  const text = await response.text();
  if (response.status >= 400 && (response.headers.get('content-type') ?? '').includes('json')) {
    const parsed = z
      .object({ code: z.string().optional(), message: z.string().optional() })
      .safeParse(JSON.parse(text || '{}'));
    const code = parsed.success && parsed.data.code ? parsed.data.code : errorCodeForStatus[response.status];
    let message = parsed.success && parsed.data.message ? parsed.data.message : response.statusText;
    if (code === 'INVALID_ORIGIN' || code === 'MISSING_OR_NULL_ORIGIN') {
      message = wrongOriginMessage(app.config.publicUrl, request.headers.origin ?? request.headers.referer);
    }
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorBody(code ?? 'BAD_REQUEST', message));
  }
  if (response.status < 300 && options.successBody !== undefined) {
    return reply.header('content-type', 'application/json; charset=utf-8').send(options.successBody);
  }
  return reply.send(text === '' ? undefined : text);
}

/** What someone signing in at the wrong address is told: where it works, and what to set otherwise. */
export function wrongOriginMessage(publicUrl: URL, origin: string | undefined): string {
  const from = origin ? `This page is at ${safeOrigin(origin)}, but` : 'This request names no origin, and';
  return (
    `${from} this server accepts sign-in and changes only from ${trustedOrigins(publicUrl).join(', ')}. ` +
    `Open ${publicUrl.origin}, or — if people reach the server at another address — set PUBLIC_URL to that address and restart it.`
  );
}

function safeOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return JSON.stringify(origin.slice(0, 100));
  }
}

const email = z.email().max(254);
const password = z.string().min(1).max(128);
const callbackURL = z
  .string()
  .max(2048)
  .optional()
  .describe('Where the verification or reset link leads back to: a path of this app.');
const noQuery = z.object({}).strict();

const HOUR_MS = 60 * 60_000;

export const signUpAnswerSchema = z.object({
  status: z.literal('check_your_email'),
  message: z.string(),
});
const SIGN_UP_ANSWER: z.infer<typeof signUpAnswerSchema> = {
  status: 'check_your_email',
  message: 'We have sent a message to this address. Follow it to confirm the address and open your account.',
};

export const authRoutes: FastifyPluginAsyncZod<{ secret: string }> = async (app, options) => {
  const db = app.db.db;
  const { publicUrl } = app.config;
  const secure = publicUrl.protocol === 'https:';
  const authLimit = { rateLimit: { max: app.config.authRateLimitPerMinute, timeWindow: '1 minute' } };
  const errors = {
    400: errorResponseSchema,
    401: errorResponseSchema,
    403: errorResponseSchema,
    429: errorResponseSchema,
  };

  // Before the body is read, the limits counted or better-auth asked: the path must be the route's own.
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url ?? '';
    const path = request.url.split('?', 1)[0] ?? '';
    if (route === `${AUTH_BASE_PATH}/*`) {
      if (CANONICAL_SHAPE.test(path)) {
        throw new AppError('not_found', 'NOT_FOUND', `${path} is not an endpoint of this server.`);
      }
      throw nonCanonical();
    }
    if (path !== canonicalPath(route, request.params)) throw nonCanonical();
  });

  /**
   * Requests that make the app send an e-mail, counted per address and per client in the database
   * (so every process shares the count) whether or not the address has an account — the limit tells
   * nobody which addresses do.
   */
  async function countMail(request: FastifyRequest, reply: FastifyReply, address: string): Promise<void> {
    const nowMs = app.clock().epochMilliseconds;
    const perAddress = await countHit(db, { key: `mail:${emailKeyOf(address)}`, windowMs: HOUR_MS, nowMs });
    const perClient = await countHit(db, {
      key: `mail-from:${strangerClientKey(request.ip)}`,
      windowMs: HOUR_MS,
      nowMs,
    });
    const over = [
      perAddress.count > app.config.authMailPerAddressPerHour ? perAddress.resetInMs : 0,
      perClient.count > app.config.authMailPerIpPerHour ? perClient.resetInMs : 0,
    ];
    const waitMs = Math.max(...over);
    if (waitMs > 0) {
      void reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      throw new AppError(
        'too_many_requests',
        'TOO_MANY_EMAILS',
        `Too many messages asked for this address or from this network; try again in ${Math.ceil(waitMs / 60_000)} minutes.`,
      );
    }
  }

  /** Over HTTPS (a real server), the demo accounts' published password opens nothing. */
  function refuseDemoPassword(candidate: string): void {
    if (secure && candidate === DEMO_PASSWORD) {
      throw new AppError(
        'forbidden',
        'DEMO_PASSWORD_REFUSED',
        'This is the demo accounts’ published password; it cannot be used on a server reached over HTTPS. Choose another password (an administrator can reset it).',
      );
    }
  }

  app.post(
    '/sign-up/email',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'A customer signs up (staff, dealers, technicians and OEM users join by invitation)',
        description: `Creates a customer account linked to the customer record with this e-mail address (or a new one) and sends a verification link through the outbox; sign-in works once the address is verified. No other role can be had this way: any field beyond these is refused. An address that already has an account gets the same answer (its owner is told by e-mail that someone tried), so the answer tells nobody whether an address has an account. At most ${app.config.authMailPerAddressPerHour} messages an hour to one address and ${app.config.authMailPerIpPerHour} from one client, with sign-up, password reset and verification links together (429 TOO_MANY_EMAILS).`,
        querystring: noQuery,
        body: z.object({ name: z.string().min(1).max(200), email, password, callbackURL }).strict(),
        response: { 200: signUpAnswerSchema, ...errors },
      },
    },
    async (request, reply) => {
      refuseDemoPassword(request.body.password);
      await countMail(request, reply, request.body.email);
      await forward(app, request, reply, '/sign-up/email', { successBody: SIGN_UP_ANSWER });
    },
  );

  app.post(
    '/sign-in/email',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Sign in with e-mail and password: sets the session cookie',
        description: `Ten wrong passwords for one address from one client (a device that signed in to the account before, else an IP address) within fifteen minutes close sign-in to that client until the oldest is fifteen minutes old (429 SIGN_IN_LOCKED with Retry-After). ${SIGN_IN_LOCKOUT.perAddress.maxFailures} for one address from anywhere close it to every device that has not signed in to the account before, and the owner is told by e-mail. Either way, whether or not the address has an account. Besides, the per-client limit of ${app.config.authRateLimitPerMinute} tries a minute.${secure ? ' The demo accounts’ published password is refused (403 DEMO_PASSWORD_REFUSED).' : ''}`,
        querystring: noQuery,
        body: z.object({ email, password, rememberMe: z.boolean().optional(), callbackURL }).strict(),
        response: errors,
      },
    },
    async (request, reply) => {
      const { email: address } = request.body;
      refuseDemoPassword(request.body.password);
      const device = readDevice(request.headers.cookie, options.secret, secure);
      const client: SignInClientId =
        device && (await isKnownDevice(db, address, device.hash))
          ? { kind: 'known_device', key: `device:${device.hash}` }
          : { kind: 'stranger', key: strangerClientKey(request.ip) };
      const admission = await beginSignInAttempt(db, address, client, app.clock());
      if (!admission.admitted) {
        const minutes = Math.ceil(admission.retryAfterMs / 60_000);
        void reply.header('retry-after', String(Math.ceil(admission.retryAfterMs / 1000)));
        const wait = `try again in ${minutes} minute${minutes === 1 ? '' : 's'}`;
        throw new AppError(
          'too_many_requests',
          'SIGN_IN_LOCKED',
          admission.lock === 'client'
            ? `Too many wrong passwords for this address from here; ${wait}.`
            : `Too many wrong passwords for this address; ${wait}, or sign in from a device you have signed in from before.`,
        );
      }
      // Settled once: by better-auth's answer, or — when none came — as no guess at all.
      const progress = { settled: false };
      const settle = async (outcome: 'wrong_password' | 'signed_in' | 'not_a_guess') => {
        progress.settled = true;
        await settleSignInAttempt(db, admission.attempt, outcome, { publicUrl });
      };
      try {
        await forward(app, request, reply, '/sign-in/email', {
          answered: async (status) => {
            // Only a wrong password counts: an unverified address (403) had the right one.
            await settle(status === 401 ? 'wrong_password' : status === 200 ? 'signed_in' : 'not_a_guess');
            if (status !== 200) return undefined;
            const known = device ?? newDevice();
            await rememberDevice(db, address, known.hash, app.clock());
            return [deviceSetCookie(known, options.secret, secure)];
          },
        });
      } finally {
        if (!progress.settled) await settle('not_a_guess');
      }
    },
  );

  app.post(
    '/sign-out',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign out: ends the session and clears its cookie',
        querystring: noQuery,
        response: errors,
      },
    },
    async (request, reply) => {
      await forward(app, request, reply, '/sign-out');
    },
  );

  app.get(
    '/get-session',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The current session and its user, or null',
        querystring: noQuery,
      },
    },
    async (request, reply) => {
      await forward(app, request, reply, '/get-session');
    },
  );

  app.post(
    '/request-password-reset',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary:
          'Ask for a password reset link (sent through the outbox; same answer whether or not the address is known)',
        description: `Counted with sign-up and verification links: at most ${app.config.authMailPerAddressPerHour} messages an hour to one address and ${app.config.authMailPerIpPerHour} from one client (429 TOO_MANY_EMAILS).`,
        querystring: noQuery,
        body: z.object({ email, redirectTo: callbackURL }).strict(),
        response: errors,
      },
    },
    async (request, reply) => {
      await countMail(request, reply, request.body.email);
      await forward(app, request, reply, '/request-password-reset');
    },
  );

  app.get(
    '/reset-password/:token',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'The link in a password reset message: leads to the page that chooses the new password',
        params: z.object({ token: z.string().regex(TOKEN_SHAPE) }),
        querystring: z.object({ callbackURL: z.string().min(1).max(2048) }).strict(),
      },
    },
    async (request, reply) => {
      await forward(app, request, reply, `/reset-password/${request.params.token}`, {
        query: { callbackURL: request.query.callbackURL },
      });
    },
  );

  app.post(
    '/reset-password',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Choose a new password with the token from the reset link; signs out every session',
        querystring: noQuery,
        body: z.object({ newPassword: password, token: z.string().min(1).max(512) }).strict(),
        response: errors,
      },
    },
    async (request, reply) => {
      refuseDemoPassword(request.body.newPassword);
      await forward(app, request, reply, '/reset-password');
    },
  );

  app.get(
    '/verify-email',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'The link in a verification message: confirms the address and signs in',
        querystring: z.object({ token: z.string().min(1).max(4096), callbackURL }).strict(),
      },
    },
    async (request, reply) => {
      await forward(app, request, reply, '/verify-email', {
        query: { token: request.query.token, callbackURL: request.query.callbackURL },
      });
    },
  );

  app.post(
    '/send-verification-email',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Send a new verification link to an address not yet confirmed',
        description: `Same answer whether or not the address has an account. Counted with sign-up and password reset: at most ${app.config.authMailPerAddressPerHour} messages an hour to one address and ${app.config.authMailPerIpPerHour} from one client (429 TOO_MANY_EMAILS).`,
        querystring: noQuery,
        body: z.object({ email, callbackURL }).strict(),
        response: errors,
      },
    },
    async (request, reply) => {
      await countMail(request, reply, request.body.email);
      await forward(app, request, reply, '/send-verification-email');
    },
  );

  app.post(
    '/change-password',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'The signed-in user changes their password (the current one is asked)',
        querystring: noQuery,
        body: z
          .object({
            currentPassword: password,
            newPassword: password,
            revokeOtherSessions: z.boolean().optional(),
          })
          .strict(),
        response: errors,
      },
    },
    async (request, reply) => {
      refuseDemoPassword(request.body.newPassword);
      await forward(app, request, reply, '/change-password');
    },
  );

  // Anything else under the prefix: 404 when it is spelled like an endpoint, 400 otherwise (the hook).
  app.all('/*', { schema: { hide: true } }, () => {
    throw new AppError('not_found', 'NOT_FOUND', 'Not an endpoint of this server.');
  });
};

export { AUTH_BASE_PATH };
