import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from './client.js';
import { rowsOf } from './rows.js';

/*
 * The busiest requests (a tracking look-up, a claim, any signed-in request's session) spent more CPU in
 * drizzle building a statement's text on every call than the driver spent sending it and reading the
 * answer (bench/results/latest.md). A statement defined here is built once per database with
 * `sql.placeholder`s for its parameters and reused; its name also lets PostgreSQL parse and plan it once
 * per connection. Names are the server's prepared-statement names, so they must be unique.
 */
const names = new Set<string>();

function claimName(name: string): void {
  if (names.has(name)) throw new Error(`a prepared statement named ${name} is already defined`);
  names.add(name);
}

/**
 * A query-builder statement, built on first use against each database and kept:
 * `const byId = preparedStatement('x_by_id', (db, name) => db.select()…where(eq(t.id, sql.placeholder('id'))).prepare(name))`,
 * then `byId(db).execute({ id })`. Only for the top-level database: a transaction's statements are
 * bound to its connection, so they go through `rawStatement` or the builder.
 */
export function preparedStatement<Q>(
  name: string,
  build: (db: Database, name: string) => Q,
): (db: Database) => Q {
  claimName(name);
  const perDatabase = new WeakMap<Database, Q>();
  return (db) => {
    let statement = perDatabase.get(db);
    if (statement === undefined) {
      statement = build(db, name);
      perDatabase.set(db, statement);
    }
    return statement;
  };
}

const dialect = new PgDialect();

/**
 * A statement the query builder cannot say (a chain of inserts in one CTE), written with drizzle's `sql`
 * so that tables and columns are still named by the schema, its text rendered once. Runs on the database
 * or inside a transaction; rows come back as PostgreSQL names them, timestamps and dates as text.
 */
export function rawStatement<Row extends Record<string, unknown>>(
  name: string,
  query: SQL,
): (db: Database | Transaction, values: Record<string, unknown>) => Promise<Row[]> {
  claimName(name);
  const rendered = dialect.sqlToQuery(query);
  return async (db, values) => {
    const result: unknown = await db._.session.prepareQuery(rendered, undefined, name, false).execute(values);
    return rowsOf(result) as Row[];
  };
}
