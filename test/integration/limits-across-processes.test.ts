import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchPostgresDatabase } from '../support/databases.js';
import { startServe, stop } from '../support/serve-process.js';

/*
 * Issue 13, "Rate limits hold across processes": two `aftersales serve` processes on one PostgreSQL
 * database, requests alternating between them, and every per-IP limit answers 429 after exactly its
 * `max` requests in total — not after `max` at each process, as when each kept its counts in memory.
 *
 * Each row of LIMITS is one limit: the per-route ones, and those counted per address (mail) and per
 * day (stored bytes), each from a client address of its own.
 */

const ORIGIN = 'http://localhost:3000';
/** Small, so each route reaches its limit in a handful of requests. */
const AUTH_MAX = 3;
const PUBLIC_MAX = 4;

type Limit = {
  name: string;
  path: string;
  max: number;
  /** The request's body, different each time where the route would otherwise answer from a cache. */
  body: (i: number) => BodyInit;
  contentType?: string;
  /**
   * The client's address, sent as X-Forwarded-For through the one proxy hop the servers trust: a row
   * with its own address counts on its own, whatever the rows before it used.
   */
  ip?: string;
  /** The refusal's code, when the limit is not the per-route one. */
  code?: string;
  /** The longest Retry-After the limit's window allows, in seconds. */
  retryWithin?: number;
  /** Headers the request needs, made afresh for each (an upload ticket). */
  headers?: (serverUrl: string, ip: string) => Promise<Record<string, string>>;
};

const json = (value: unknown) => JSON.stringify(value);

/** Per address and per day: small, so that each is reached before any per-minute limit. */
const MAIL_PER_ADDRESS = 2;
const UPLOAD_BYTES_PER_DAY = 250 * 1024;
const JPEG_100K = (() => {
  const bytes = Buffer.alloc(100 * 1024, 7);
  Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex').copy(bytes);
  return bytes;
})();

async function uploadTicket(serverUrl: string, ip: string): Promise<Record<string, string>> {
  const res = await fetch(`${serverUrl}/api/v1/uploads/tickets`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: json({ purpose: 'purchase.register' }),
  });
  if (res.status !== 201) throw new Error(`no ticket: ${res.status} ${await res.text()}`);
  return { 'upload-ticket': ((await res.json()) as { ticket: string }).ticket };
}

const LIMITS: Limit[] = [
  {
    name: 'sign-up',
    path: '/api/auth/sign-up/email',
    max: AUTH_MAX,
    body: (i) => json({ name: 'Sign Up', email: `signup-${i}@example.com`, password: 'not-the-one-1' }),
  },
  {
    name: 'sign-in',
    path: '/api/auth/sign-in/email',
    max: AUTH_MAX,
    // Another address each time, so that the per-address lock-out is not what answers 429.
    body: (i) => json({ email: `nobody-${i}@example.com`, password: 'wrong-password' }),
  },
  {
    name: 'password reset request',
    path: '/api/auth/request-password-reset',
    max: AUTH_MAX,
    body: (i) => json({ email: `reset-${i}@example.com` }),
  },
  {
    name: 'password reset',
    path: '/api/auth/reset-password',
    max: AUTH_MAX,
    body: () => json({ token: 'not-a-token', newPassword: 'a-new-password-1' }),
  },
  {
    name: 'guest claim',
    path: '/api/v1/claims/guest',
    max: AUTH_MAX,
    body: () => json({}),
  },
  {
    name: 'tracking by link',
    path: '/api/v1/tracking/link',
    max: AUTH_MAX,
    body: () => json({ token: 'x'.repeat(43) }),
  },
  {
    name: 'tracking by number',
    path: '/api/v1/tracking/lookup',
    max: AUTH_MAX,
    body: () => json({ maintenanceNumber: 'HT-00000000-0009', contact: 'guess@example.com' }),
  },
  {
    name: 'quote by link',
    path: '/api/v1/quotes/link',
    max: AUTH_MAX,
    body: () => json({ token: 'x'.repeat(43) }),
  },
  {
    name: 'quote respond',
    path: '/api/v1/quotes/respond',
    max: AUTH_MAX,
    body: () => json({ token: 'x'.repeat(43), response: 'accept' }),
  },
  {
    name: 'invitation accept',
    path: '/api/v1/invitations/accept',
    max: AUTH_MAX,
    body: () => json({ token: 'x'.repeat(43), name: 'Someone', password: 'a-new-password-1' }),
  },
  {
    name: 'upload',
    path: '/api/v1/uploads',
    max: AUTH_MAX * 3,
    body: () => {
      const form = new FormData();
      form.append('file', new Blob(['not an image'], { type: 'text/plain' }), 'note.txt');
      return form;
    },
    contentType: 'multipart',
  },
  {
    name: 'public evaluate',
    path: '/api/v1/entitlements/evaluate',
    max: PUBLIC_MAX,
    body: () =>
      json({
        customerType: 'end_user',
        purchaseDate: '2026-01-02',
        reportDate: '2026-01-09',
        cause: 'quality',
      }),
  },
  {
    // Verification mail to one address, from anywhere: counted with every other mail to it.
    name: 'mail to one address',
    path: '/api/auth/send-verification-email',
    max: MAIL_PER_ADDRESS,
    ip: '198.51.100.21',
    code: 'TOO_MANY_EMAILS',
    retryWithin: 3600,
    body: () => json({ email: 'one.address@example.com' }),
  },
  {
    // Stored bytes per client and day: the third 100 KB photo would pass 250 KB.
    name: 'upload bytes per day',
    path: '/api/v1/uploads?kind=proof_of_purchase',
    max: 2,
    ip: '198.51.100.22',
    code: 'UPLOAD_BYTES_PER_DAY_EXCEEDED',
    retryWithin: 86_400,
    body: () => {
      const form = new FormData();
      form.append('file', new Blob([JPEG_100K], { type: 'image/jpeg' }), 'receipt.jpg');
      return form;
    },
    contentType: 'multipart',
    headers: uploadTicket,
  },
];

