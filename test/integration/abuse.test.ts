import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { auditEvents, outbox, signInDevices, signInFailures } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../../src/db/seed.js';
import { SIGN_IN_LOCKOUT } from '../../src/domain/access/sign-in-lockout.js';
import { Temporal } from '../../src/domain/calendar.js';
import { buildTestApp, TEST_NOW } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { ORIGIN } from '../support/sessions.js';

const { perClient, perAddress } = SIGN_IN_LOCKOUT;
const emailOf = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)?.email ?? '';

/** `name=value` of the device cookie a successful sign-in set. */
function deviceCookie(setCookie: string | string[] | undefined): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const cookie = all.find((c) => c.startsWith('aftersales.device='));
  if (!cookie) throw new Error(`no device cookie in ${JSON.stringify(all)}`);
  return cookie.split(';')[0] ?? '';
}

/*
 * Abuse of the sign-in. Many machines guessing one account's password slowly get past a per-client
 * limit, so failures are counted per (address, client): ten from one client within fifteen minutes
 * close the door to that client, and a hundred for the address from anywhere close it to every
 * stranger — known address or not, so the lock tells nobody which addresses have accounts. But a
 * device that has signed in to the account before is never kept out by strangers' failures: a
 * stranger cannot lock the owner out. And the report of the security headers served.
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

  const signIn = (email: string, password: string, client = '203.0.113.7', cookie?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: cookie ? { origin: ORIGIN, cookie } : { origin: ORIGIN },
      remoteAddress: client,
      payload: { email, password },
    });

  it('closes the door to a client after ten wrong passwords, not to other clients, nor to the owner’s device', async () => {
    const email = emailOf('support');
    // The owner signed in from this browser once: it holds a device cookie, its hash is on file.
    const owner = await signIn(email, DEMO_PASSWORD, '192.0.2.10');
    expect(owner.statusCode, owner.body).toBe(200);
    const device = deviceCookie(owner.headers['set-cookie']);
    expect(String(owner.headers['set-cookie'])).toMatch(
      /aftersales\.device=[^;]+; Path=\/api\/auth; Max-Age=\d+; HttpOnly; SameSite=Lax/,
    );
    const stored = await db.db.select().from(signInDevices);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.deviceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(device).not.toContain(stored[0]?.deviceHash ?? '-');

    for (let i = 0; i < perClient.maxFailures; i++) {
      const res = await signIn(i % 2 ? email.toUpperCase() : email, `wrong-password-${i}`);
      expect(res.statusCode, res.body).toBe(401);
    }
    // That client is refused, even with the right password, for the fifteen minutes.
    const locked = await signIn(email, DEMO_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: { code: 'SIGN_IN_LOCKED' } });
    expect(locked.headers['retry-after']).toBe(String(perClient.windowMs / 1000));
    expect(locked.headers['set-cookie']).toBeUndefined();
    const audited = await db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'sign_in.locked_out'), eq(auditEvents.entityId, email)));
    expect(audited).toHaveLength(1);
    expect(audited[0]?.data).toMatchObject({ client: 'ip:203.0.113.7' });

    // Another client may still try; the owner's device signs in, from the attacker's very network.
    expect((await signIn(email, 'still-wrong', '198.51.100.1')).statusCode).toBe(401);
    expect((await signIn(email, DEMO_PASSWORD, '203.0.113.7', device)).statusCode).toBe(200);

    // Fifteen minutes on, the right password opens it from the attacker's client too.
    now = now.add({ milliseconds: perClient.windowMs });
    const after = await signIn(email, DEMO_PASSWORD);
    expect(after.statusCode, after.body).toBe(200);
    const rows = await db.db
      .select()
      .from(signInFailures)
      .where(and(eq(signInFailures.emailKey, email), eq(signInFailures.clientKey, 'ip:203.0.113.7')));
    expect(rows).toEqual([]);
  });

  it('closes the address to strangers at the ceiling, tells the owner once, and still lets the owner’s device in', async () => {
    const email = emailOf('sales');
    const owner = await signIn(email, DEMO_PASSWORD, '192.0.2.20');
    const device = deviceCookie(owner.headers['set-cookie']);
    // A botnet has been at it: each machine stayed under the per-client lock, and together they are
    // one failure short of the ceiling (written straight into the address's log: a hundred sign-ins
    // through scrypt would take a minute). The next stranger's wrong password closes the address.
    const botnet = Array.from({ length: perAddress.maxFailures - 1 }, (_, i) => now.epochMilliseconds - i);
    await db.db
      .insert(signInFailures)
      .values({ emailKey: email, clientKey: '', failures: botnet.reverse() })
      .onConflictDoUpdate({
        target: [signInFailures.emailKey, signInFailures.clientKey],
        set: { failures: botnet },
      });
    const last = await signIn(email, 'the-last-guess', '10.9.0.1');
    expect(last.statusCode, last.body).toBe(401);
    const stranger = await signIn(email, DEMO_PASSWORD, '10.99.0.1');
    expect(stranger.statusCode).toBe(429);
    expect(stranger.json()).toMatchObject({ error: { code: 'SIGN_IN_LOCKED' } });
    // The owner's own failures count against the owner's device only; its right password works.
    expect((await signIn(email, 'owner-typo-typo', '10.9.0.1', device)).statusCode).toBe(401);
    expect((await signIn(email, DEMO_PASSWORD, '10.9.0.1', device)).statusCode).toBe(200);
    // A forged device cookie is a stranger's.
    const forged = device.replace(/\.[^.]+$/, '.AAAA');
    expect((await signIn(email, DEMO_PASSWORD, '10.99.0.2', forged)).statusCode).toBe(429);

    const told = await db.db.select().from(outbox).where(eq(outbox.topic, 'account.sign_in_attack'));
    expect(told).toHaveLength(1);
    expect(told[0]?.recipient).toBe(email);
    const audited = await db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'sign_in.address_locked_out'), eq(auditEvents.entityId, email)));
    expect(audited).toHaveLength(1);
  });

  it('counts concurrent guesses from one client: ten are tried, the rest refused', async () => {
    const email = emailOf('dealer');
    const answers = await Promise.all(
      Array.from({ length: perClient.maxFailures * 2 }, (_, i) => signIn(email, `burst-${i}`, '10.20.0.1')),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(perClient.maxFailures);
    expect(statuses.filter((s) => s === 429)).toHaveLength(perClient.maxFailures);
  });

  it('answers an address without an account exactly as one with an account', async () => {
    const unknown = 'nobody.here@example.com';
    const known = emailOf('qa');
    const answers: Record<string, unknown[]> = { [unknown]: [], [known]: [] };
    for (const email of [unknown, known]) {
      for (let i = 0; i <= perClient.maxFailures; i++) {
        const res = await signIn(email, `not-it-${i}`, '10.30.0.1');
        answers[email]?.push([res.statusCode, res.json(), res.headers['retry-after']]);
      }
    }
    expect(answers[unknown]).toEqual(answers[known]);
    const [status, body] = (answers[known]?.at(-1) ?? []) as [number, unknown];
    expect(status).toBe(429);
    expect(body).toMatchObject({ error: { code: 'SIGN_IN_LOCKED' } });
  });

  it('does not count failures spread wider than the window', async () => {
    const email = emailOf('technician');
    for (let i = 0; i < perClient.maxFailures * 2; i++) {
      now = now.add({ milliseconds: perClient.windowMs / (perClient.maxFailures - 1) + 1 });
      expect((await signIn(email, 'nope-nope-nope', '10.40.0.1')).statusCode).toBe(401);
    }
    expect((await signIn(email, DEMO_PASSWORD, '10.40.0.1')).statusCode).toBe(200);
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
