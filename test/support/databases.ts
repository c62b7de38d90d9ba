import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createPglite, type DatabaseHandle, openDatabase } from '../../src/db/client.js';
import { migrateDatabase, migrationsFolder } from '../../src/db/migrate.js';
import { ensureBuiltInPolicies } from '../../src/db/policies.js';
import { builtInPolicyVersions } from '../../src/domain/policy/halotek.js';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated database with the built-in policies and nothing else. Close it when done. */
  open(): Promise<DatabaseHandle>;
}

/**
 * PGlite always; PostgreSQL too when TEST_DATABASE_URL names a database whose role may CREATE
 * DATABASE (each open() gets a database of its own, dropped on close()).
 */
export function testDatabases(): TestDatabase[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    warnPostgresSkipped();
    return [pgliteTestDatabase];
  }
  return [pgliteTestDatabase, postgresTestDatabase(url)];
}

let warned = false;
function warnPostgresSkipped(): void {
  if (warned) return;
  warned = true;
  console.warn(
    '!!! TEST_DATABASE_URL is not set: the PostgreSQL variants of the integration tests are SKIPPED and only PGlite runs. ' +
      'Set TEST_DATABASE_URL=postgres://user:password@127.0.0.1:5432/db (a role with CREATEDB) to run them. !!!',
  );
}

/*
 * PGlite: a new instance spends seconds in initdb (migrating is ~150 ms of it), so one in-memory
 * template is made per process and every open() loads a copy of its dumped data directory instead.
 */

let pgliteTemplate: Promise<Blob> | undefined;

// Its package.json is not among the package's exports, so it is read by path.
const PGLITE_VERSION = (
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  ) as { version: string }
).version;
const TEMPLATE_CACHE = join(import.meta.dirname, '../../node_modules/.cache/aftersales-test');

/**
 * Every test file runs in a process of its own, and each used to pay the template's seconds of initdb.
 * The dump is kept on disk under the hash of the migrations, the built-in policies and PGlite's version,
 * so a change to any of them builds a new one.
 */
