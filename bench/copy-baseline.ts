/*
 * The import's baseline (issue 18 item 3): PostgreSQL's own COPY FROM STDIN writing the same rows an
 * import of a dealer's sales writes — for each sale a unit, a customer, a purchase, its audit event and
 * its event — into the same tables, with the same indexes, foreign keys and checks, one transaction a
 * file. It does none of the import's reading (products, units on record, customers by contact): it is
 * what the database needs to take the rows in, so the import's ratio to it is the app's share.
 *
 * node-postgres has no COPY of its own (the `pg-copy-streams` package adds it, and is not a dependency):
 * the protocol's part is small, so a Query that answers the server's CopyInResponse with the data is
 * written here.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

type Connection = { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void };

/** `COPY … FROM STDIN` with the whole data in memory, sent in 64 KiB CopyData messages. */
class CopyIn extends pg.Query {
  constructor(
    text: string,
    private readonly data: Buffer,
    callback: (err: Error | undefined) => void,
  ) {
    super(text, undefined, callback);
  }

  handleCopyInResponse(connection: Connection): void {
    for (let at = 0; at < this.data.length; at += 65_536) {
      connection.sendCopyFromChunk(this.data.subarray(at, at + 65_536));
    }
    connection.endCopyFrom();
  }
}

function copyIn(client: pg.Client, text: string, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // A submittable is answered through its callback; query() returns it, not a promise.
    client.query(
      new CopyIn(text, Buffer.from(data), (err) => {
        if (err) reject(err);
        else resolve();
      }),
    );
  });
}

/** COPY's text format: tab-separated, `\N` for null, backslash escapes. */
const field = (v: string | null) =>
  v === null
    ? '\\N'
    : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
const line = (values: (string | null)[]) => `${values.map(field).join('\t')}\n`;

export type CopySales = {
  files: number;
  rowsPerFile: number;
  productId: string;
  dealerId: string;
  /** Who recorded the sales, as the audit log names them (`user:<id>`). */
  recordedBy: string;
  purchaseDate: string;
  /** A `purchase.recorded` event's data as the app wrote it, sent for each sale (same size and shape). */
  eventData: string;
};

/** Rows a second, over `files` transactions of `rowsPerFile` sales each, one after another. */
export async function copyRowsPerSecond(url: string, o: CopySales): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    for (let f = 0; f < o.files; f++) {
      let units = '';
      let customers = '';
      let purchases = '';
      let audit = '';
      let events = '';
      const now = new Date().toISOString();
      for (let i = 0; i < o.rowsPerFile; i++) {
        const n = f * o.rowsPerFile + i;
        const unitId = randomUUID();
        const customerId = randomUUID();
        const purchaseId = randomUUID();
        const name = `Copy Buyer ${n}`;
        const email = `copy.buyer.${n}@example.com`;
        const phone = `+86138${String(n).padStart(8, '0')}`;
        units += line([unitId, `BENCH-CP-${String(n).padStart(7, '0')}`, o.productId, 'unknown', 'sold']);
        customers += line([customerId, name, email, phone]);
        purchases += line([
          purchaseId,
          o.productId,
          unitId,
          o.dealerId,
          customerId,
          o.purchaseDate,
          o.recordedBy,
          'verified',
          o.recordedBy,
          now,
          name,
          email,
          phone,
        ]);
        audit += line([
          o.recordedBy,
          'purchase.recorded',
          'purchase',
          purchaseId,
          JSON.stringify({
            dealerId: o.dealerId,
            productId: o.productId,
            unitId,
            endUserId: customerId,
            purchaseDate: o.purchaseDate,
            verification: 'verified',
            via: 'csv_import',
          }),
        ]);
        events += line([
          randomUUID(),
          'purchase.recorded',
          now,
          'purchase',
          purchaseId,
          o.dealerId,
          customerId,
          o.eventData,
        ]);
      }
      await client.query('begin');
      await copyIn(client, 'copy units (id, serial, product_id, lot, state) from stdin', units);
      await copyIn(client, 'copy end_users (id, name, email, phone) from stdin', customers);
      await copyIn(
        client,
        `copy purchases (id, product_id, unit_id, dealer_id, end_user_id, purchase_date, recorded_by,
           verification, verified_by, verified_at, buyer_name, buyer_email, buyer_phone) from stdin`,
        purchases,
      );
      await copyIn(
        client,
        'copy audit_events (actor, action, entity_type, entity_id, data) from stdin',
        audit,
      );
      await copyIn(
        client,
        'copy events (id, type, occurred_at, subject_type, subject_id, dealer_id, end_user_id, data) from stdin',
        events,
      );
      await client.query('commit');
    }
    return Math.round((o.files * o.rowsPerFile) / ((performance.now() - started) / 1000));
  } finally {
    await client.end();
  }
}

/**
 * What the COPY takes from the app's own import, run just before on the same database: the product,
 * dealer, recorder and day of a sale it imported, and the data of the `purchase.recorded` event it wrote.
 */
export async function importTemplate(url: string): Promise<Omit<CopySales, 'files' | 'rowsPerFile'>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{
      product_id: string;
      dealer_id: string;
      recorded_by: string;
      purchase_date: string;
      event_data: string;
    }>(`select p.product_id, p.dealer_id, p.recorded_by, p.purchase_date::text as purchase_date,
              e.data::text as event_data
        from purchases p
        join events e on e.subject_type = 'purchase' and e.subject_id = p.id::text and e.type = 'purchase.recorded'
        where p.buyer_email like 'buyer.%@example.com' and p.dealer_id is not null
        limit 1`);
    const [row] = rows;
    if (!row) throw new Error('bench: no imported sale to copy the shape of');
    return {
      productId: row.product_id,
      dealerId: row.dealer_id,
      recordedBy: row.recorded_by,
      purchaseDate: row.purchase_date,
      eventData: row.event_data,
    };
  } finally {
    await client.end();
  }
}
