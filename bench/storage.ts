/*
 * What a row costs on disk, read from the bench's PostgreSQL database at the end of its run (after
 * the claim loads, the imports and the COPY): each table's heap, TOAST and indexes over its rows. The
 * capacity note (docs/scaling.md) multiplies these by a network's claims and sales a day.
 */
import pg from 'pg';

/** The tables a claim and a sale write, and the one every signed-in request reads. */
const TABLES = [
  'claims',
  'guest_access_tokens',
  'outbox',
  'events',
  'audit_events',
  'purchases',
  'units',
  'end_users',
  'maintenance_orders',
  'maintenance_order_events',
] as const;

export type TableBytes = { table: string; rows: number; bytesPerRow: number };

export async function bytesPerRow(url: string): Promise<TableBytes[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: TableBytes[] = [];
    for (const table of TABLES) {
      const { rows } = await client.query<{ rows: string; bytes: string }>(
        `select count(*) as rows, pg_total_relation_size('${table}') as bytes from ${table}`,
      );
      const count = Number(rows[0]?.rows ?? 0);
      out.push({
        table,
        rows: count,
        bytesPerRow: count === 0 ? 0 : Math.round(Number(rows[0]?.bytes ?? 0) / count),
      });
    }
    return out;
  } finally {
    await client.end();
  }
}
