import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { type DatabaseHandle, driverOf } from './client.js';
import * as schema from './schema.js';

/**
 * Arbitrary but fixed: every process of this application (and of its tests) agrees on it, so app
 * instances starting together migrate one after the other.
 */
export const MIGRATION_LOCK_KEY = 7_361_205_114;

/**
 * The committed SQL lives in src/db/migrations and is not copied by tsc, so the folder is found from the
 * project root: this file runs from src/db (tsx, vitest) or from dist/src/db (compiled).
 */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const folder = join(dir, 'src', 'db', 'migrations');
      if (existsSync(join(folder, 'meta', '_journal.json'))) return folder;
      throw new Error(`the project at ${dir} has no migrations in src/db/migrations`);
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    }
    dir = parent;
  }
}

export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  const driver = driverOf(handle);
  const config = { migrationsFolder: migrationsFolder() };
  if (driver.kind === 'pglite') {
    // PGlite is single-connection and owned by this process: nothing to race with.
    await migratePglite(driver.db, config);
    return;
  }
  // A session-level lock belongs to a connection, so lock, migrate and unlock all on one client.
  const client = await driver.pool.connect();
  let broken = false;
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrateNodePg(drizzle({ client, schema }), config);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    // The lock may still be held by this connection: do not hand it back to the pool.
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
}
