import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { auditEvents, claims, outbox, purchases, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/db/seed.js';
import { createScratchPostgresDatabase, testDatabases } from '../support/databases.js';
import { bin, root, startServe, stop } from '../support/serve-process.js';

/*
 * `kill -9` in the middle of a burst of claim submissions: every claim the server acknowledged (2xx)
 * is there after a restart, and no claim is there without its audit event and acknowledgement message
 * (nothing half-written). The real process, on each database, exactly as `npm start` runs it.
 */

const run = promisify(execFile);
const ORIGIN = 'http://localhost:3000';
const BURST = 120;
const CONCURRENCY = 12;
const KILL_AFTER_ACKS = 30;

type Target = { name: string; env: NodeJS.ProcessEnv; cleanup: () => Promise<void> };

async function targets(): Promise<Target[]> {
  const list: Target[] = [];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aftersales-crash-'));
  list.push({
    name: 'pglite',
    env: { DATA_DIR: dataDir, DATABASE_URL: '' },
    cleanup: () => {
      rmSync(dataDir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const scratch = await createScratchPostgresDatabase(pgUrl);
    list.push({ name: 'postgres', env: { DATABASE_URL: scratch.url }, cleanup: () => scratch.drop() });
  }
  return list;
}

const customer = DEMO_ACCOUNTS.find((a) => a.role === 'customer');
if (!customer) throw new Error('the demo seed has a customer account');

describe.each(testDatabases().map((d) => d.name))('a server killed mid-burst (%s)', (name) => {
  let target: Target | undefined;
  afterAll(async () => {
    await target?.cleanup();
  });

  it('keeps every acknowledged claim, whole, and nothing half-written', async () => {
    target = (await targets()).find((t) => t.name === name);
    if (!target) throw new Error(`no target ${name}`);
    const env = {
      ...process.env,
      ...target.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PUBLIC_URL: ORIGIN,
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    };

    // Migrate and seed first, so the test can read the purchase to claim on without a running server.
    await run(process.execPath, [bin, 'seed'], { cwd: root, env });
    const before = await openDatabase({
      databaseUrl: target.env.DATABASE_URL || undefined,
      dataDir: target.env.DATA_DIR ?? '',
    });
    let purchaseId: string;
    try {
      const [account] = await before.db.select().from(users).where(eq(users.email, customer.email));
      const [purchase] = await before.db
        .select()
        .from(purchases)
        .where(eq(purchases.endUserId, account?.endUserId ?? ''));
      if (!purchase) throw new Error('the demo customer has a purchase');
      purchaseId = purchase.id;
    } finally {
      await before.close();
    }

    const server = await startServe(env);
    const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email: customer.email, password: DEMO_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie()[0]?.split(';')[0] ?? '';

    const acknowledged = new Map<string, string>(); // Idempotency-Key → claim id
    const keys = Array.from({ length: BURST }, () => randomUUID());
    let killed = false;
    let next = 0;
    const submit = async (key: string): Promise<void> => {
      try {
        const res = await fetch(`${server.url}/api/v1/claims`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: ORIGIN, cookie, 'idempotency-key': key },
          body: JSON.stringify({ purchaseId, cause: 'quality', description: `burst ${key}` }),
        });
        if (res.status === 201 || res.status === 200) {
          acknowledged.set(key, ((await res.json()) as { id: string }).id);
          if (!killed && acknowledged.size >= KILL_AFTER_ACKS) {
            killed = true;
            server.child.kill('SIGKILL');
          }
        }
      } catch {
        // The connection died with the server: not acknowledged, so it may or may not be there.
      }
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < keys.length) {
          const key = keys[next++];
          if (key) await submit(key);
        }
      }),
    );
    await new Promise<void>((resolve) => {
      if (server.child.exitCode !== null || server.child.signalCode !== null) resolve();
      else
        server.child.once('exit', () => {
          resolve();
        });
    });
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acknowledged.size).toBeLessThan(BURST);

    // Restart on the same data: every acknowledged key answers with its claim as a replay.
    const again = await startServe(env);
    try {
      const relogin = await fetch(`${again.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ email: customer.email, password: DEMO_PASSWORD }),
      });
      const cookie2 = relogin.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      for (const [key, id] of acknowledged) {
        const res = await fetch(`${again.url}/api/v1/claims`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: ORIGIN,
            cookie: cookie2,
            'idempotency-key': key,
          },
          body: JSON.stringify({ purchaseId, cause: 'quality', description: `burst ${key}` }),
        });
        expect(res.status, `replay of ${key}`).toBe(200);
        expect(((await res.json()) as { id: string }).id).toBe(id);
      }
    } finally {
      expect(await stop(again.child)).toBe(0);
    }

    // Every claim in the database — acknowledged or not — is whole: its audit event and its message.
    const after = await openDatabase({
      databaseUrl: target.env.DATABASE_URL || undefined,
      dataDir: target.env.DATA_DIR ?? '',
    });
    try {
      const stored = await after.db.select({ id: claims.id, key: claims.idempotencyKey }).from(claims);
      const ids = stored.map((c) => c.id);
      for (const id of acknowledged.values()) expect(ids).toContain(id);
      const audited = await after.db
        .select({ id: auditEvents.entityId })
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'claim.submitted'), inArray(auditEvents.entityId, ids)));
      expect(new Set(audited.map((a) => a.id))).toEqual(new Set(ids));
      const messages = await after.db
        .select({ payload: outbox.payload })
        .from(outbox)
        .where(eq(outbox.topic, 'claim.received'));
      expect(new Set(messages.map((m) => m.payload.claimId))).toEqual(new Set(ids));
      console.info(
        `crash test (${name}): ${acknowledged.size} acknowledged before SIGKILL, ${stored.length} stored, all whole`,
      );
    } finally {
      await after.close();
    }
  }, 300_000);
});