async function cachedPgliteTemplate(): Promise<Blob> {
  const file = join(TEMPLATE_CACHE, `pglite-${PGLITE_VERSION}-${templateFingerprint()}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const dump = await buildPgliteTemplate();
  mkdirSync(TEMPLATE_CACHE, { recursive: true });
  // Written aside and renamed: a reader in another worker never sees half a file.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return dump;
}

async function buildPgliteTemplate(): Promise<Blob> {
  const pglite = await createPglite();
  const handle = await openDatabase({ pglite });
  try {
    await migrateDatabase(handle);
    await ensureBuiltInPolicies(handle.db);
    // Uncompressed: the dump never leaves memory, and gzip would cost more time than it saves.
    return await pglite.dumpDataDir('none');
  } finally {
    await handle.close();
  }
}

const pgliteTestDatabase: TestDatabase = {
  name: 'pglite',
  async open() {
    pgliteTemplate ??= cachedPgliteTemplate();
    const template = await pgliteTemplate;
    return openDatabase({ pglite: await createPglite({ loadDataDir: template }) });
  },
};

/*
 * PostgreSQL: a migrated template database is built once (by whichever vitest worker gets the lock
 * first) and each open() is a CREATE DATABASE … TEMPLATE of it. The template's name carries a hash of
 * the migrations and built-in policies, so changing either builds a new one instead of reusing a stale one.
 */

const TEMPLATE_LOCK_KEY = 7_361_205_116;
const PREFIX = 'aftersales_test';

function templateFingerprint(): string {
  const folder = migrationsFolder();
  const hash = createHash('sha256');
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(join(folder, file)));
  }
  hash.update(readFileSync(join(folder, 'meta', '_journal.json')));
  hash.update(JSON.stringify(builtInPolicyVersions));
  return hash.digest('hex').slice(0, 12);
}

/** The same server and credentials, another database. */
export function urlWithDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** One client of its own for the duration of `run` (creating and dropping databases). */
export async function withAdminClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const result = await client.query('select 1 from pg_database where datname = $1', [name]);
  return result.rowCount === 1;
}

/**
 * Templates are per role: CREATE DATABASE … TEMPLATE needs the template's owner, and CI and developers
 * may share one cluster under different roles.
 */
function templatePrefix(url: string): string {
  const role = decodeURIComponent(new URL(url).username);
  return `${PREFIX}_tpl_${createHash('sha256').update(role).digest('hex').slice(0, 6)}_`;
}

async function ensurePostgresTemplate(url: string): Promise<string> {
  const prefix = templatePrefix(url);
  const template = `${prefix}${templateFingerprint()}`;
  const building = `${template}_building`;
  await withAdminClient(url, async (admin) => {
    // Held on this connection until it ends, so a worker that dies mid-build frees the lock too.
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    if (await databaseExists(admin, template)) return;
    // A build interrupted earlier leaves this behind; it was never renamed, so nothing uses it.
    await admin.query(`drop database if exists ${quoteIdent(building)} with (force)`);
    await admin.query(`create database ${quoteIdent(building)}`);
    const handle = await openDatabase({ databaseUrl: urlWithDatabase(url, building) });
    try {
      await migrateDatabase(handle);
      await ensureBuiltInPolicies(handle.db);
    } finally {
      await handle.close();
    }
    // Renaming is the commit: a template exists under its final name only once it is complete.
    await admin.query(`alter database ${quoteIdent(building)} rename to ${quoteIdent(template)}`);
    await dropOutdatedTemplates(admin, prefix, template);
  });
  return template;
}

async function dropOutdatedTemplates(admin: pg.Client, prefix: string, current: string): Promise<void> {
  const result = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like $1 and datname <> $2`,
    [`${prefix.replaceAll('_', '\\_')}%`, current],
  );
  for (const { datname } of result.rows) {
    await admin.query(`drop database if exists ${quoteIdent(datname)}`).catch((error: unknown) => {
      // Someone still connected (an older checkout's run): leave it for a later run.
      console.warn(`test databases: could not drop outdated template ${datname}: ${String(error)}`);
    });
  }
}

let counter = 0;

const postgresTemplates = new Map<string, Promise<string>>();

function postgresTestDatabase(url: string): TestDatabase {
  return {
    name: 'postgres',
    async open() {
      let template = postgresTemplates.get(url);
      if (!template) {
        template = ensurePostgresTemplate(url);
        postgresTemplates.set(url, template);
      }
      const source = await template;
      counter += 1;
      const name = `${PREFIX}_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`;
      await withAdminClient(url, (admin) =>
        admin.query(`create database ${quoteIdent(name)} template ${quoteIdent(source)}`),
      );
      const handle = await openDatabase({ databaseUrl: urlWithDatabase(url, name) });
      const closePool = handle.close.bind(handle);
      let closing: Promise<void> | undefined;
      // Replaced in place rather than wrapped: the handle object must stay the one openDatabase made.
      handle.close = () => {
        closing ??= (async () => {
          await closePool();
          await dropForcefully(url, name);
        })();
        return closing;
      };
      return handle;
    },
  };
}

/**
 * DROP DATABASE … WITH (FORCE) terminates the backends still connected, but refuses (SQLSTATE 42501)
 * when one is still starting up and has no role yet — a connection a closing server opened a moment
 * before. That backend is gone a moment later: the drop is tried again.
 */
async function dropForcefully(url: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdminClient(url, (admin) =>
        admin.query(`drop database if exists ${quoteIdent(name)} with (force)`),
      );
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== '42501' || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** An empty, unmigrated PostgreSQL database, for tests of the migrator itself. */
export async function createScratchPostgresDatabase(
  url: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${PREFIX}_scratch_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withAdminClient(url, (admin) => admin.query(`create database ${quoteIdent(name)}`));
  return {
    url: urlWithDatabase(url, name),
    async drop() {
      await dropForcefully(url, name);
    },
  };
}
