import { getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from './client.js';

/**
 * Inserts many rows as one statement with one array parameter per column (`INSERT … SELECT * FROM
 * unnest($1::uuid[], $2::text[], …)`). A multi-row VALUES list costs a parameter per cell: building it
 * was most of a CSV import's time in the ORM, and parsing it most of the database's (see
 * bench/results/latest.md). Every row must give the same columns; those left out get their defaults.
 */
export async function insertMany<T extends PgTable>(
  db: Database | Transaction,
  table: T,
  rows: readonly T['$inferInsert'][],
): Promise<void> {
  const [first] = rows;
  if (first === undefined) return;
  const given = (row: object) =>
    Object.keys(row)
      .filter((k) => (row as Record<string, unknown>)[k] !== undefined)
      .sort()
      .join(',');
  const keys = given(first);
  if (rows.some((r) => given(r) !== keys)) {
    throw new Error(`insertMany: every row must give the same columns (${keys})`);
  }
  const columns = Object.entries(getTableColumns(table)).filter(
    ([key]) => (first as Record<string, unknown>)[key] !== undefined,
  );
  const names = sql.join(
    columns.map(([, column]) => sql.identifier(column.name)),
    sql`, `,
  );
  const arrays = sql.join(
    columns.map(([key, column]) => {
      const values = rows.map((row) => {
        const value = (row as Record<string, unknown>)[key];
        return value === null ? null : column.mapToDriverValue(value);
      });
      return sql`${sql.param(values)}::${sql.raw(column.getSQLType())}[]`;
    }),
    sql`, `,
  );
  await db.execute(sql`insert into ${table} (${names}) select * from unnest(${arrays})`);
}
