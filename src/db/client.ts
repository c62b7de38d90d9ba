import { mkdir } from 'node:fs/promises';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite, type PgliteDatabase } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;

/** Either driver behind one type: code above this layer never knows which database it talks to. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** What `db.transaction` hands its callback; use cases take `Database | Transaction` alike. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://…`: use PostgreSQL through a connection pool. */
  databaseUrl?: string | undefined;
  /** PGlite's data directory, created when missing; `memory://` keeps it in memory. */
  dataDir?: string | undefined;
  /** An already created PGlite (tests load clones of a migrated template); closed with the handle. */
  pglite?: PGlite;
}

/**
 * The typed, driver-specific side of a handle. Only the migrator needs it (drizzle's migrators take the
 * driver's own database type, and PostgreSQL's advisory lock needs one dedicated connection).
 */
export type DriverAccess =
  | { kind: 'pglite'; db: PgliteDatabase<Schema>; client: PGlite }
  | { kind: 'postgres'; db: NodePgDatabase<Schema>; pool: pg.Pool };

const drivers = new WeakMap<DatabaseHandle, DriverAccess>();

export function driverOf(handle: DatabaseHandle): DriverAccess {
  const driver = drivers.get(handle);
  if (!driver) throw new Error('this database handle was not created by openDatabase()');
  return driver;
}

const POOL_SIZE = 10;
/** How long a query waits for a connection (a new one, or one of the pool's) before it gives up. */
const CONNECT_TIMEOUT_MS = 3000;

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.pglite) return pgliteHandle(options.pglite);
  if (options.databaseUrl) return postgresHandle(options.databaseUrl);
  const dataDir = options.dataDir;
  if (!dataDir) {
    // Falling back to memory would silently lose every claim on restart.
    throw new Error('openDatabase needs a databaseUrl, a dataDir or a pglite instance');
  }
  if (!dataDir.includes('://')) await mkdir(dataDir, { recursive: true });
  return pgliteHandle(await createPglite({ dataDir, startParams: PGLITE_START_PARAMS }));
}

/**
 * Every PGlite this project makes — the server's, a backup's or restore's, the tests' templates and
 * their clones, the benchmarks' — is made here, with the extensions the migrations create: pg_trgm for
 * the staff search's trigram indexes (migration 0025). A PGlite made without it could not run that
 * migration, nor read a database whose indexes use it.
 */
export function createPglite(options: PGliteOptions = {}): Promise<PGlite> {
  return PGlite.create({ ...options, extensions: { ...options.extensions, pg_trgm } });
}

/*
 * PGlite runs PostgreSQL on the event loop's thread, so anything slow inside it holds every request.
 * Each new 16 MB WAL segment used to be zero-filled there first: 50 ms on a quiet machine, over 100 ms
 * on a busy one, once per 16 MB written — a few large uploads were enough to delay /healthz past
 * 200 ms (issue 13). Without the zero fill a new segment is a sparse file and the same statements
 * block for at most ~20 ms. What the zero fill buys — disk blocks reserved ahead, and a segment that
 * is whole after a power cut — PGlite does not keep anyway: it runs with fsync off.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'wal_init_zero=off'];

function pgliteHandle(client: PGlite): DatabaseHandle {
  const db = drizzlePglite({ client, schema });
  const handle: DatabaseHandle = {
    db,
    kind: 'pglite',
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      // An open PGlite keeps the event loop alive, so a forgotten close() hangs the process.
      if (!client.closed) await client.close();
    },
  };
  drivers.set(handle, { kind: 'pglite', db, client });
  return handle;
}

function postgresHandle(connectionString: string): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    max: POOL_SIZE,
    // With the database down or every connection busy, a request is refused within seconds (503,
    // Retry-After) instead of waiting for ever; keep-alive notices a peer that vanished without a word.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // Without a listener an idle connection dropped by the server (restart, failover) would crash the
  // process; the pool already discards that connection and the next query opens a new one.
  pool.on('error', (error) => {
    console.warn(`database: idle connection lost: ${error.message}`);
  });
  const db = drizzleNodePg({ client: pool, schema });
  let closing: Promise<void> | undefined;
  const handle: DatabaseHandle = {
    db,
    kind: 'postgres',
    async ping() {
      await db.execute(sql`select 1`);
    },
    close() {
      // pool.end() rejects when called twice; a second close() waits for the first instead.
      closing ??= pool.end();
      return closing;
    },
  };
  drivers.set(handle, { kind: 'postgres', db, pool });
  return handle;
}