/** Limits count in windows aligned to the minute: a route's run must not straddle two of them. */
async function awayFromMinuteEnd(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 12_000) await new Promise((resolve) => setTimeout(resolve, left + 250));
}

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('per-IP limits with two app processes on one PostgreSQL database', () => {
  let drop: (() => Promise<void>) | undefined;
  const servers: { child: ChildProcess; url: string }[] = [];

  beforeAll(async () => {
    if (!url) return;
    const scratch = await createScratchPostgresDatabase(url);
    drop = () => scratch.drop();
    const env = {
      DATABASE_URL: scratch.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PUBLIC_URL: ORIGIN,
      SEED_DEMO_DATA: 'false',
      AUTH_RATE_LIMIT_PER_MINUTE: String(AUTH_MAX),
      PUBLIC_RATE_LIMIT_PER_MINUTE: String(PUBLIC_MAX),
      AUTH_MAIL_PER_ADDRESS_PER_HOUR: String(MAIL_PER_ADDRESS),
      UPLOAD_BYTES_PER_IP_PER_DAY: String(UPLOAD_BYTES_PER_DAY),
      // The rows with an address of their own send it as a proxy would.
      TRUST_PROXY: '1',
    };
    // One after the other: the first migrates the new database, the second finds it migrated.
    servers.push(await startServe(env));
    servers.push(await startServe(env));
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) await stop(server.child);
    await drop?.();
  });

  it.each(LIMITS)(
    '$name: 429 after exactly max requests in total, alternating between the processes',
    async (limit) => {
      await awayFromMinuteEnd();
      const answers: { process: number; status: number }[] = [];
      let refusal: Response | undefined;
      for (let i = 0; i <= limit.max; i++) {
        const server = servers[i % servers.length];
        if (!server) throw new Error('two servers were started');
        const res = await fetch(`${server.url}${limit.path}`, {
          method: 'POST',
          headers: {
            origin: ORIGIN,
            ...(limit.contentType === 'multipart' ? {} : { 'content-type': 'application/json' }),
            ...(limit.ip ? { 'x-forwarded-for': limit.ip } : {}),
            ...(limit.headers ? await limit.headers(server.url, limit.ip ?? '') : {}),
          },
          body: limit.body(i),
        });
        answers.push({ process: i % servers.length, status: res.status });
        if (i === limit.max) refusal = res;
        else await res.arrayBuffer();
      }
      // Both processes answered before the limit was reached…
      const before = answers.slice(0, limit.max);
      expect(new Set(before.map((a) => a.process))).toEqual(new Set([0, 1]));
      expect(
        before.filter((a) => a.status === 429),
        JSON.stringify(answers),
      ).toEqual([]);
      // …and the one after it, whichever process it reached, is refused as a single limit would be.
      expect(refusal?.status, JSON.stringify(answers)).toBe(429);
      const body = (await refusal?.json()) as { error: { code: string } };
      expect(body.error.code).toBe(limit.code ?? 'RATE_LIMITED');
      const retryAfter = Number(refusal?.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(limit.retryWithin ?? 60);
    },
    30_000,
  );
});
