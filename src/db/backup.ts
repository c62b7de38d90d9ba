import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type ArchiveEntry, listArchive, memberStream, readMember, writeArchive } from './backup-archive.js';
import { createPglite, type DatabaseKind, openDatabase } from './client.js';
import { migrateDatabase, migrationsFolder } from './migrate.js';
import { ensureBuiltInPolicies } from './policies.js';

/*
 * `aftersales backup` and `aftersales restore`.
 *
 * A backup is a tar file holding `manifest.json` (what was backed up: the app's version, the database's
 * kind and version, the last migration applied, every table's row count, the payload's SHA-256) and the
 * database's own dump:
 *  - PostgreSQL: `database.pgdump`, pg_dump's custom format, taken in one snapshot (a running server may
 *    keep working; the row counts are read in that same snapshot), restored with pg_restore;
 *  - PGlite: `pgdata.tar.gz`, the data directory as PGlite's dumpDataDir() gives it, restored with its
 *    loadDataDir option. An embedded database belongs to one process, so both commands refuse a data
 *    directory a running server has open.
 * A restore goes into an empty database only (unless --force), checks the payload's hash and, once
 * restored, every table's row count against the manifest, then runs this release's migrations forward.
 */

export const BACKUP_FORMAT = 'aftersales-backup';
export const BACKUP_FORMAT_VERSION = 1;
const MANIFEST = 'manifest.json';
const PG_PAYLOAD = 'database.pgdump';
const PGLITE_PAYLOAD = 'pgdata.tar.gz';

/** A refusal or failure an operator can act on; the CLI prints `CODE: message` and exits with 2. */
export class BackupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface MigrationMark {
  /** The migration's file name without `.sql`, when this release knows it. */
  tag: string | null;
  /** drizzle's `created_at`: the journal's `when` of that migration. */
  createdAt: number;
  hash: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  app: { name: string; version: string };
  database: {
    kind: DatabaseKind;
    /** `server_version` of the database backed up. */
    serverVersion: string;
    /** PGlite's package version (pglite backups). */
    pgliteVersion?: string;
    /** `pg_dump --version` (postgres backups). */
    dumpTool?: string;
    dumpToolMajor?: number;
  };
  migrations: { applied: number; last: MigrationMark | null };
  /** `schema.table` → rows, for every table of the public and drizzle schemas. */
  tables: Record<string, number>;
  payload: { file: string; bytes: number; sha256: string };
}

export interface BackupOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** The file to write; refused when it exists, unless `force`. */
  out: string;
  force?: boolean;
  log?: (line: string) => void;
}

export interface RestoreOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  file: string;
  /** Replace a database that is not empty (PostgreSQL: its public and drizzle schemas are dropped first;
   * PGlite: the data directory is moved aside, not deleted). */
  force?: boolean;
  log?: (line: string) => void;
}

export interface RestoreResult {
  manifest: BackupManifest;
  tables: number;
  rows: number;
  /** Tags of the migrations this release applied after the restore (a backup of an older release). */
  migrated: string[];
  /** PGlite with --force: where the replaced data directory was moved. */
  movedAside?: string;
}

/** `aftersales-backup-postgres-20261130T101500Z.tar` */
export function defaultBackupName(kind: DatabaseKind, at = new Date()): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(/[-:]/g, '');
  return `aftersales-backup-${kind}-${stamp}.tar`;
}

/* ---------------------------------------------------------------- what is in a database */

type Query = <T extends Record<string, unknown>>(text: string) => Promise<T[]>;

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

