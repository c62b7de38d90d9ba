import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { ensureBuiltInPolicies } from '../../src/db/policies.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { buildTestApp } from '../support/app.js';
import { createScratchPostgresDatabase, testDatabases } from '../support/databases.js';
import { oemMatrixFixtures, uploadEvidence } from '../support/oem-fixtures.js';
import { purchaseAndClaimMatrixFixtures } from '../support/purchase-claim-fixtures.js';
import { bin, root, startServe, stop } from '../support/serve-process.js';
import { endUserServiceMatrixFixtures } from '../support/service-fixtures.js';
import { demoSession } from '../support/sessions.js';
import { digestDifferences, tableDigests } from '../support/table-digests.js';
import { uploadMatrixFixtures } from '../support/upload-fixtures.js';

/*
 * `aftersales backup` then `aftersales restore` into an empty database, as an operator runs them: every
 * row of every table comes back (per-table MD5 of the ordered rows), and the server starts on the
 * restored database and lets a demo account in.
 */

const run = promisify(execFile);
const TODAY = Temporal.PlainDate.from('2026-11-25');
const PUBLIC_URL = 'http://localhost:3000';

function cli(args: string[], env: NodeJS.ProcessEnv) {
  return run(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    maxBuffer: 10 * 1024 * 1024,
  });
}

