import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, purchases, units, uploadChunks, uploads } from '../../src/db/schema.js';
import { DEMO_OEM_ORDER, DEMO_PURCHASES, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { MAX_UPLOAD_BYTES } from '../../src/domain/uploads.js';
import type { Database } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/rows.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { oemWorld } from '../support/oem-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/** The smallest valid PNG: a 1×1 transparent pixel. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
/** The start of a JPEG (SOI, JFIF APP0): enough for its type to be recognised. */
const JPEG_HEAD = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');

function multipart(file: Buffer, options: { filename?: string; contentType?: string } = {}) {
  const boundary = '----aftersales-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${options.filename ?? 'receipt.png'}"\r\n` +
      `Content-Type: ${options.contentType ?? 'image/png'}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, file, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A guest flow's ticket, as the web page would ask for it. */
export async function uploadTicket(app: FastifyInstance, remoteAddress?: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/uploads/tickets',
    payload: { purpose: 'purchase.register' },
    ...(remoteAddress === undefined ? {} : { remoteAddress }),
  });
  if (res.statusCode !== 201) throw new Error(`no upload ticket: ${res.body}`);
  return res.json<{ ticket: string }>().ticket;
}

/** The bytes a stored file's slices hold, put together in the database. */
async function storedBytes(t: { db: { db: Database } }, id: string): Promise<Buffer> {
  const [row] = rowsOf(
    await t.db.db.execute(
      sql`select encode(string_agg(content, ''::bytea order by seq), 'hex') as hex from upload_chunks where upload_id = ${id}`,
    ),
  );
  return Buffer.from(typeof row?.hex === 'string' ? row.hex : '', 'hex');
}

describe.each(testDatabases())('uploads on $name', (testDb) => {
  const tempDir = mkdtempSync(path.join(tmpdir(), 'aftersales-upload-test-'));
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000', UPLOAD_TEMP_DIR: tempDir });
  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
  });

  /** A guest's upload, with a fresh ticket unless one is given (null: none). */
  const upload = async (
    file: Buffer,
    kind = 'proof_of_purchase',
    options: { filename?: string; contentType?: string; ticket?: string | null } = {},
  ) => {
    const body = multipart(file, options);
    const ticket = options.ticket === undefined ? await uploadTicket(t.app) : options.ticket;
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/uploads?kind=${kind}`,
      payload: body.payload,
      headers: { ...body.headers, ...(ticket === null ? {} : { 'upload-ticket': ticket }) },
    });
  };

  it('keeps a file, typed by its bytes, with its digest, its slices and an audit event', async () => {
    const customer = await demoSession(t.app, 'customer');
    const body = multipart(PNG, { filename: '../../etc/receipt.png', contentType: 'application/pdf' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads?kind=photo',
      payload: body.payload,
      headers: { ...body.headers, cookie: customer, origin: ORIGIN },
    });
    expect(res.statusCode, res.body).toBe(201);
    const stored = res.json<{ id: string }>();
    expect(stored).toMatchObject({
      kind: 'photo',
      mediaType: 'image/png',
      sizeBytes: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
      fileName: 'receipt.png',
    });
    expect((await storedBytes(t, stored.id)).equals(PNG)).toBe(true);
    const [event] = await t.db.db.select().from(auditEvents).where(eq(auditEvents.entityId, stored.id));
    expect(event).toMatchObject({
      action: 'upload.stored',
      actor: expect.stringMatching(/^user:/) as string,
    });
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('keeps a guest’s file sent with a ticket, and names the ticket on it', async () => {
    const res = await upload(PNG, 'proof_of_purchase');
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await t.db.db.select().from(uploads).where(eq(uploads.id, res.json<{ id: string }>().id));
    expect(row).toMatchObject({ uploadedBy: 'guest', ticketId: expect.any(String) as string });
  });

  it('serves a file of many slices back whole, byte for byte', async () => {
    // Three slices and a bit: the last one short.
    const big = Buffer.concat([PDF, Buffer.alloc(3 * 256 * 1024 + 1000, 7)]);
    const res = await upload(big, 'proof_of_purchase', { filename: 'scan.pdf' });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: string }>().id;
    expect(await t.db.db.$count(uploadChunks, eq(uploadChunks.uploadId, id))).toBe(4);
    const support = await demoSession(t.app, 'support');
    const file = await t.app.inject({
      method: 'GET',
      url: `/api/v1/uploads/${id}`,
      headers: { cookie: support },
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-length']).toBe(String(big.length));
    expect(file.rawPayload.equals(big)).toBe(true);
  });

  it('accepts a PDF proof of purchase and serves it back to support as an attachment', async () => {
    const res = await upload(PDF, 'proof_of_purchase', {
      filename: 'invoice.pdf',
      contentType: 'application/pdf',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: string }>().id;
    const support = await demoSession(t.app, 'support');
    const file = await t.app.inject({
      method: 'GET',
      url: `/api/v1/uploads/${id}`,
      headers: { cookie: support },
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe('attachment');
    expect(String(file.headers['content-security-policy'])).toContain('sandbox');
    expect(file.rawPayload.equals(PDF)).toBe(true);
    // A file on nothing of theirs does not exist for a dealer, nor for a technician (who reads the files of
    // its center's conversations only).
    const dealer = await demoSession(t.app, 'dealer');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${id}`, headers: { cookie: dealer } }))
        .statusCode,
    ).toBe(404);
    const technician = await demoSession(t.app, 'technician');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${id}`, headers: { cookie: technician } }))
        .statusCode,
    ).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${id}` })).statusCode).toBe(401);
  });

  it('shows a proof of purchase to its purchase’s customer and dealer, and to nobody else of theirs', async () => {
    const stored = await upload(PDF, 'proof_of_purchase', { filename: 'receipt.pdf' });
    expect(stored.statusCode, stored.body).toBe(201);
    const id = stored.json<{ id: string }>().id;
    const liWei = DEMO_PURCHASES.find((p) => p.endUser === 0);
    const [purchase] = await t.db.db
      .select({ id: purchases.id })
      .from(purchases)
      .innerJoin(units, eq(units.id, purchases.unitId))
      .where(eq(units.serial, liWei?.serial ?? ''));
    if (!purchase) throw new Error('the demo seed has Li Wei’s purchase');
    await t.db.db.update(purchases).set({ proofUploadId: id }).where(eq(purchases.id, purchase.id));
    const read = async (role: 'customer' | 'dealer' | 'oem') =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/uploads/${id}`,
          headers: { cookie: await demoSession(t.app, role) },
        })
      ).statusCode;
    // Li Wei bought it from the demo dealer; the demo OEM client has nothing to do with it.
    expect(await read('customer')).toBe(200);
    expect(await read('dealer')).toBe(200);
    expect(await read('oem')).toBe(404);
  });

  it('shows defect evidence to its OEM client, and another client’s to nobody of theirs', async () => {
    const world = await oemWorld(t.db.db);
    const support = await demoSession(t.app, 'support');
    const oem = await demoSession(t.app, 'oem');
    const evidenceOn = async (orderId: string, lot: string) => {
      const stored = await t.app.inject({
        method: 'POST',
        url: '/api/v1/uploads?kind=evidence',
        headers: { ...multipart(PNG).headers, cookie: support, origin: ORIGIN },
        payload: multipart(PNG).payload,
      });
      expect(stored.statusCode, stored.body).toBe(201);
      const uploadId = stored.json<{ id: string }>().id;
      const reported = await t.app.inject({
        method: 'POST',
        url: `/api/v1/oem-orders/${orderId}/defect-reports`,
        headers: { cookie: support, origin: ORIGIN },
        payload: { lot, units: 1, failureMode: 'No sound on the left', evidenceUploadIds: [uploadId] },
      });
      expect(reported.statusCode, reported.body).toBe(201);
      return uploadId;
    };
    const own = await evidenceOn(world.demoOrder, DEMO_OEM_ORDER.lots[0]);
    const other = await evidenceOn(world.otherOrder, 'BTH500-L2502N');
    const read = async (id: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${id}`, headers: { cookie: oem } }))
        .statusCode;
    expect(await read(own)).toBe(200);
    expect(await read(other)).toBe(404);
  });

  it('gives back to a customer the file they uploaded themselves, and to no dealer', async () => {
    const customer = await demoSession(t.app, 'customer');
    const stored = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads?kind=proof_of_purchase',
      headers: { ...multipart(PNG).headers, cookie: customer, origin: ORIGIN },
      payload: multipart(PNG).payload,
    });
    expect(stored.statusCode, stored.body).toBe(201);
    const id = stored.json<{ id: string }>().id;
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/v1/uploads/${id}`,
      headers: { cookie: customer },
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.rawPayload.equals(PNG)).toBe(true);
    const dealer = await demoSession(t.app, 'dealer');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${id}`, headers: { cookie: dealer } }))
        .statusCode,
    ).toBe(404);
  });

  it('refuses a file whose bytes are not an accepted type, whatever it claims to be', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const res = await upload(html, 'proof_of_purchase', { filename: 'photo.png', contentType: 'image/png' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: { code: 'UNSUPPORTED_FILE_TYPE' } });
  });

  it('takes a file of exactly 10 MB, and refuses one byte more with 413 keeping nothing of it', async () => {
    const exact = Buffer.alloc(MAX_UPLOAD_BYTES, 0x41);
    JPEG_HEAD.copy(exact);
    const res = await upload(exact, 'proof_of_purchase', { filename: 'receipt.jpg' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      sizeBytes: MAX_UPLOAD_BYTES,
      mediaType: 'image/jpeg',
      sha256: createHash('sha256').update(exact).digest('hex'),
    });
    expect(await t.db.db.$count(uploadChunks, eq(uploadChunks.uploadId, res.json<{ id: string }>().id))).toBe(
      40,
    );

    const before = await t.db.db.$count(uploads);
    const ticket = await uploadTicket(t.app);
    const over = await upload(Buffer.concat([exact, Buffer.from('A')]), 'proof_of_purchase', { ticket });
    expect(over.statusCode).toBe(413);
    expect(over.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await t.db.db.$count(uploads)).toBe(before);
    expect(readdirSync(tempDir)).toEqual([]);
    // A refused file does not use up its ticket.
    expect((await upload(PNG, 'proof_of_purchase', { ticket })).statusCode).toBe(201);
    // A body declaring more than any file of the limit is refused before it is read.
    const declared = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads?kind=proof_of_purchase',
      headers: {
        'content-type': 'multipart/form-data; boundary=x',
        'upload-ticket': await uploadTicket(t.app),
      },
      payload: Buffer.alloc(MAX_UPLOAD_BYTES + 64 * 1024),
    });
    expect(declared.statusCode).toBe(413);
  });

  it('refuses an empty file, a request without a file, a non-multipart body and an unknown kind', async () => {
    expect((await upload(Buffer.alloc(0))).json()).toMatchObject({ error: { code: 'EMPTY_FILE' } });
    const boundary = 'b';
    const noFile = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads?kind=proof_of_purchase',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'upload-ticket': await uploadTicket(t.app),
      },
      payload: `--${boundary}--\r\n`,
    });
    expect(noFile.statusCode).toBe(400);
    // A body that ends in the middle of the file: the client's mistake, not the server's.
    const cut = multipart(PNG).payload;
    const truncated = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads?kind=proof_of_purchase',
      headers: { ...multipart(PNG).headers, 'upload-ticket': await uploadTicket(t.app) },
      payload: cut.subarray(0, cut.length - 30),
    });
    expect(truncated.statusCode, truncated.body).toBe(400);
    expect(truncated.json()).toMatchObject({ error: { code: 'MALFORMED_MULTIPART' } });
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads?kind=photo',
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    const kind = await upload(PNG, 'selfie');
    expect(kind.statusCode).toBe(400);
    expect(kind.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