export async function readJournal(): Promise<JournalEntry[]> {
  const journal = JSON.parse(await readFile(join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as {
    entries: JournalEntry[];
  };
  return journal.entries;
}

async function appInfo(): Promise<{ name: string; version: string }> {
  const root = resolve(migrationsFolder(), '..', '..', '..');
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name: pkg.name, version: pkg.version };
}

async function pgliteVersion(): Promise<string> {
  const root = resolve(migrationsFolder(), '..', '..', '..');
  const file = join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function migrationState(
  query: Query,
  journal: JournalEntry[],
): Promise<{ applied: number; last: MigrationMark | null }> {
  const [exists] = await query<{ found: string | null }>(
    `select to_regclass('drizzle.__drizzle_migrations')::text as found`,
  );
  if (!exists?.found) return { applied: 0, last: null };
  const rows = await query<{ hash: string; created_at: string | number }>(
    'select hash, created_at from drizzle.__drizzle_migrations order by created_at, id',
  );
  const last = rows.at(-1);
  if (!last) return { applied: 0, last: null };
  const createdAt = Number(last.created_at);
  return {
    applied: rows.length,
    last: { tag: journal.find((e) => e.when === createdAt)?.tag ?? null, createdAt, hash: last.hash },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Every table of the schemas the application uses, `schema.table`, sorted. */
export async function listTables(query: Query): Promise<string[]> {
  const rows = await query<{ name: string }>(
    `select n.nspname || '.' || c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'p')
      order by 1`,
  );
  return rows.map((r) => r.name);
}

export function qualified(table: string): string {
  const [schema = '', name = ''] = table.split('.');
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

async function tableCounts(query: Query): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await listTables(query)) {
    const [row] = await query<{ n: string | number }>(`select count(*) as n from ${qualified(table)}`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

async function serverVersion(query: Query): Promise<{ version: string; major: number }> {
  const [row] = await query<{ v: string; n: string }>(
    `select current_setting('server_version') as v, current_setting('server_version_num') as n`,
  );
  return { version: row?.v ?? 'unknown', major: Math.floor(Number(row?.n ?? 0) / 10_000) };
}

function pgQuery(client: pg.Client | pg.PoolClient): Query {
  return async <T extends Record<string, unknown>>(text: string) => (await client.query<T>(text)).rows;
}

function pgliteQuery(client: PGlite): Query {
  return async <T extends Record<string, unknown>>(text: string) => (await client.query<T>(text)).rows;
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(
      'DATABASE_UNREACHABLE',
      `cannot connect to the PostgreSQL database of DATABASE_URL: ${(error as Error).message}`,
    );
  }
  return client;
}

/* ---------------------------------------------------------------- PostgreSQL's own tools */

interface Tool {
  name: 'pg_dump' | 'pg_restore';
  version: string;
  major: number;
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolvePromise({ code, stdout, stderr });
    });
  });
}

async function findTool(name: Tool['name']): Promise<Tool> {
  let result;
  try {
    result = await run(name, ['--version']);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new BackupError(
        'PG_TOOLS_MISSING',
        `${name} is not on PATH. A PostgreSQL backup uses PostgreSQL's own client tools: install them ` +
          `(Debian/Ubuntu: apt-get install postgresql-client; at least the server's major version) ` +
          `or put their bin directory first on PATH.`,
      );
    }
    throw error;
  }
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.\d+)?/.exec(result.stdout);
  if (result.code !== 0 || !match?.[1]) {
    throw new BackupError(
      'PG_TOOLS_MISSING',
      `${name} --version did not answer as expected: ${result.stderr}`,
    );
  }
  return { name, version: result.stdout.trim(), major: Number(match[1]) };
}

/** The URL without its password (visible to every user in the process list) and the env carrying it. */
function toolConnection(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const env = { ...process.env };
  if (url.password) {
    env.PGPASSWORD = decodeURIComponent(url.password);
    url.password = '';
  }
  return { dbname: url.toString(), env };
}

async function runTool(tool: Tool, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const result = await run(tool.name, args, env);
  if (result.code !== 0) {
    throw new BackupError(
      tool.name === 'pg_dump' ? 'PG_DUMP_FAILED' : 'PG_RESTORE_FAILED',
      `${tool.name} failed (exit ${String(result.code)}):\n${result.stderr.trim()}`,
    );
  }
}

