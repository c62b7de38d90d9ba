import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countHit, readCount } from '../../src/app/limits/counters.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { rateLimitCounters } from '../../src/db/schema.js';
import { limitScopeOf } from '../../src/http/rate-limit-store.js';
import { buildTestApp, TEST_NOW } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { ORIGIN } from '../support/sessions.js';

/*
 * The per-IP limits of the HTTP routes keep their counts in the database (rate_limit_counters), on the
 * app's clock, so that every process on one database counts a client once. The test with two real
 * processes is limits-across-processes.test.ts; here, two servers in one process share a database.
 */

const signIn = (i: number) => ({
  method: 'POST' as const,
  url: '/api/auth/sign-in/email',
  headers: { origin: ORIGIN },
  payload: { email: `nobody-${i}@example.com`, password: 'wrong-password' },
});

const evaluate = {
  method: 'POST' as const,
  url: '/api/v1/entitlements/evaluate',
  payload: {
    customerType: 'end_user',
    purchaseDate: '2026-01-02',
    reportDate: '2026-01-09',
    cause: 'quality',
  },
};

describe.each(testDatabases())('rate limits counted in the database, on $name', (testDb) => {
  let db: DatabaseHandle;
  const apps: FastifyInstance[] = [];
  beforeAll(async () => {
    db = await testDb.open();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await db.db.delete(rateLimitCounters);
  });
  afterAll(async () => {
    await db.close();
  });
  const app = async (env: NodeJS.ProcessEnv, clock = () => TEST_NOW) => {
    const built = await buildTestApp(db, env, clock);
    apps.push(built);
    return built;
  };

  it('counts a client once across two servers on one database', async () => {
    const env = { AUTH_RATE_LIMIT_PER_MINUTE: '3' };
    const servers = [await app(env), await app(env)];
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const server = servers[i % 2];
      if (server) statuses.push((await server.inject(signIn(i))).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Kept under the route's own scope: another limited route has a count of its own.
    const [row] = await db.db.select().from(rateLimitCounters);
    expect(row?.key).toBe(`http:POST /api/auth/sign-in/email|127.0.0.1`);
    expect(row?.hits).toBe(4);
  });

  it("reads its window on the app's clock: Retry-After is the time left in that window", async () => {
    // 15 s into a minute-long window of the app's fixed clock.
    const server = await app({ AUTH_RATE_LIMIT_PER_MINUTE: '1' }, () => TEST_NOW.add({ seconds: 15 }));
    expect((await server.inject(signIn(0))).statusCode).toBe(401);
    const refused = await server.inject(signIn(1));
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(refused.headers['retry-after']).toBe('45');
  });

  it('refuses sign-in (503) when the limit cannot be counted, but answers the public evaluation', async () => {
    const server = await app({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    await db.db.execute(sql`alter table rate_limit_counters rename to rate_limit_counters_away`);
    try {
      const refused = await server.inject(signIn(0));
      expect(refused.statusCode).toBe(503);
      expect(refused.json()).toMatchObject({ error: { code: 'RATE_LIMIT_UNAVAILABLE' } });
      const evaluated = await server.inject(evaluate);
      expect(evaluated.statusCode).toBe(200);
    } finally {
      await db.db.execute(sql`alter table rate_limit_counters_away rename to rate_limit_counters`);
    }
  });

  it('purges ended windows when a server starts, and keeps the current one', async () => {
    const now = TEST_NOW.epochMilliseconds;
    await countHit(db.db, { key: 'http:old|1.2.3.4', windowMs: 60_000, nowMs: now - 120_000 });
    await countHit(db.db, { key: 'http:current|1.2.3.4', windowMs: 60_000, nowMs: now });
    await app({});
    await expect
      .poll(
        async () =>
          (await readCount(db.db, { key: 'http:old|1.2.3.4', windowMs: 60_000, nowMs: now - 120_000 })).count,
      )
      .toBe(0);
    expect(
      (await readCount(db.db, { key: 'http:current|1.2.3.4', windowMs: 60_000, nowMs: now })).count,
    ).toBe(1);
  });
});

describe('the scope a route limit counts in', () => {
  it("is the route's method and path, or its group when routes share one", () => {
    expect(limitScopeOf({ routeInfo: { method: 'POST', url: '/api/v1/uploads' } })).toBe(
      'POST /api/v1/uploads',
    );
    expect(limitScopeOf({ routeInfo: { method: ['GET', 'HEAD'], url: '/x' } })).toBe('GET,HEAD /x');
    expect(limitScopeOf({ groupId: 'mail', routeInfo: { method: 'POST', url: '/x' } })).toBe('group:mail');
  });
});
