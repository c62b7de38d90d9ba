import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, purchases, units, uploads } from '../../src/db/schema.js';
import { DEMO_OEM_ORDER, DEMO_PURCHASES, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { MAX_UPLOAD_BYTES } from '../../src/domain/uploads.js';
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

describe.each(testDatabases())('uploads on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
  });

  const upload = (file: Buffer, kind = 'proof_of_purchase', options = {}) => {
    const body = multipart(file, options);
    return t.app.inject({ method: 'POST', url: `/api/v1/uploads?kind=${kind}`, ...body });
  };

  it('keeps a photo, typed by its bytes, with its digest and an audit event', async () => {
    const res = await upload(PNG, 'photo', {
      filename: '../../etc/receipt.png',
      contentType: 'application/pdf',
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ id: string }>();
    expect(body).toMatchObject({
      kind: 'photo',
      mediaType: 'image/png',
      sizeBytes: PNG.length,
      fileName: 'receipt.png',
    });
    const [row] = await t.db.db.select().from(uploads).where(eq(uploads.id, body.id));
    expect(row?.content.equals(PNG)).toBe(true);
    expect(row?.uploadedBy).toBe('guest');
    const [event] = await t.db.db.select().from(auditEvents).where(eq(auditEvents.entityId, body.id));
    expect(event).toMatchObject({ action: 'upload.stored', actor: 'guest' });
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
    // A file on nothing of theirs does not exist for a dealer; a technician may not read files at all.
    const dealer = await demoSession(t.app, 'dealer');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${id}`, headers: { cookie: dealer } }))
        .statusCode,
    ).toBe(404);
    const technician = await demoSession(t.app, 'technician');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${id}`, headers: { cookie: technician } }))
        .statusCode,
    ).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${id}` })).statusCode).toBe(401);
  });

  it('shows a proof of purchase to its purchase’s customer and dealer, and to nobody else of theirs', async () => {
    const stored = await upload(PDF, 'proof_of_purchase', { filename: 'receipt.pdf' });
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
    const res = await upload(html, 'photo', { filename: 'photo.png', contentType: 'image/png' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: { code: 'UNSUPPORTED_FILE_TYPE' } });
  });

  it('refuses a file over the limit with 413 and keeps nothing of it', async () => {
    const before = await t.db.db.$count(uploads);
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_UPLOAD_BYTES)]);
    const res = await upload(big, 'photo');
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await t.db.db.$count(uploads)).toBe(before);
  });

  it('refuses an empty file, a request without a file, a non-multipart body and an unknown kind', async () => {
    expect((await upload(Buffer.alloc(0))).json()).toMatchObject({ error: { code: 'EMPTY_FILE' } });
    const boundary = 'b';
    const noFile = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads?kind=photo',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}--\r\n`,
    });
    expect(noFile.statusCode).toBe(400);
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
