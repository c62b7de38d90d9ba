import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { apiKeys, auditEvents, dealers, purchases } from '../../src/db/schema.js';
import { DEMO_DEALERS, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { buildTestApp, TEST_NOW } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Issue 17 item 1: keys for machines. An admin makes a key with a role and scope; the key acts exactly
 * as a person of that role (same permission table, same scope checks), with no session and no Origin;
 * its secret is shown once and kept only as a hash; revoking or expiry stops it on the next request;
 * it has a limit of its own; what it does is audited under the key.
 */

type Created = {
  key: string;
  apiKey: { id: string; prefix: string; status: string; lastUsedAt: string | null };
};
const errorCode = (res: { body: string }) => (JSON.parse(res.body) as { error: { code: string } }).error.code;

describe.each(testDatabases())('API keys on $name', (testDb) => {
  let db: DatabaseHandle;
  let app: FastifyInstance;
  let now = TEST_NOW;
  let admin = '';
  const dealerIds = { own: '', other: '' };

  beforeAll(async () => {
    db = await testDb.open();
    await seedDemoData(db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    app = await buildTestApp(db, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' }, () => now);
    admin = await demoSession(app, 'admin');
    const rows = await db.db.select().from(dealers);
    dealerIds.own = rows.find((d) => d.name === DEMO_DEALERS[0].name)?.id ?? '';
    dealerIds.other = rows.find((d) => d.name === DEMO_DEALERS[1].name)?.id ?? '';
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const asAdmin = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { cookie: admin, origin: ORIGIN }, ...(payload ? { payload } : {}) });
  const withKey = (key: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
  const makeKey = async (body: object) => {
    const res = await asAdmin('POST', '/api/v1/api-keys', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Created>();
  };

  it('a dealer’s key records a sale with no session or Origin, audited under the key, and sees only its own', async () => {
    const created = await makeKey({ name: 'Shenzhen store POS', role: 'dealer', dealerId: dealerIds.own });
    expect(created.key).toMatch(/^aftersales_key_[0-9a-z]{10}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.apiKey.prefix.slice(0, -1))).toBe(true);
    // Only the hash is kept: the secret is nowhere in the row, and the list never shows it.
    const [row] = await db.db.select().from(apiKeys).where(eq(apiKeys.id, created.apiKey.id));
    expect(JSON.stringify(row)).not.toContain(created.key.slice(-43));
    expect((await asAdmin('GET', '/api/v1/api-keys')).body).not.toContain(created.key.slice(-43));

    const sale = await withKey(created.key, 'POST', '/api/v1/purchases', {
      serial: 'HS200-2406-001733',
      purchaseDate: '2026-11-24',
      buyer: { name: 'Li Wei', email: 'li.wei@example.com' },
    });
    expect(sale.statusCode, sale.body).toBe(201);
    const saleId = sale.json<{ id: string }>().id;
    const [event] = await db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, saleId), eq(auditEvents.action, 'purchase.recorded')));
    expect(event?.actor).toBe(`key:${created.apiKey.id}`);

    const me = await withKey(created.key, 'GET', '/api/v1/me');
    expect(me.json()).toMatchObject({ name: 'Shenzhen store POS', role: 'dealer', dealerId: dealerIds.own });

    // The other dealer's sales do not exist for this key, one by one or in the list.
    const [foreign] = await db.db
      .select()
      .from(purchases)
      .where(eq(purchases.dealerId, dealerIds.other))
      .limit(1);
    expect(foreign).toBeDefined();
    const read = await withKey(created.key, 'GET', `/api/v1/purchases/${foreign?.id ?? ''}`);
    expect(read.statusCode).toBe(404);
    const list = await withKey(created.key, 'GET', '/api/v1/purchases?limit=200');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.body).not.toContain(foreign?.id ?? 'none');
    // Nor may it do what its role never may.
    expect((await withKey(created.key, 'GET', '/api/v1/users')).statusCode).toBe(403);
    expect(
      (await withKey(created.key, 'POST', '/api/v1/api-keys', { name: 'x', role: 'qa' })).statusCode,
    ).toBe(403);

    const listed = (await asAdmin('GET', '/api/v1/api-keys')).json<Created['apiKey'][]>();
    expect(listed.find((k) => k.id === created.apiKey.id)?.lastUsedAt).toBe(
      new Date(TEST_NOW.epochMilliseconds).toISOString(),
    );
  });

  it('stops a revoked key on its next request, and an expired one from its expiry', async () => {
    const created = await makeKey({
      name: 'ERP export',
      role: 'support',
      expiresAt: now.add({ hours: 1 }).toString(),
    });
    expect((await withKey(created.key, 'GET', '/api/v1/claims')).statusCode).toBe(200);
    const revoked = await asAdmin('POST', `/api/v1/api-keys/${created.apiKey.id}/revoke`);
    const revokedKey = revoked.json<{ status: string; revokedBy: string }>();
    expect(revokedKey.status).toBe('revoked');
    expect(revokedKey.revokedBy).toMatch(/^user:/);
    const refused = await withKey(created.key, 'GET', '/api/v1/claims');
    expect(refused.statusCode).toBe(401);
    expect(errorCode(refused)).toBe('INVALID_API_KEY');
    const twice = await asAdmin('POST', `/api/v1/api-keys/${created.apiKey.id}/revoke`);
    expect(twice.statusCode).toBe(409);

    const expiring = await makeKey({
      name: 'Nightly QA report',
      role: 'qa',
      expiresAt: now.add({ minutes: 5 }).toString(),
    });
    expect((await withKey(expiring.key, 'GET', '/api/v1/lot-defect-rates')).statusCode).toBe(200);
    const before = now;
    now = now.add({ minutes: 5 });
    try {
      const late = await withKey(expiring.key, 'GET', '/api/v1/lot-defect-rates');
      expect(late.statusCode).toBe(401);
      expect(errorCode(late)).toBe('INVALID_API_KEY');
    } finally {
      now = before;
    }
    const audit = await db.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.entityId, created.apiKey.id));
    expect(audit.map((a) => a.action).sort()).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it('lets a support key record a claim, but never own it: work is owned by people', async () => {
    const created = await makeKey({ name: 'Call-centre bridge', role: 'support' });
    const [sale] = await db.db.select().from(purchases).where(eq(purchases.dealerId, dealerIds.own)).limit(1);
    const claim = await app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      headers: { authorization: `Bearer ${created.key}`, 'idempotency-key': 'api-key-claim-1' },
      payload: {
        purchaseId: sale?.id ?? '',
        cause: 'quality',
        description: 'Reported through the call centre.',
      },
    });
    expect(claim.statusCode, claim.body).toBe(201);
    const take = await withKey(
      created.key,
      'POST',
      `/api/v1/claims/${claim.json<{ id: string }>().id}/take`,
      {},
    );
    expect(take.statusCode, take.body).toBe(422);
    expect(errorCode(take)).toBe('MAY_NOT_OWN');
  });

  it('answers every wrong key alike, and never falls back to a cookie that came along', async () => {
    const good = await makeKey({ name: 'Reader', role: 'support' });
    const [, id] = /^aftersales_key_([0-9a-z]{10})_/.exec(good.key) ?? [];
    const wrongSecret = `aftersales_key_${id ?? ''}_${'A'.repeat(43)}`;
    for (const authorization of [
      `Bearer ${wrongSecret}`,
      'Bearer aftersales_key_0000000000_' + 'B'.repeat(43),
      'Bearer not-a-key',
      `Basic ${Buffer.from('admin:halotek').toString('base64')}`,
      'Bearer',
    ]) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/users',
        headers: { authorization, cookie: admin },
      });
      expect(res.statusCode, authorization).toBe(401);
      expect(errorCode(res)).toBe('INVALID_API_KEY');
    }
  });

  it('refuses keys for admins and customers, and a scope that does not fit the role', async () => {
    for (const body of [
      { name: 'Root', role: 'admin' },
      { name: 'Me', role: 'customer' },
      { name: 'No dealer', role: 'dealer' },
      { name: 'Wrong scope', role: 'support', dealerId: dealerIds.own },
      { name: 'Past', role: 'qa', expiresAt: now.subtract({ minutes: 1 }).toString() },
      { name: 'Greedy', role: 'qa', requestsPerMinute: 1_000_000 },
      { name: ' ', role: 'qa' },
    ]) {
      const res = await asAdmin('POST', '/api/v1/api-keys', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const support = await demoSession(app, 'support');
    const bySupport = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { cookie: support, origin: ORIGIN },
      payload: { name: 'Mine', role: 'support' },
    });
    expect(bySupport.statusCode).toBe(403);
  });

  it('holds each key to its own limit per minute, counted in the database', async () => {
    const tight = await makeKey({ name: 'Chatty CRM', role: 'qa', requestsPerMinute: 3 });
    const other = await makeKey({ name: 'Quiet CRM', role: 'qa', requestsPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      expect((await withKey(tight.key, 'GET', '/api/v1/lot-defect-rates')).statusCode).toBe(200);
    }
    const limited = await withKey(tight.key, 'GET', '/api/v1/lot-defect-rates');
    expect(limited.statusCode).toBe(429);
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await withKey(other.key, 'GET', '/api/v1/lot-defect-rates')).statusCode).toBe(200);
  });
});
