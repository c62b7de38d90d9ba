import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AUTH_BASE_PATH, COOKIE_PREFIX } from './auth.js';

/*
 * The device cookie: a random id, signed with the instance's secret, set on every successful sign-in
 * and kept for 400 days (the most a browser keeps a cookie). The server stores only the id's SHA-256,
 * with the account it signed in to; a device known to an account gets past the address-wide ceiling of
 * failed sign-ins (domain/access/sign-in-lockout.ts). It opens nothing by itself — a password is still
 * needed — and is sent only to the sign-in endpoints (Path=/api/auth), never readable by scripts.
 */

const MAX_AGE_SECONDS = 400 * 24 * 60 * 60;
const NAME = `${COOKIE_PREFIX}.device`;

export const deviceCookieName = (secure: boolean) => (secure ? `__Secure-${NAME}` : NAME);

export type Device = { id: string; hash: string };

const sign = (secret: string, id: string) =>
  createHmac('sha256', secret).update(`sign-in-device:${id}`).digest('base64url');
const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

/** The device named by a request's cookie, when its signature is ours; null otherwise. */
export function readDevice(cookieHeader: string | undefined, secret: string, secure: boolean): Device | null {
  if (!cookieHeader) return null;
  const name = deviceCookieName(secure);
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const [id, signature] = part
      .slice(eq + 1)
      .trim()
      .split('.');
    if (!id || !signature || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const expected = Buffer.from(sign(secret, id));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return { id, hash: hashOf(id) };
  }
  return null;
}

/** A device id for a browser that has none (or whose cookie is not ours). */
export function newDevice(): Device {
  const id = randomBytes(32).toString('base64url');
  return { id, hash: hashOf(id) };
}

/** The Set-Cookie header that (re)gives the browser its device cookie for another 400 days. */
export function deviceSetCookie(device: Device, secret: string, secure: boolean): string {
  return [
    `${deviceCookieName(secure)}=${device.id}.${sign(secret, device.id)}`,
    `Path=${AUTH_BASE_PATH}`,
    `Max-Age=${MAX_AGE_SECONDS}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