/** The demo seed and a day's work on top: claims, maintenance orders, quotes, OEM remedies, uploads, sessions. */
async function fillWithActivity(handle: DatabaseHandle): Promise<DatabaseHandle> {
  try {
    await fill(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

async function fill(handle: DatabaseHandle): Promise<void> {
  await migrateDatabase(handle);
  await ensureBuiltInPolicies(handle.db);
  await seedDemoData(handle.db, { today: TODAY });
  const app = await buildTestApp(handle);
  try {
    await purchaseAndClaimMatrixFixtures(app, handle.db);
    await endUserServiceMatrixFixtures(app, handle.db);
    await oemMatrixFixtures(handle.db);
    await uploadMatrixFixtures(handle.db);
    await uploadEvidence(app, await demoSession(app, 'qa'));
    await demoSession(app, 'customer');
  } finally {
    await app.close();
  }
}

/** Opens (and, for the source, fills) a database, digests every table and closes it. */
async function digestsOf(open: () => Promise<DatabaseHandle>) {
  const handle = await open();
  try {
    return await tableDigests(handle.db);
  } finally {
    await handle.close();
  }
}

/** Signs the demo support agent and customer in on a running server and lists claims as each. */
async function signInAndListClaims(url: string): Promise<{ support: number; customer: number }> {
  const counts = { support: 0, customer: 0 };
  for (const role of ['support', 'customer'] as const) {
    const email = DEMO_ACCOUNTS.find((a) => a.role === role)?.email ?? '';
    const signIn = await fetch(`${url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PUBLIC_URL },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    expect(signIn.status, `${email} signs in`).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
    const claims = await fetch(`${url}/api/v1/claims?limit=100`, { headers: { cookie: cookie.join('; ') } });
    expect(claims.status).toBe(200);
    const body = (await claims.json()) as unknown[] | { items: unknown[] };
    counts[role] = Array.isArray(body) ? body.length : body.items.length;
  }
  return counts;
}

function report(kind: string, digests: Map<string, { rows: number }>, seconds: number): void {
  const rows = [...digests.values()].reduce((sum, d) => sum + d.rows, 0);
  console.log(
    `backup-restore (${kind}): ${digests.size} tables, ${rows} rows compared, 0 differences (${seconds.toFixed(1)} s)`,
  );
}

describe('backup and restore: PGlite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aftersales-backup-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const source = path.join(dir, 'source');
  const target = path.join(dir, 'restored');
  const file = path.join(dir, 'pglite.tar');

  it('restores every row of every table into a new data directory, and the server runs on it', async () => {
    const started = Date.now();
    const before = await digestsOf(async () => {
      return fillWithActivity(await openDatabase({ dataDir: source }));
    });

    const backup = await cli(['backup', '--out', file], { DATA_DIR: source, DATABASE_URL: '' });
    expect(backup.stdout).toContain(`backup of the pglite database written to ${file}`);
    expect(statSync(file).size).toBeGreaterThan(0);

    const restore = await cli(['restore', file], { DATA_DIR: target, DATABASE_URL: '' });
    expect(restore.stdout).toMatch(/restored \d+ tables, \d+ rows/);

    const after = await digestsOf(() => openDatabase({ dataDir: target }));
    expect(digestDifferences(before, after)).toEqual([]);
    expect(before.get('public.claims')?.rows).toBeGreaterThan(0);
    expect(before.get('public.uploads')?.rows).toBeGreaterThan(0);
    report('pglite', after, (Date.now() - started) / 1000);

    // A second restore into the same directory is refused: it is not empty any more.
    await expect(cli(['restore', file], { DATA_DIR: target, DATABASE_URL: '' })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('DATABASE_NOT_EMPTY') as string,
    });

    const server = await startServe({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: target,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      PUBLIC_URL,
    });
    try {
      expect(server.output()).not.toContain('demo data seeded');
      const counts = await signInAndListClaims(server.url);
      expect(counts.support).toBe(before.get('public.claims')?.rows);
      expect(counts.customer).toBeGreaterThan(0);
      // The running server has the directory open: a backup of it is refused, not taken torn.
      await expect(
        cli(['backup', '--out', path.join(dir, 'torn.tar')], { DATA_DIR: target, DATABASE_URL: '' }),
      ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('DATABASE_IN_USE') as string });
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  }, 300_000);

  it('refuses a damaged backup before touching the database', async () => {
    const damaged = path.join(dir, 'damaged.tar');
    copyFileSync(file, damaged);
    truncateSync(damaged, statSync(damaged).size - 4096);
    const fresh = path.join(dir, 'never-made');
    await expect(cli(['restore', damaged], { DATA_DIR: fresh, DATABASE_URL: '' })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/NOT_A_BACKUP|BACKUP_DAMAGED/) as string,
    });
    await expect(
      cli(['restore', path.join(dir, 'no-such.tar')], { DATA_DIR: fresh, DATABASE_URL: '' }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('BACKUP_NOT_FOUND') as string });
    // A PGlite backup is not restored into PostgreSQL (nor the other way round).
    await expect(
      cli(['restore', file], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('WRONG_DATABASE_KIND') as string });
  }, 60_000);
});

describe('backup of PostgreSQL without its client tools', () => {
  it('says which tool is missing and how to install it, before connecting', async () => {
    await expect(
      cli(['backup', '--out', path.join(tmpdir(), 'never-written.tar')], {
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        PATH: mkdtempSync(path.join(tmpdir(), 'aftersales-empty-path-')),
      }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/PG_TOOLS_MISSING: pg_dump is not on PATH.*postgresql-client/s) as string,
    });
  });
});

const postgresUrl = testDatabases().some((d) => d.name === 'postgres')
  ? process.env.TEST_DATABASE_URL
  : undefined;
const pgDumpPresent = spawnSync('pg_dump', ['--version']).status === 0;
if (postgresUrl && !pgDumpPresent) {
  console.warn(
    '!!! pg_dump is not on PATH: the PostgreSQL backup-and-restore test is SKIPPED. ' +
      'Install PostgreSQL client tools (apt-get install postgresql-client) to run it. !!!',
  );
}

describe.runIf(postgresUrl && pgDumpPresent)('backup and restore: PostgreSQL (pg_dump / pg_restore)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aftersales-backup-pg-'));
  const scratch: { drop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const db of scratch) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores every row of every table into an empty database, and the server runs on it', async () => {
    const started = Date.now();
    const sourceDb = await createScratchPostgresDatabase(postgresUrl ?? '');
    const targetDb = await createScratchPostgresDatabase(postgresUrl ?? '');
    scratch.push(sourceDb, targetDb);
    const before = await digestsOf(async () => {
      return fillWithActivity(await openDatabase({ databaseUrl: sourceDb.url }));
    });

    const file = path.join(dir, 'postgres.tar');
    const backup = await cli(['backup', '--out', file], { DATABASE_URL: sourceDb.url });
    expect(backup.stdout).toContain(`backup of the postgres database written to ${file}`);

    const restore = await cli(['restore', file], { DATABASE_URL: targetDb.url });
    expect(restore.stdout).toMatch(/restored \d+ tables, \d+ rows/);

    const after = await digestsOf(() => openDatabase({ databaseUrl: targetDb.url }));
    expect(digestDifferences(before, after)).toEqual([]);
    expect(before.get('public.claims')?.rows).toBeGreaterThan(0);
    report('postgres', after, (Date.now() - started) / 1000);

    // Not into a database that has data, unless the operator says so.
    await expect(cli(['restore', file], { DATABASE_URL: targetDb.url })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('DATABASE_NOT_EMPTY') as string,
    });
    const forced = await cli(['restore', '--force', file], { DATABASE_URL: targetDb.url });
    expect(forced.stdout).toContain('restored');
    expect(
      digestDifferences(before, await digestsOf(() => openDatabase({ databaseUrl: targetDb.url }))),
    ).toEqual([]);

    const server = await startServe({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: targetDb.url,
      LOG_LEVEL: 'warn',
      PUBLIC_URL,
    });
    try {
      expect(server.output()).not.toContain('demo data seeded');
      const counts = await signInAndListClaims(server.url);
      expect(counts.support).toBe(before.get('public.claims')?.rows);
      // pg_dump takes one snapshot: a backup beside a running server is safe.
      const live = await cli(['backup', '--out', path.join(dir, 'live.tar')], { DATABASE_URL: targetDb.url });
      expect(live.stdout).toContain('backup of the postgres database');
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  }, 300_000);
});
