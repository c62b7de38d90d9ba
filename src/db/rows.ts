/**
 * The rows of a raw `db.execute(sql…)`: node-postgres and PGlite both answer `{ rows }`, but drizzle
 * types the result over either driver as `unknown`, so it is checked here rather than cast at each call.
 */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) {
    return result.rows as Record<string, unknown>[];
  }
  throw new Error('the database answered a raw query without rows');
}

/** The one value of a one-row, one-column query. */
export function scalarOf(result: unknown, column: string): unknown {
  const [row] = rowsOf(result);
  if (!row || !(column in row)) throw new Error(`the query returned no ${column}`);
  return row[column];
}
