import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepStaleUploadFiles } from '../../src/app/uploads/receive-upload.js';
import { writeUploadBytes } from '../../src/app/uploads/upload-content.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { scalarOf } from '../../src/db/rows.js';
import {
  auditEvents,
  defectReportEvidence,
  oemDefectReports,
  oemOrders,
  purchases,
  uploadChunks,
  uploads,
  uploadTickets,
} from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { MAX_UPLOAD_BYTES, UPLOAD_TICKET_TTL_MS } from '../../src/domain/uploads.js';
import { runUnclaimedUploadCleanup } from '../../src/jobs/unclaimed-uploads.js';
import { buildTestApp, TEST_NOW } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { oemWorld, PNG } from '../support/oem-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Issue 13 items 1 and 7: who may send a file without an account (a ticket of the guest flow, once),
 * who may attach it (whoever holds that ticket, or its signed-in sender), how many bytes an address may
 * store a day, files refused early and dropped mid-way leaving nothing behind, and the files attached
 * to nothing deleted after a day.
 */

const BOUNDARY = '----aftersales-guard-boundary';
function multipart(file: Buffer, filename = 'receipt.png') {
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  };
}

const errorCode = (res: { body: string }) => (JSON.parse(res.body) as { error: { code: string } }).error.code;

