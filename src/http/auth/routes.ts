import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../app/errors.js';
import {
  clearSignInFailures,
  recordSignInFailure,
  signInLockedForMs,
} from '../../app/accounts/sign-in-lockout.js';
import { errorBody, errorResponseSchema } from '../errors.js';
import { AUTH_BASE_PATH, CLIENT_IP_HEADER } from './auth.js';

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

/**
 * Hands a Fastify request to better-auth as a Web Request and its Response back. The client IP is
 * taken from the socket (Fastify's `request.ip`) and sent in a header only this bridge sets, so
 * better-auth records it on the session. Its error bodies are reshaped into the API's one error shape.
 */
async function forward(
  app: { auth: { handler: (request: Request) => Promise<Response> }; config: { publicUrl: URL } },
  request: FastifyRequest,
  reply: FastifyReply,
  /** Runs once better-auth has answered, before the answer is sent (and in the request's lifetime). */
  answered?: (status: number) => Promise<void>,
): Promise<FastifyReply> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || DROPPED_REQUEST_HEADERS.has(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  headers.set(CLIENT_IP_HEADER, request.ip);
  const hasBody = request.body !== undefined && request.body !== null;
  if (hasBody) headers.set('content-type', 'application/json');
  const url = new URL(request.url, app.config.publicUrl.origin);
  const response = await app.auth.handler(
    new Request(url, {
      method: request.method,
      headers,
      body: hasBody ? reserialized(request.body) : undefined,
    }),
  );

  await answered?.(response.status);
  reply.code(response.status);
  response.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) void reply.header(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) void reply.header('set-cookie', cookies);
  const text = await response.text();
  if (response.status >= 400 && (response.headers.get('content-type') ?? '').includes('json')) {
    const parsed = z
      .object({ code: z.string().optional(), message: z.string().optional() })
      .safeParse(JSON.parse(text || '{}'));
    const code = parsed.success && parsed.data.code ? parsed.data.code : errorCodeForStatus[response.status];
    const message = parsed.success && parsed.data.message ? parsed.data.message : response.statusText;
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorBody(code ?? 'BAD_REQUEST', message));
  }
  return reply.send(text === '' ? undefined : text);
}

const email = z.email().max(254);
const password = z.string().min(1).max(128);
const callbackURL = z
  .string()
  .max(2048)
  .optional()
  .describe('Where the verification or reset link leads back to: a path of this app.');

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const authLimit = { rateLimit: { max: app.config.authRateLimitPerMinute, timeWindow: '1 minute' } };
  const errors = {
    400: errorResponseSchema,
    401: errorResponseSchema,
    403: errorResponseSchema,
    429: errorResponseSchema,
  };
  // Awaiting the reply waits until it is sent, so the handler resolves with nothing left to send.
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await forward(app, request, reply);
  };

  app.post(
    '/sign-up/email',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'A customer signs up (staff, dealers, technicians and OEM users join by invitation)',
        description:
          'Creates a customer account linked to the customer record with this e-mail address (or a new one) and sends a verification link through the outbox; sign-in works once the address is verified. No other role can be had this way: any field beyond these is refused.',
        body: z.object({ name: z.string().min(1).max(200), email, password, callbackURL }).strict(),
        response: errors,
      },
    },
    handler,
  );

  app.post(
    '/sign-in/email',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Sign in with e-mail and password: sets the session cookie',
        description: `Ten wrong passwords for one address within fifteen minutes lock that address for fifteen minutes (429 SIGN_IN_LOCKED with Retry-After), whether or not it has an account; this is besides the per-client limit of ${app.config.authRateLimitPerMinute} tries a minute.`,
        body: z.object({ email, password, rememberMe: z.boolean().optional(), callbackURL }).strict(),
        response: errors,
      },
    },
    async (request, reply) => {
      const db = app.db.db;
      const { email: address } = request.body;
      const lockedMs = await signInLockedForMs(db, address, app.clock());
      if (lockedMs > 0) {
        const minutes = Math.ceil(lockedMs / 60_000);
        void reply.header('retry-after', String(Math.ceil(lockedMs / 1000)));
        throw new AppError(
          'too_many_requests',
          'SIGN_IN_LOCKED',
          `Too many wrong passwords for this address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        );
      }
      await forward(app, request, reply, async (status) => {
        // Only a wrong password counts: an unverified address (403) had the right one.
        if (status === 401) await recordSignInFailure(db, address, app.clock());
        else if (status === 200) await clearSignInFailures(db, address);
      });
    },
  );

  app.post(
    '/sign-out',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign out: ends the session and clears its cookie',
        response: errors,
      },
    },
    handler,
  );

  app.get(
    '/get-session',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The current session and its user, or null',
      },
    },
    handler,
  );

  app.post(
    '/request-password-reset',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary:
          'Ask for a password reset link (sent through the outbox; same answer whether or not the address is known)',
        body: z.object({ email, redirectTo: callbackURL }).strict(),
        response: errors,
      },
    },
    handler,
  );

  app.post(
    '/reset-password',
    {
      config: authLimit,
      schema: {
        tags: ['accounts'],
        summary: 'Choose a new password with the token from the reset link; signs out every session',
        body: z.object({ newPassword: password, token: z.string().min(1).max(512) }).strict(),
        response: errors,
      },
    },
    handler,
  );

  // Everything else better-auth serves (e-mail verification links, password change, …), undocumented
  // here because better-auth documents it.
  app.route({ method: ['GET', 'POST'], url: '/*', schema: { hide: true }, handler });
};

export { AUTH_BASE_PATH };