/* ---------------------------------------------------------------- backup */

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export async function backupDatabase(
  options: BackupOptions,
): Promise<{ file: string; manifest: BackupManifest }> {
  const out = resolve(options.out);
  if (existsSync(out) && !options.force) {
    throw new BackupError('OUTPUT_EXISTS', `${out} exists; choose another --out, or --force to replace it`);
  }
  if (!existsSync(dirname(out)))
    throw new BackupError('OUTPUT_DIR_MISSING', `${dirname(out)} does not exist`);
  const work = await mkdtemp(join(tmpdir(), 'aftersales-backup-'));
  const partial = `${out}.partial-${process.pid}`;
  try {
    const { manifest, payloadPath } = options.databaseUrl
      ? await dumpPostgres(options.databaseUrl, work)
      : await dumpPglite(options.dataDir, work);
    await writeArchive(partial, [
      { name: MANIFEST, content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
      { name: manifest.payload.file, content: { path: payloadPath, size: manifest.payload.bytes } },
    ]);
    // Renamed only once complete: a backup file that exists is a whole one.
    await rename(partial, out);
    return { file: out, manifest };
  } finally {
    await rm(partial, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}

async function baseManifest(
  kind: DatabaseKind,
  query: Query,
): Promise<Omit<BackupManifest, 'payload' | 'database'> & { server: string }> {
  const journal = await readJournal();
  const migrations = await migrationState(query, journal);
  if (migrations.applied === 0) {
    throw new BackupError(
      'NOT_AN_AFTERSALES_DATABASE',
      `the ${kind} database has no applied migrations: nothing to back up (is it the right database?)`,
    );
  }
  return {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    app: await appInfo(),
    migrations,
    tables: await tableCounts(query),
    server: (await serverVersion(query)).version,
  };
}

async function dumpPostgres(
  databaseUrl: string,
  work: string,
): Promise<{ manifest: BackupManifest; payloadPath: string }> {
  const tool = await findTool('pg_dump');
  const client = await connect(databaseUrl);
  try {
    const query = pgQuery(client);
    const server = await serverVersion(query);
    if (tool.major < server.major) {
      throw new BackupError(
        'PG_TOOLS_TOO_OLD',
        `pg_dump ${tool.major} cannot dump a PostgreSQL ${server.major} server (${tool.version}); ` +
          `install postgresql-client-${server.major} or newer and put it first on PATH`,
      );
    }
    // One snapshot for the counts and the dump: what the manifest says is exactly what the dump holds,
    // however busy the server is meanwhile.
    await client.query('begin transaction isolation level repeatable read, read only');
    const [snapshot] = await query<{ id: string }>('select pg_export_snapshot() as id');
    const base = await baseManifest('postgres', query);
    const payloadPath = join(work, PG_PAYLOAD);
    const { dbname, env } = toolConnection(databaseUrl);
    await runTool(
      tool,
      ['--format=custom', `--snapshot=${snapshot?.id ?? ''}`, `--file=${payloadPath}`, `--dbname=${dbname}`],
      env,
    );
    await client.query('commit');
    const { server: serverVersionText, ...rest } = base;
    return {
      payloadPath,
      manifest: {
        ...rest,
        database: {
          kind: 'postgres',
          serverVersion: serverVersionText,
          dumpTool: tool.version,
          dumpToolMajor: tool.major,
        },
        payload: {
          file: PG_PAYLOAD,
          bytes: (await stat(payloadPath)).size,
          sha256: await sha256File(payloadPath),
        },
      },
    };
  } finally {
    await client.end();
  }
}

function assertEmbeddedDir(dataDir: string): string {
  if (dataDir.includes('://')) {
    throw new BackupError('NOT_A_DATA_DIRECTORY', `DATA_DIR=${dataDir} is not a directory on disk`);
  }
  return resolve(dataDir);
}

/**
 * PGlite writes postmaster.pid while a process has the directory open and removes it on a clean close.
 * It does not lock the directory, so a second process would write beside the first and corrupt it.
 */
function assertNotInUse(dir: string): void {
  if (existsSync(join(dir, 'postmaster.pid'))) {
    throw new BackupError(
      'DATABASE_IN_USE',
      `the embedded database in ${dir} is open in another process (postmaster.pid is present): stop ` +
        `aftersales serve first. If no process has it open (one was killed), run \`aftersales migrate\` ` +
        `once — it opens and closes the database cleanly — then try again.`,
    );
  }
}

async function dumpPglite(
  dataDir: string,
  work: string,
): Promise<{ manifest: BackupManifest; payloadPath: string }> {
  const dir = assertEmbeddedDir(dataDir);
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    throw new BackupError(
      'NO_DATABASE',
      `${dir} holds no embedded database (no PG_VERSION): nothing to back up`,
    );
  }
  assertNotInUse(dir);
  const client = await createPglite({ dataDir: dir });
  let base;
  let dump;
  try {
    base = await baseManifest('pglite', pgliteQuery(client));
    dump = await client.dumpDataDir('gzip');
  } finally {
    await client.close();
  }
  const bytes = Buffer.from(await dump.arrayBuffer());
  const payloadPath = join(work, PGLITE_PAYLOAD);
  await writeFile(payloadPath, bytes);
  const { server, ...rest } = base;
  return {
    payloadPath,
    manifest: {
      ...rest,
      database: { kind: 'pglite', serverVersion: server, pgliteVersion: await pgliteVersion() },
      payload: {
        file: PGLITE_PAYLOAD,
        bytes: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    },
  };
}

/* ---------------------------------------------------------------- restore */

/** Reads and checks a backup file's manifest and payload entry (its hash too). */
export async function inspectBackup(
  file: string,
): Promise<{ manifest: BackupManifest; payload: ArchiveEntry }> {
  const path = resolve(file);
  if (!existsSync(path)) throw new BackupError('BACKUP_NOT_FOUND', `${path} does not exist`);
  let entries;
  try {
    entries = await listArchive(path);
  } catch (error) {
    throw new BackupError('NOT_A_BACKUP', `${path} is not an aftersales backup: ${(error as Error).message}`);
  }
  const manifestEntry = entries.find((e) => e.name === MANIFEST);
  if (!manifestEntry) throw new BackupError('NOT_A_BACKUP', `${path} has no ${MANIFEST}`);
  let raw: { format?: unknown; formatVersion?: unknown };
  try {
    raw = JSON.parse((await readMember(path, manifestEntry)).toString('utf8')) as typeof raw;
  } catch {
    raw = {};
  }
  if (raw.format !== BACKUP_FORMAT || typeof raw.formatVersion !== 'number') {
    throw new BackupError('NOT_A_BACKUP', `${path}: ${MANIFEST} is not an aftersales backup manifest`);
  }
  const manifest = raw as BackupManifest;
  if (manifest.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      'BACKUP_FROM_NEWER_RELEASE',
      `${path} was written by aftersales ${manifest.app.version} in backup format ${manifest.formatVersion}; ` +
        `this release reads format ${BACKUP_FORMAT_VERSION}: restore it with that release or newer`,
    );
  }
  const payload = entries.find((e) => e.name === manifest.payload.file);
  if (payload?.size !== manifest.payload.bytes) {
    throw new BackupError(
      'BACKUP_DAMAGED',
      `${path}: the payload ${manifest.payload.file} is missing or cut short`,
    );
  }
  const hash = createHash('sha256');
  await pipeline(memberStream(path, payload), hash);
  if (hash.digest('hex') !== manifest.payload.sha256) {
    throw new BackupError('BACKUP_DAMAGED', `${path}: the payload's SHA-256 differs from the manifest's`);
  }
  return { manifest, payload };
}

async function checkMigrationsKnown(manifest: BackupManifest): Promise<void> {
  const journal = await readJournal();
  const newest = journal.at(-1);
  const last = manifest.migrations.last;
  if (last && newest && last.createdAt > newest.when) {
    throw new BackupError(
      'BACKUP_FROM_NEWER_RELEASE',
      `the backup's database was migrated by aftersales ${manifest.app.version} up to ` +
        `${last.tag ?? `a migration of ${new Date(last.createdAt).toISOString()}`}, which this release ` +
        `(newest migration ${newest.tag}) does not know: restore it with that release or a newer one`,
    );
  }
}

function compareCounts(expected: Record<string, number>, actual: Record<string, number>): void {
  const differences = Object.entries(expected)
    .filter(([table, rows]) => actual[table] !== rows)
    .map(([table, rows]) => `${table}: ${String(actual[table] ?? 'missing')} rows, the backup had ${rows}`);
  if (differences.length > 0) {
    throw new BackupError(
      'RESTORE_INCOMPLETE',
      `the restored database differs from the backup's manifest:\n  ${differences.join('\n  ')}`,
    );
  }
}

export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const { manifest, payload } = await inspectBackup(options.file);
  const target: DatabaseKind = options.databaseUrl ? 'postgres' : 'pglite';
  if (manifest.database.kind !== target) {
    throw new BackupError(
      'WRONG_DATABASE_KIND',
      manifest.database.kind === 'pglite'
        ? 'this is a backup of an embedded (PGlite) database: restore it with DATABASE_URL unset and DATA_DIR naming the new directory'
        : 'this is a backup of a PostgreSQL database: restore it with DATABASE_URL naming an empty PostgreSQL database',
    );
  }
  await checkMigrationsKnown(manifest);
  const log = options.log ?? (() => undefined);
  const path = resolve(options.file);
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  const restored = options.databaseUrl
    ? await restorePostgres(options.databaseUrl, path, payload, manifest, options.force ?? false, log)
    : await restorePglite(options.dataDir, path, payload, manifest, options.force ?? false, log);
  return { manifest, tables: Object.keys(manifest.tables).length, rows, ...restored };
}

async function migrateForward(
  open: () => ReturnType<typeof openDatabase>,
  query: Query,
): Promise<{ migrated: string[] }> {
  const journal = await readJournal();
  const before = await migrationState(query, journal);
  const handle = await open();
  try {
    await migrateDatabase(handle);
    await ensureBuiltInPolicies(handle.db);
  } finally {
    await handle.close();
  }
  const since = before.last?.createdAt ?? 0;
  return { migrated: journal.filter((e) => e.when > since).map((e) => e.tag) };
}

async function restorePostgres(
  databaseUrl: string,
  path: string,
  payload: ArchiveEntry,
  manifest: BackupManifest,
  force: boolean,
  log: (line: string) => void,
): Promise<{ migrated: string[] }> {
  const tool = await findTool('pg_restore');
  if (manifest.database.dumpToolMajor && tool.major < manifest.database.dumpToolMajor) {
    throw new BackupError(
      'PG_TOOLS_TOO_OLD',
      `the backup was written by pg_dump ${manifest.database.dumpToolMajor}, which pg_restore ${tool.major} ` +
        `cannot read; install postgresql-client-${manifest.database.dumpToolMajor} or newer`,
    );
  }
  const client = await connect(databaseUrl);
  const work = await mkdtemp(join(tmpdir(), 'aftersales-restore-'));
  try {
    const query = pgQuery(client);
    const present = await query<{ name: string }>(
      `select n.nspname || '.' || c.relname as name
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'p', 'S', 'v', 'm')
        order by 1`,
    );
    const [sessions] = await query<{ n: string }>(
      `select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    const others = Number(sessions?.n ?? 0);
    if (present.length > 0 && !force) {
      throw new BackupError(
        'DATABASE_NOT_EMPTY',
        `the target database is not empty (${present.length} tables and sequences, such as ` +
          `${present
            .slice(0, 3)
            .map((r) => r.name)
            .join(', ')}): restore into a new, empty database (createdb …), or pass --force to drop ` +
          `everything in its public and drizzle schemas first`,
      );
    }
    if (others > 0 && !force) {
      throw new BackupError(
        'DATABASE_IN_USE',
        `${others} other session(s) are connected to the target database (a running aftersales?): stop ` +
          `them first, or pass --force`,
      );
    }
    if (present.length > 0) {
      log(`aftersales: --force: dropping the schemas public and drizzle of the target database`);
      await client.query('begin');
      await client.query('drop schema if exists drizzle cascade');
      await client.query('drop schema if exists public cascade');
      await client.query('create schema public');
      await client.query('commit');
    }
    const dump = join(work, PG_PAYLOAD);
    await pipeline(memberStream(path, payload), createWriteStream(dump));
    const { dbname, env } = toolConnection(databaseUrl);
    log(`aftersales: pg_restore of ${basename(path)} (${manifest.payload.bytes} bytes)`);
    await runTool(
      tool,
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        `--dbname=${dbname}`,
        dump,
      ],
      env,
    );
    compareCounts(manifest.tables, await tableCounts(query));
    return await migrateForward(() => openDatabase({ databaseUrl }), query);
  } finally {
    await client.end();
    await rm(work, { recursive: true, force: true });
  }
}

async function restorePglite(
  dataDir: string,
  path: string,
  payload: ArchiveEntry,
  manifest: BackupManifest,
  force: boolean,
  log: (line: string) => void,
): Promise<{ migrated: string[]; movedAside?: string }> {
  const dir = assertEmbeddedDir(dataDir);
  const occupied = existsSync(dir) && readdirSync(dir).length > 0;
  if (occupied) {
    assertNotInUse(dir);
    if (!force) {
      throw new BackupError(
        'DATABASE_NOT_EMPTY',
        `${dir} is not empty: restore into a new DATA_DIR, or pass --force to move this one aside ` +
          `(it is kept, renamed, never deleted)`,
      );
    }
  }
  // Restored beside the target and renamed into place once complete: a failed restore leaves nothing.
  const staging = `${dir}.restoring-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    const blob = new Blob([new Uint8Array(await readMember(path, payload))]);
    let client: PGlite;
    try {
      client = await createPglite({ dataDir: staging, loadDataDir: blob });
    } catch (error) {
      throw new BackupError(
        'RESTORE_FAILED',
        `PGlite ${await pgliteVersion()} could not load the data directory written by PGlite ` +
          `${manifest.database.pgliteVersion ?? 'unknown'} (${manifest.database.serverVersion}): ${(error as Error).message}`,
      );
    }
    let migrated;
    try {
      const query = pgliteQuery(client);
      compareCounts(manifest.tables, await tableCounts(query));
      ({ migrated } = await migrateForward(() => openDatabase({ pglite: client }), query));
    } finally {
      if (!client.closed) await client.close();
    }
    let movedAside: string | undefined;
    if (occupied) {
      movedAside = `${dir}.before-restore-${defaultBackupName('pglite').replace(/^.*-(\w+)\.tar$/, '$1')}`;
      await rename(dir, movedAside);
      log(`aftersales: --force: the previous data directory is kept in ${movedAside}`);
    } else if (existsSync(dir)) {
      await rmdir(dir);
    }
    await rename(staging, dir);
    return movedAside ? { migrated, movedAside } : { migrated };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