describe.each(testDatabases())('upload guards on $name', (testDb) => {
  const tempDir = mkdtempSync(path.join(tmpdir(), 'aftersales-upload-guards-'));
  let db: DatabaseHandle;
  let app: FastifyInstance;
  /** The app's clock, moved by the tests. */
  let now = TEST_NOW;
  const BYTES_PER_DAY = 4 * PNG.length;

  beforeAll(async () => {
    db = await testDb.open();
    await seedDemoData(db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    app = await buildTestApp(
      db,
      {
        AUTH_RATE_LIMIT_PER_MINUTE: '1000',
        UPLOAD_TEMP_DIR: tempDir,
        UPLOAD_BYTES_PER_IP_PER_DAY: String(BYTES_PER_DAY),
      },
      () => now,
    );
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  /** Every request from its own address unless one is given, so the day's byte cap stays out of the way. */
  let nextAddress = 1;
  const freshAddress = () => `10.13.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;

  const ticketFor = async (remoteAddress = freshAddress()) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/uploads/tickets',
      payload: { purpose: 'purchase.register' },
      remoteAddress,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ ticket: string; kinds: string[]; expiresAt: string }>();
  };
  const send = (
    options: { ticket?: string; cookie?: string; kind?: string; file?: Buffer; remoteAddress?: string } = {},
  ) => {
    const body = multipart(options.file ?? PNG);
    return app.inject({
      method: 'POST',
      url: `/api/v1/uploads?kind=${options.kind ?? 'proof_of_purchase'}`,
      remoteAddress: options.remoteAddress ?? freshAddress(),
      payload: body.payload,
      headers: {
        ...body.headers,
        ...(options.ticket === undefined ? {} : { 'upload-ticket': options.ticket }),
        ...(options.cookie === undefined ? {} : { cookie: options.cookie, origin: ORIGIN }),
      },
    });
  };
  const register = async (cookie: string, proofUploadId: string, uploadTicket?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/purchases/register',
      headers: { cookie, origin: ORIGIN },
      payload: {
        sku: 'HS-200',
        purchaseDate: '2026-11-10',
        proofUploadId,
        ...(uploadTicket === undefined ? {} : { uploadTicket }),
      },
    });

  describe('tickets', () => {
    it('issues a ticket for one receipt, good for 30 minutes, keeping only its digest', async () => {
      const issued = await ticketFor();
      expect(issued.kinds).toEqual(['proof_of_purchase']);
      expect(Date.parse(issued.expiresAt)).toBe(TEST_NOW.epochMilliseconds + UPLOAD_TICKET_TTL_MS);
      const rows = await db.db.select().from(uploadTickets);
      expect(rows.some((r) => r.tokenHash.includes(issued.ticket))).toBe(false);
    });

    it('refuses a guest’s file without a ticket, with an unknown one, and a malformed one', async () => {
      const before = await db.db.$count(uploads);
      const none = await send();
      expect(none.statusCode).toBe(401);
      expect(errorCode(none)).toBe('UPLOAD_TICKET_REQUIRED');
      const unknown = await send({ ticket: 'A'.repeat(43) });
      expect(unknown.statusCode).toBe(401);
      expect(errorCode(unknown)).toBe('UPLOAD_TICKET_INVALID');
      const malformed = await send({ ticket: 'not a ticket' });
      expect(malformed.statusCode).toBe(400);
      expect(await db.db.$count(uploads)).toBe(before);
    });

    it('takes one file per ticket: a replay is 409, and two at once store one', async () => {
      const { ticket } = await ticketFor();
      expect((await send({ ticket })).statusCode).toBe(201);
      const replay = await send({ ticket });
      expect(replay.statusCode).toBe(409);
      expect(errorCode(replay)).toBe('UPLOAD_TICKET_USED');

      const second = await ticketFor();
      const both = await Promise.all([send({ ticket: second.ticket }), send({ ticket: second.ticket })]);
      expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    });

    it('refuses an expired ticket and a file of a kind its flow does not take', async () => {
      const { ticket } = await ticketFor();
      const wrongKind = await send({ ticket, kind: 'photo' });
      expect(wrongKind.statusCode).toBe(400);
      expect(errorCode(wrongKind)).toBe('UPLOAD_TICKET_WRONG_KIND');
      now = TEST_NOW.add({ milliseconds: UPLOAD_TICKET_TTL_MS });
      try {
        const expired = await send({ ticket });
        expect(expired.statusCode).toBe(401);
        expect(errorCode(expired)).toBe('UPLOAD_TICKET_EXPIRED');
      } finally {
        now = TEST_NOW;
      }
    });

    it('lets a signed-in person send without a ticket', async () => {
      const res = await send({ cookie: await demoSession(app, 'customer') });
      expect(res.statusCode, res.body).toBe(201);
    });

    it('lets a guest’s receipt be attached only with its own ticket, by anyone signed in as a customer', async () => {
      const customer = await demoSession(app, 'customer');
      const mine = await ticketFor();
      const theirs = await ticketFor();
      const uploaded = await send({ ticket: mine.ticket });
      const proof = uploaded.json<{ id: string }>().id;
      // No ticket, or someone else's: as if the file did not exist.
      const without = await register(customer, proof);
      expect(without.statusCode).toBe(404);
      expect(errorCode(without)).toBe('UPLOAD_NOT_FOUND');
      expect((await register(customer, proof, theirs.ticket)).statusCode).toBe(404);
      // Defect evidence is no way round it, even for support, who may attach any staff upload.
      const support = await demoSession(app, 'support');
      const world = await oemWorld(db.db);
      const [order] = await db.db.select().from(oemOrders).where(eq(oemOrders.id, world.demoOrder));
      const asEvidence = await app.inject({
        method: 'POST',
        url: `/api/v1/oem-orders/${world.demoOrder}/defect-reports`,
        headers: { cookie: support, origin: ORIGIN },
        payload: { lot: order?.lots[0], units: 1, failureMode: 'No sound', evidenceUploadIds: [proof] },
      });
      expect(asEvidence.statusCode).toBe(400);
      expect(errorCode(asEvidence)).toBe('EVIDENCE_NOT_FOUND');
      // With its ticket: attached, once.
      const registered = await register(customer, proof, mine.ticket);
      expect(registered.statusCode, registered.body).toBe(201);
      expect((await register(customer, proof, mine.ticket)).statusCode).toBe(409);
    });

    it('rate limits asking for tickets per address', async () => {
      const strict = await buildTestApp(db, { AUTH_RATE_LIMIT_PER_MINUTE: '2', UPLOAD_TEMP_DIR: tempDir });
      try {
        const ask = () =>
          strict.inject({
            method: 'POST',
            url: '/api/v1/uploads/tickets',
            payload: { purpose: 'purchase.register' },
            remoteAddress: '10.99.0.1',
          });
        expect((await ask()).statusCode).toBe(201);
        expect((await ask()).statusCode).toBe(201);
        const third = await ask();
        expect(third.statusCode).toBe(429);
        expect(errorCode(third)).toBe('RATE_LIMITED');
      } finally {
        await strict.close();
      }
    });
  });

  describe('the day’s bytes per address', () => {
    it('stores up to UPLOAD_BYTES_PER_IP_PER_DAY from one address, then 429, and other addresses go on', async () => {
      const cookie = await demoSession(app, 'oem');
      const address = '10.200.0.1';
      const before = await db.db.$count(uploads);
      for (let i = 0; i < 4; i++) {
        const res = await send({ cookie, kind: 'evidence', remoteAddress: address });
        expect(res.statusCode, res.body).toBe(201);
      }
      // One byte more than the day allows: refused, and nothing of it kept.
      const over = await send({ cookie, kind: 'evidence', remoteAddress: address });
      expect(over.statusCode).toBe(429);
      expect(errorCode(over)).toBe('UPLOAD_BYTES_PER_DAY_EXCEEDED');
      expect(await db.db.$count(uploads)).toBe(before + 4);
      // Signed in or not: the address has sent its day's bytes.
      const guest = await send({ ticket: (await ticketFor(address)).ticket, remoteAddress: address });
      expect(guest.statusCode).toBe(429);
      expect((await send({ cookie, kind: 'evidence', remoteAddress: '10.200.0.2' })).statusCode).toBe(201);
      // The next day, the address starts again.
      now = TEST_NOW.add({ hours: 24 });
      try {
        expect((await send({ cookie, kind: 'evidence', remoteAddress: address })).statusCode).toBe(201);
      } finally {
        now = TEST_NOW;
      }
    });
  });

  describe('files refused or dropped on the way', () => {
    let url = '';
    let served: FastifyInstance;
    beforeAll(async () => {
      served = await buildTestApp(
        db,
        { AUTH_RATE_LIMIT_PER_MINUTE: '1000', UPLOAD_TEMP_DIR: tempDir },
        () => now,
      );
      await served.listen({ port: 0, host: '127.0.0.1' });
      url = `http://127.0.0.1:${(served.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await served.close();
    });

    /** Starts a 10 MB upload whose first bytes are `head`, sends `sent` bytes of it and no more. */
    const partialUpload = async (head: Buffer, sent: number) => {
      const { ticket } = await ticketFor();
      const file = Buffer.alloc(MAX_UPLOAD_BYTES, 0x41);
      head.copy(file);
      const body = multipart(file);
      const req = httpRequest(`${url}/api/v1/uploads?kind=proof_of_purchase`, {
        method: 'POST',
        headers: { ...body.headers, 'content-length': body.payload.length, 'upload-ticket': ticket },
      });
      const response = new Promise<{ status: number; body: string } | Error>((resolve) => {
        req.on('response', (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body: text });
          });
        });
        req.on('error', resolve);
      });
      req.write(body.payload.subarray(0, sent));
      return { req, response };
    };

    it('refuses a file of the wrong type after its first bytes, before the rest is sent', async () => {
      const before = await db.db.$count(uploads);
      const { req, response } = await partialUpload(
        Buffer.from('<html><script>alert(1)</script>'),
        64 * 1024,
      );
      // The client has sent 64 KiB of 10 MB and waits: the answer comes anyway.
      const answer = await response;
      req.destroy();
      expect(answer).toMatchObject({ status: 415 });
      expect(JSON.parse((answer as { body: string }).body)).toMatchObject({
        error: { code: 'UNSUPPORTED_FILE_TYPE' },
      });
      expect(await db.db.$count(uploads)).toBe(before);
      expect(readdirSync(tempDir)).toEqual([]);
    });

    it('keeps nothing of an upload the client drops half-way: no row, no temporary file', async () => {
      const before = await db.db.$count(uploads);
      const { req } = await partialUpload(Buffer.from('ffd8ffe000104a464946', 'hex'), 5 * 1024 * 1024);
      // The server has started writing the temporary file…
      for (let i = 0; i < 100 && readdirSync(tempDir).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(readdirSync(tempDir)).toHaveLength(1);
      req.destroy();
      // …and removes it once the client is gone.
      for (let i = 0; i < 100 && readdirSync(tempDir).length > 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(readdirSync(tempDir)).toEqual([]);
      expect(await db.db.$count(uploads)).toBe(before);
      // The server goes on serving.
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    });

    it('removes temporary files a killed process left, not those still being written', async () => {
      const left = path.join(tempDir, 'upload-left-by-a-crash.part');
      const live = path.join(tempDir, 'upload-being-written.part');
      const other = path.join(tempDir, 'not-ours.txt');
      for (const file of [left, live, other]) writeFileSync(file, 'x');
      const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
      utimesSync(left, twoHoursAgo, twoHoursAgo);
      utimesSync(other, twoHoursAgo, twoHoursAgo);
      expect(await sweepStaleUploadFiles(tempDir, 3600_000)).toBe(1);
      expect(readdirSync(tempDir).sort()).toEqual(['not-ours.txt', 'upload-being-written.part']);
      // At start, the server sweeps its directory.
      utimesSync(live, twoHoursAgo, twoHoursAgo);
      const restarted = await buildTestApp(db, { UPLOAD_TEMP_DIR: tempDir }, () => now);
      await restarted.close();
      expect(readdirSync(tempDir)).toEqual(['not-ours.txt']);
    });
  });

  describe('unclaimed files', () => {
    // PGlite has one connection: the job and a request cannot interleave there. Declared on PostgreSQL
    // only, never skipped on PGlite: CI counts every skip as a failure.
    const onPostgres = testDb.name === 'postgres' ? it : undefined;
    onPostgres?.(
      'a file the job is deleting while a customer attaches it is not found (404), never a 500',
      async () => {
        const cookie = await demoSession(app, 'customer');
        // Bytes of its own, so no other purchase's proof is the same receipt.
        const sent = await send({ cookie, file: Buffer.concat([PNG, Buffer.from(`race-${Date.now()}`)]) });
        expect(sent.statusCode, sent.body).toBe(201);
        const uploadId = sent.json<{ id: string }>().id;

        let finishDelete = () => {};
        let deleted = () => {};
        const rowGone = new Promise<void>((resolve) => (deleted = resolve));
        const deleting = db.db.transaction(async (tx) => {
          await tx.execute(sql`select id from uploads where id = ${uploadId} for update`);
          await tx.execute(sql`delete from uploads where id = ${uploadId}`);
          deleted();
          await new Promise<void>((resolve) => (finishDelete = resolve));
        });
        // The job has deleted the row, uncommitted, before the customer's request starts.
        await rowGone;
        const attaching = register(cookie, uploadId);
        // The request is waiting on the job's row lock before the job commits.
        await expect
          .poll(
            async () =>
              scalarOf(
                await db.db.execute(
                  sql`select count(*)::int as n from pg_stat_activity
                       where datname = current_database() and wait_event_type = 'Lock'`,
                ),
                'n',
              ),
            { timeout: 5_000, interval: 20 },
          )
          .toBe(1);
        finishDelete();
        await deleting;
        const res = await attaching;
        expect(res.statusCode, res.body).toBe(404);
        expect(errorCode(res)).toBe('UPLOAD_NOT_FOUND');
      },
    );

    it('deletes files attached to nothing a day after they came, with their slices, audited; nothing else', async () => {
      const file = async (createdAt: Temporal.Instant) => {
        const [row] = await db.db
          .insert(uploads)
          .values({
            kind: 'proof_of_purchase',
            mediaType: 'image/png',
            sizeBytes: PNG.length,
            sha256: 'fixture',
            uploadedBy: 'guest',
            createdAt: new Date(createdAt.epochMilliseconds),
          })
          .returning({ id: uploads.id });
        if (!row) throw new Error('insert returned no upload');
        await writeUploadBytes(db.db, row.id, PNG);
        return row.id;
      };
      const at = TEST_NOW.add({ hours: 24 * 30 });
      const dayAndASecond = at.subtract({ hours: 24, seconds: 1 });
      const stale = await file(dayAndASecond);
      const fresh = await file(at.subtract({ hours: 23 }));
      const onPurchase = await file(dayAndASecond);
      const onReport = await file(dayAndASecond);
      const [purchase] = await db.db.select({ id: purchases.id }).from(purchases).limit(1);
      await db.db
        .update(purchases)
        .set({ proofUploadId: onPurchase })
        .where(eq(purchases.id, purchase?.id ?? ''));
      const [report] = await db.db.select({ id: oemDefectReports.id }).from(oemDefectReports).limit(1);
      if (!report) throw new Error('the demo seed has a defect report');
      await db.db.insert(defectReportEvidence).values({ reportId: report.id, uploadId: onReport });

      const result = await runUnclaimedUploadCleanup({ db: db.db, now: () => at });
      expect(result).toMatchObject({ ran: true });
      const left = new Set((await db.db.select({ id: uploads.id }).from(uploads)).map((u) => u.id));
      expect(left.has(stale)).toBe(false);
      expect([fresh, onPurchase, onReport].every((id) => left.has(id))).toBe(true);
      expect(await db.db.$count(uploadChunks, eq(uploadChunks.uploadId, stale))).toBe(0);
      const [event] = await db.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.entityId, stale), eq(auditEvents.action, 'upload.discarded')));
      expect(event).toMatchObject({ actor: 'system', data: { reason: 'unclaimed' } });
      // Every file the tests above stored, a month ago and attached to nothing, went too.
      expect(result.deleted).toBeGreaterThan(1);
      expect(await db.db.$count(uploadTickets)).toBeGreaterThan(0);
      // A second run finds nothing more.
      expect((await runUnclaimedUploadCleanup({ db: db.db, now: () => at })).deleted).toBe(0);
    });
  });
});
