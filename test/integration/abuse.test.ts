import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { auditEvents, signInFailures } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../../src/db/seed.js';
import { SIGN_IN_LOCKOUT } from '../../src/domain/access/sign-in-lockout.js';
import { Temporal } from '../../src/domain/calendar.js';
import { buildTestApp, TEST_NOW } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { ORIGIN } from '../support/sessions.js';

/*
 * Abuse of the sign-in: many machines guessing one account's password slowly get past a per-client
 * limit, so each address is locked after ten wrong passwords in fifteen minutes — known or not, so the
 * lock tells nobody which addresses have accounts. And the report of the security headers served.
 */
describe.each(testDatabases())('sign-in lock-out on $name', (testDb) => {
  let db: DatabaseHandle;
  let app: FastifyInstance;
  let now = TEST_NOW;
  beforeAll(async () => {
    db = await testDb.open();
    // A per-client limit far above the lock-out's, so that what is seen here is the lock-out.
    app = await buildTestApp(db, { AUTH_RATE_LIMIT_PER_MINUTE: '10000' }, () => now);
    await seedDemoData(db.db, { today: Temporal.PlainDate.from('2026-11-25') });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const signIn = (email: string, password: string, client = '203.0.113.7') =>
    app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { origin: ORIGIN },
      remoteAddress: client,
      payload: { email, password },
    });

  it('locks an account after ten wrong passwords from ten machines, even against the right one', async () => {
    const email = DEMO_ACCOUNTS.find((a) => a.role === 'support')?.email ?? '';
    for (let i = 0; i < SIGN_IN_LOCKOUT.maxFailures; i++) {
      const res = await signIn(i % 2 ? email.toUpperCase() : email, `wrong-password-${i}`, `198.51.100.${i}`);
      expect(res.statusCode, res.body).toBe(401);
    }
    const locked = await signIn(email, DEMO_PASSWORD, '192.0.2.99');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: { code: 'SIGN_IN_LOCKED' } });
    expect(locked.headers['retry-after']).toBe(String(SIGN_IN_LOCKOUT.lockMs / 1000));
    expect(locked.headers['set-cookie']).toBeUndefined();
    const audited = await db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'sign_in.locked_out'), eq(auditEvents.entityId, email)));
    expect(audited).toHaveLength(1);

    // Fifteen minutes on, the right password opens it and the count starts again.
    now = now.add({ milliseconds: SIGN_IN_LOCKOUT.lockMs });
    const after = await signIn(email, DEMO_PASSWORD);
    expect(after.statusCode, after.body).toBe(200);
    expect(await db.db.select().from(signInFailures).where(eq(signInFailures.emailKey, email))).toEqual([]);
  });

  it('answers an address without an account exactly as one with an account', async () => {
    const unknown = 'nobody.here@example.com';
    const known = DEMO_ACCOUNTS.find((a) => a.role === 'sales')?.email ?? '';
    const answers: Record<string, unknown[]> = { [unknown]: [], [known]: [] };
    for (const email of [unknown, known]) {
      for (let i = 0; i <= SIGN_IN_LOCKOUT.maxFailures; i++) {
        const res = await signIn(email, `not-it-${i}`);
        answers[email]?.push([res.statusCode, res.json(), res.headers['retry-after']]);
      }
    }
    expect(answers[unknown]).toEqual(answers[known]);
    const [status, body] = (answers[known]?.at(-1) ?? []) as [number, unknown];
    expect(status).toBe(429);
    expect(body).toMatchObject({ error: { code: 'SIGN_IN_LOCKED' } });
  });

  it('does not count failures spread wider than the window', async () => {
    const email = DEMO_ACCOUNTS.find((a) => a.role === 'qa')?.email ?? '';
    for (let i = 0; i < SIGN_IN_LOCKOUT.maxFailures * 2; i++) {
      now = now.add({ milliseconds: SIGN_IN_LOCKOUT.windowMs / (SIGN_IN_LOCKOUT.maxFailures - 1) + 1 });
      expect((await signIn(email, 'nope-nope-nope')).statusCode).toBe(401);
    }
    expect((await signIn(email, DEMO_PASSWORD)).statusCode).toBe(200);
  });
});

/** The security headers of each kind of answer, written to docs/security-headers.md (a file snapshot). */
const SECURITY_HEADERS = [
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
  'x-powered-by',
  'server',
] as const;

describe('the security headers served', () => {
  const answers = [
    { what: 'API answer (JSON)', method: 'GET', url: '/api/v1/products' },
    { what: 'API refusal (401)', method: 'GET', url: '/api/v1/me' },
    { what: 'unknown API path (404)', method: 'GET', url: '/api/v1/no-such-thing' },
    { what: 'sign-in (better-auth)', method: 'POST', url: '/api/auth/sign-in/email' },
    { what: 'OpenAPI document', method: 'GET', url: '/api/openapi.json' },
  ] as const;

  async function report(publicUrl: string): Promise<Record<string, Record<string, string>>> {
    const [testDb] = testDatabases();
    if (!testDb) throw new Error('no test database');
    const db = await testDb.open();
    const app = await buildTestApp(db, { PUBLIC_URL: publicUrl });
    try {
      const out: Record<string, Record<string, string>> = {};
      for (const a of answers) {
        const res = await app.inject({
          method: a.method,
          url: a.url,
          headers: { origin: publicUrl },
          ...(a.method === 'POST' ? { payload: { email: 'x@example.com', password: 'not-the-one' } } : {}),
        });
        out[a.what] = Object.fromEntries(
          SECURITY_HEADERS.map((h) => [h, res.headers[h] === undefined ? '—' : String(res.headers[h])]),
        );
      }
      return out;
    } finally {
      await app.close();
      await db.close();
    }
  }

  it('sends the same protections on every kind of answer, HSTS only over HTTPS, and is documented', async () => {
    const lan = await report('http://localhost:3000');
    const https = await report('https://service.halotek.example.com');
    for (const [what, headers] of [...Object.entries(lan), ...Object.entries(https)]) {
      expect(headers['x-content-type-options'], what).toBe('nosniff');
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(headers['x-powered-by']).toBe('—');
    }
    for (const headers of Object.values(lan)) expect(headers['strict-transport-security']).toBe('—');
    for (const headers of Object.values(https)) {
      expect(headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(headers['content-security-policy']).toContain('upgrade-insecure-requests');
    }
    const table = (title: string, r: Record<string, Record<string, string>>) => [
      `## ${title}`,
      ``,
      `| header | ${Object.keys(r).join(' | ')} |`,
      `|---|${Object.keys(r)
        .map(() => '---')
        .join('|')}|`,
      ...SECURITY_HEADERS.map(
        (h) =>
          `| ${h} | ${Object.values(r)
            .map((headers) => `\`${(headers[h] ?? '—').replaceAll('|', '\\|')}\``)
            .join(' | ')} |`,
      ),
      ``,
    ];
    const markdown = [
      `# Security headers`,
      ``,
      `What the server sends on each kind of answer, read from the running app by`,
      `\`test/integration/abuse.test.ts\` (which fails when this file is stale; \`-u\` rewrites it).`,
      `Uploaded files are served with a sandboxing policy of their own: see \`test/integration/uploads.test.ts\`.`,
      ``,
      ...table('Served over HTTPS (PUBLIC_URL https://…)', https),
      ...table('Served over plain HTTP on a LAN', lan),
    ].join('\n');
    await expect(markdown).toMatchFileSnapshot('../../docs/security-headers.md');
  });
});
