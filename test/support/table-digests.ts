import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/rows.js';

export type TableDigest = { rows: number; md5: string };

/** `schema.table` of every table of the application's schemas (public and drizzle), sorted. */
export async function tablesOf(db: Database): Promise<string[]> {
  const result: unknown = await db.execute(sql`
    select n.nspname || '.' || c.relname as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'p')
     order by 1`);
  return rowsOf(result).map((r) => String(r.name));
}

export function qualifiedName(table: string): string {
  return table
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');
}

/**
 * Every table's row count and the MD5 of its rows' text forms in a fixed order: two databases with the
 * same digests hold the same rows, byte for byte (bytea and jsonb included), whatever their physical order.
 */
export async function tableDigests(db: Database): Promise<Map<string, TableDigest>> {
  const digests = new Map<string, TableDigest>();
  for (const table of await tablesOf(db)) {
    const result: unknown = await db.execute(
      sql.raw(
        `select count(*) as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 ` +
          `from ${qualifiedName(table)} t`,
      ),
    );
    const [row] = rowsOf(result);
    digests.set(table, { rows: Number(row?.n ?? 0), md5: typeof row?.md5 === 'string' ? row.md5 : '' });
  }
  return digests;
}

/** What differs between two digests, one line per table (empty when they agree). */
export function digestDifferences(
  expected: Map<string, TableDigest>,
  actual: Map<string, TableDigest>,
): string[] {
  const tables = new Set([...expected.keys(), ...actual.keys()]);
  const differences: string[] = [];
  for (const table of [...tables].sort()) {
    const a = expected.get(table);
    const b = actual.get(table);
    if (!a || !b) differences.push(`${table}: ${a ? 'missing after' : 'not in the source'}`);
    else if (a.rows !== b.rows || a.md5 !== b.md5)
      differences.push(`${table}: ${a.rows} rows (${a.md5}) vs ${b.rows} rows (${b.md5})`);
  }
  return differences;
}
