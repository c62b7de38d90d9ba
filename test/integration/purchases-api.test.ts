import { randomBytes } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, dealers, endUsers, purchases, units, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_DEALERS, DEMO_END_USERS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import type { ErrorResponse } from '../../src/http/errors.js';
import type { ImportRowProblem, Purchase } from '../../src/http/purchases/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Purchases over HTTP: a dealer records its sales one by one or from a CSV file (all rows or none), a
 * customer registers a product with a receipt, and each role lists and reads only what is its own.
 */

/** The smallest valid PNG: a 1×1 transparent pixel. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

function multipart(file: Buffer) {
  const boundary = '----aftersales-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="receipt.png"\r\n` +
      `Content-Type: image/png\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const HEADER = 'serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone';

describe.each(testDatabases())('purchases API on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  const ids = { ownDealer: '', otherDealer: '', liWei: '', zhangMin: '', customerUser: '' };

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    for (const role of ['admin', 'support', 'dealer', 'customer', 'qa'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    const dealerRows = await t.db.db.select().from(dealers);
    ids.ownDealer = dealerRows.find((d) => d.name === DEMO_DEALERS[0].name)?.id ?? '';
    ids.otherDealer = dealerRows.find((d) => d.name === DEMO_DEALERS[1].name)?.id ?? '';
    const people = await t.db.db.select().from(endUsers);
    ids.liWei = people.find((p) => p.name === DEMO_END_USERS[0].name)?.id ?? '';
    ids.zhangMin = people.find((p) => p.name === DEMO_END_USERS[1].name)?.id ?? '';
    const [customer] = await t.db.db
      .select()
      .from(users)
      .where(eq(users.email, DEMO_ACCOUNTS.find((a) => a.role === 'customer')?.email ?? ''));
    ids.customerUser = customer?.id ?? '';
  });

  const api = (
    role: Role | 'anonymous',
    method: 'GET' | 'POST',
    url: string,
    payload?: object | string,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: {
        origin: ORIGIN,
        ...(role === 'anonymous' ? {} : { cookie: cookies.get(role) ?? '' }),
        ...headers,
      },
      ...(payload === undefined ? {} : { payload }),
    });
  const importCsv = (role: Role, csv: string, query = '') =>
    api(role, 'POST', `/api/v1/purchases/import${query}`, csv, { 'content-type': 'text/csv' });
  const tally = async () => ({
    purchases: (await t.db.db.select({ n: count() }).from(purchases))[0]?.n ?? 0,
    units: (await t.db.db.select({ n: count() }).from(units))[0]?.n ?? 0,
    endUsers: (await t.db.db.select({ n: count() }).from(endUsers))[0]?.n ?? 0,
    audit: (await t.db.db.select({ n: count() }).from(auditEvents))[0]?.n ?? 0,
  });
  const errorOf = (res: LightMyRequestResponse) => res.json<ErrorResponse>().error;

  describe('recording a sale', () => {
    it('records a known unit for the dealer, finding the customer by e-mail in any case', async () => {
      const res = await api('dealer', 'POST', '/api/v1/purchases', {
        serial: 'HS200-2406-001733',
        purchaseDate: '2026-11-24',
        buyer: { name: 'Li Wei', email: 'LI.WEI@Example.com' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const purchase = res.json<Purchase>();
      expect(purchase).toMatchObject({
        purchaseDate: '2026-11-24',
        serial: 'HS200-2406-001733',
        product: { sku: 'HS-200' },
        dealer: { id: ids.ownDealer, name: DEMO_DEALERS[0].name },
        endUserId: ids.liWei,
        buyer: { name: 'Li Wei', email: 'LI.WEI@Example.com', phone: null },
        warranty: { window: '7_days', daysSincePurchase: 1, paid: false },
      });
      const audit = await t.db.db.select().from(auditEvents).where(eq(auditEvents.entityId, purchase.id));
      expect(audit).toMatchObject([{ action: 'purchase.recorded', entityType: 'purchase' }]);
    });

    it('adds an unknown serial as a unit of the SKU, and records an SKU alone without a unit', async () => {
      const withSerial = await api('dealer', 'POST', '/api/v1/purchases', {
        serial: 'DCP22048-2411-009001',
        sku: 'DCP-220-48',
        // 23:30 UTC on the 20th is already the 21st in Shanghai.
        purchaseDate: '2026-11-20T23:30:00Z',
        buyer: { name: 'Zhang Min', phone: '13910217784' },
      });
      expect(withSerial.statusCode, withSerial.body).toBe(201);
      expect(withSerial.json<Purchase>()).toMatchObject({
        purchaseDate: '2026-11-21',
        serial: 'DCP22048-2411-009001',
        product: { sku: 'DCP-220-48' },
        // The phone number, typed another way, is Zhang Min's.
        endUserId: ids.zhangMin,
      });
      const [unit] = await t.db.db.select().from(units).where(eq(units.serial, 'DCP22048-2411-009001'));
      expect(unit).toMatchObject({ lot: 'unknown' });

      const before = await tally();
      const skuOnly = await api('dealer', 'POST', '/api/v1/purchases', {
        sku: 'BMS-24',
        purchaseDate: '2025-06-01',
        buyer: { name: 'Zhou Qiang', email: 'zhou.qiang@example.com' },
      });
      expect(skuOnly.statusCode, skuOnly.body).toBe(201);
      expect(skuOnly.json<Purchase>()).toMatchObject({
        serial: null,
        product: { sku: 'BMS-24' },
        warranty: { window: 'expired', paid: true },
      });
      const after = await tally();
      expect(after).toMatchObject({
        purchases: before.purchases + 1,
        units: before.units,
        endUsers: before.endUsers + 1,
      });
    });

    it('refuses bad sales with a code naming the problem, writing nothing', async () => {
      const before = await tally();
      const cases: [object, number, string][] = [
        [
          { sku: 'HS-200', purchaseDate: '2026-11-26', buyer: { name: 'A', email: 'a@example.com' } },
          400,
          'PURCHASE_DATE_IN_FUTURE',
        ],
        [{ sku: 'HS-200', purchaseDate: '2026-11-20', buyer: { name: 'A' } }, 400, 'CONTACT_REQUIRED'],
        [
          { purchaseDate: '2026-11-20', buyer: { name: 'A', email: 'a@example.com' } },
          400,
          'PRODUCT_REQUIRED',
        ],
        [
          { sku: 'NOPE-1', purchaseDate: '2026-11-20', buyer: { name: 'A', email: 'a@example.com' } },
          400,
          'UNKNOWN_PRODUCT',
        ],
        [
          { serial: 'XX-1', purchaseDate: '2026-11-20', buyer: { name: 'A', email: 'a@example.com' } },
          400,
          'UNKNOWN_SERIAL',
        ],
        [
          {
            serial: 'HS200-2406-001732',
            purchaseDate: '2026-11-20',
            buyer: { name: 'A', email: 'a@example.com' },
          },
          409,
          'SERIAL_ALREADY_RECORDED',
        ],
        [
          {
            serial: 'DCP22048-2403-000128',
            sku: 'HS-200',
            purchaseDate: '2026-11-20',
            buyer: { name: 'A', email: 'a@example.com' },
          },
          400,
          'SERIAL_PRODUCT_MISMATCH',
        ],
        [
          {
            dealerId: ids.otherDealer,
            sku: 'HS-200',
            purchaseDate: '2026-11-20',
            buyer: { name: 'A', email: 'a@example.com' },
          },
          404,
          'DEALER_NOT_FOUND',
        ],
      ];
      for (const [body, status, code] of cases) {
        const res = await api('dealer', 'POST', '/api/v1/purchases', body);
        expect(res.statusCode, res.body).toBe(status);
        expect(errorOf(res).code).toBe(code);
      }
      expect(await tally()).toEqual(before);
    });

    it('lets support record for a dealer it names, and needs the name', async () => {
      const body = {
        sku: 'INV-3000',
        purchaseDate: '2026-10-01',
        buyer: { name: 'Chen Jie', email: 'chen.jie@example.com' },
      };
      const missing = await api('support', 'POST', '/api/v1/purchases', body);
      expect(missing.statusCode).toBe(400);
      expect(errorOf(missing).code).toBe('DEALER_REQUIRED');
      const res = await api('support', 'POST', '/api/v1/purchases', { ...body, dealerId: ids.otherDealer });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<Purchase>().dealer?.id).toBe(ids.otherDealer);
      expect((await api('customer', 'POST', '/api/v1/purchases', body)).statusCode).toBe(403);
    });

    it('answers a retry with the same Idempotency-Key with the first sale, racing or not', async () => {
      const body = {
        sku: 'HS-200',
        purchaseDate: '2026-11-23',
        buyer: { name: 'Retry Ren', phone: '+86 150 0000 1111' },
      };
      const headers = { 'idempotency-key': `sale-${testDb.name}-1` };
      const first = await api('dealer', 'POST', '/api/v1/purchases', body, headers);
      expect(first.statusCode, first.body).toBe(201);
      const again = await api('dealer', 'POST', '/api/v1/purchases', body, headers);
      expect(again.statusCode).toBe(200);
      expect(again.json<Purchase>().id).toBe(first.json<Purchase>().id);
      const other = await api(
        'dealer',
        'POST',
        '/api/v1/purchases',
        { ...body, purchaseDate: '2026-11-22' },
        headers,
      );
      expect(other.statusCode).toBe(409);
      expect(errorOf(other).code).toBe('IDEMPOTENCY_KEY_REUSED');

      const raceKey = { 'idempotency-key': `sale-${testDb.name}-race` };
      const raced = await Promise.all(
        Array.from({ length: 5 }, () =>
          api(
            'dealer',
            'POST',
            '/api/v1/purchases',
            { ...body, buyer: { name: 'Race Ru', email: 'race@example.com' } },
            raceKey,
          ),
        ),
      );
      expect(raced.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
      expect(new Set(raced.map((r) => r.json<Purchase>().id)).size).toBe(1);
    });
  });

  describe('importing a CSV file', () => {
    it('records every row in one go and reports the count', async () => {
      const before = await tally();
      const csv = [
        HEADER,
        'HS200-2411-100001,HS-200,2026-11-01,Li Wei,li.wei@example.com,',
        ',BTH-500,2026-10-15,"Guo, Jing",,+86 137 7777 8888',
        'HS200-2411-100002,HS-200,2026-11-02T20:00:00+00:00,"Guo, Jing",guo.jing@example.com,137-7777-8888',
        '',
      ].join('\r\n');
      const res = await importCsv('dealer', `\uFEFF${csv}`);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toEqual({ imported: 3 });
      const after = await tally();
      // Guo Jing is one new customer: the second row's phone is the third's, typed differently.
      expect(after).toMatchObject({
        purchases: before.purchases + 3,
        units: before.units + 2,
        endUsers: before.endUsers + 1,
      });
      const rows = await t.db.db.select().from(purchases).where(eq(purchases.buyerName, 'Guo, Jing'));
      expect(rows.map((r) => r.purchaseDate).sort()).toEqual(['2026-10-15', '2026-11-03']);
      expect(new Set(rows.map((r) => r.endUserId)).size).toBe(1);
      expect(rows.every((r) => r.dealerId === ids.ownDealer)).toBe(true);
      // Each sale has its audit event, written by the database from the purchase row.
      const withoutUnit = rows.find((r) => r.unitId === null);
      const [event] = await t.db.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.entityId, withoutUnit?.id ?? ''));
      expect(event).toMatchObject({
        action: 'purchase.recorded',
        entityType: 'purchase',
        data: {
          dealerId: ids.ownDealer,
          productId: withoutUnit?.productId,
          unitId: null,
          endUserId: withoutUnit?.endUserId,
          purchaseDate: '2026-10-15',
          via: 'csv_import',
        },
      });
    });

    it('refuses the whole file when any row is wrong, with every problem by row and column', async () => {
      const before = await tally();
      const csv = [
        HEADER,
        'HS200-2411-200001,HS-200,2026-11-01,Good Row,good@example.com,',
        'HS200-2411-200002,HS-200,2026-12-01,,not-an-email,',
        'HS200-2411-200001,HS-200,2026-11-01,Twice,twice@example.com,',
        ',NOPE-9,2026-11-01,Unknown Sku,u@example.com,',
        'HS200-2406-001732,,2026-11-01,Sold Before,s@example.com,',
        'only,three,cells',
      ].join('\n');
      const res = await importCsv('dealer', csv);
      expect(res.statusCode, res.body).toBe(400);
      const error = errorOf(res);
      expect(error.code).toBe('IMPORT_REJECTED');
      const report = (error.details as { rows: ImportRowProblem[] }).rows;
      expect(report.map((p) => `${p.row}:${p.field}:${p.code}`)).toEqual([
        '3:purchase_date:PURCHASE_DATE_IN_FUTURE',
        '3:buyer_name:BUYER_NAME_REQUIRED',
        '3:buyer_email:INVALID_EMAIL',
        '4:serial:DUPLICATE_SERIAL',
        '5:sku:UNKNOWN_PRODUCT',
        '6:serial:SERIAL_ALREADY_RECORDED',
        '7:row:WRONG_COLUMN_COUNT',
      ]);
      expect(report.find((p) => p.code === 'DUPLICATE_SERIAL')?.message).toContain('row 2');
      expect(await tally()).toEqual(before);
    });

    it('refuses a wrong header, an empty file, a JSON body and too many rows', async () => {
      const wrongHeader = await importCsv('dealer', 'serial,sku,date\nA,B,C');
      expect(wrongHeader.statusCode).toBe(400);
      expect(errorOf(wrongHeader)).toMatchObject({
        code: 'CSV_HEADER_INVALID',
        details: {
          missing: ['purchase_date', 'buyer_name', 'buyer_email', 'buyer_phone'],
          unknown: ['date'],
        },
      });
      expect(errorOf(await importCsv('dealer', `${HEADER}\n`)).code).toBe('IMPORT_EMPTY');
      expect(errorOf(await importCsv('dealer', `${HEADER}\n"unclosed,HS-200`)).code).toBe('CSV_MALFORMED');
      const json = await api('dealer', 'POST', '/api/v1/purchases/import', { csv: HEADER });
      expect(json.statusCode).toBe(415);
      const many = [
        HEADER,
        ...Array.from({ length: 5001 }, (_, i) => `,HS-200,2026-11-01,Bulk ${i},b${i}@example.com,`),
      ];
      const tooMany = await importCsv('dealer', many.join('\n'));
      expect(tooMany.statusCode).toBe(400);
      expect(errorOf(tooMany).code).toBe('IMPORT_TOO_LARGE');
    });

    it('takes a full 5,000-row file, above the API’s usual body limit, in one transaction', async () => {
      const before = await tally();
      const rows = Array.from(
        { length: 5000 },
        (_, i) =>
          `HSBULK-${String(i).padStart(5, '0')},HS-200,2026-11-01,Bulk Buyer ${i},bulk.buyer.${i}@example.com,+86 150 ${String(i).padStart(4, '0')} 0000`,
      );
      const csv = [HEADER, ...rows].join('\n');
      expect(csv.length).toBeGreaterThan(256 * 1024);
      const res = await importCsv('support', csv, `?dealerId=${ids.otherDealer}`);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toEqual({ imported: 5000 });
      expect((await tally()).purchases).toBe(before.purchases + 5000);
    });
  });

  describe('registering a product I bought', () => {
    const uploadProof = async (
      kind = 'proof_of_purchase',
      role: Role | 'anonymous' = 'customer',
      ticket?: string,
    ) => {
      // Each receipt its own bytes: the same bytes twice are the same receipt (PROOF_ALREADY_USED).
      const body = multipart(Buffer.concat([PNG, randomBytes(8)]));
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/uploads?kind=${kind}`,
        headers: {
          ...body.headers,
          origin: ORIGIN,
          ...(role === 'anonymous' ? {} : { cookie: cookies.get(role) ?? '' }),
          ...(ticket === undefined ? {} : { 'upload-ticket': ticket }),
        },
        payload: body.payload,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };

    it('registers with a receipt, as the signed-in customer, once per receipt', async () => {
      const proof = await uploadProof();
      const body = {
        sku: 'HS-200',
        serial: 'HS200-2411-300001',
        purchaseDate: '2026-11-10',
        dealerId: ids.otherDealer,
        proofUploadId: proof,
      };
      const res = await api('customer', 'POST', '/api/v1/purchases/register', body);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<Purchase>()).toMatchObject({
        endUserId: ids.liWei,
        proofUploadId: proof,
        dealer: { id: ids.otherDealer },
        buyer: { name: 'Li Wei', email: 'li.wei@example.com' },
        warranty: { window: '60_days', daysSincePurchase: 15 },
      });
      const [event] = await t.db.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.entityId, res.json<Purchase>().id));
      expect(event).toMatchObject({ action: 'purchase.registered', actor: `user:${ids.customerUser}` });

      const again = await api('customer', 'POST', '/api/v1/purchases/register', {
        ...body,
        serial: 'HS200-2411-300002',
      });
      expect(again.statusCode).toBe(409);
      expect(errorOf(again).code).toBe('PROOF_ALREADY_ATTACHED');
    });

    it('needs a proof of purchase that exists, and refuses a photo', async () => {
      const photo = await uploadProof('photo');
      const body = { sku: 'HS-200', purchaseDate: '2026-11-10' };
      const asPhoto = await api('customer', 'POST', '/api/v1/purchases/register', {
        ...body,
        proofUploadId: photo,
      });
      expect(asPhoto.statusCode).toBe(400);
      expect(errorOf(asPhoto).code).toBe('NOT_A_PROOF_OF_PURCHASE');
      const unknown = await api('customer', 'POST', '/api/v1/purchases/register', {
        ...body,
        proofUploadId: '00000000-0000-4000-8000-000000000000',
      });
      expect(unknown.statusCode).toBe(404);
      // A receipt sent before signing in is the customer's who holds the ticket it was sent with.
      const issued = await t.app.inject({
        method: 'POST',
        url: '/api/v1/uploads/tickets',
        payload: { purpose: 'purchase.register' },
      });
      const uploadTicket = issued.json<{ ticket: string }>().ticket;
      const byGuest = await uploadProof('proof_of_purchase', 'anonymous', uploadTicket);
      expect(
        (await api('customer', 'POST', '/api/v1/purchases/register', { ...body, proofUploadId: byGuest }))
          .statusCode,
      ).toBe(404);
      expect(
        (
          await api('customer', 'POST', '/api/v1/purchases/register', {
            ...body,
            proofUploadId: byGuest,
            uploadTicket,
          })
        ).statusCode,
      ).toBe(201);
      expect(
        (await api('dealer', 'POST', '/api/v1/purchases/register', { ...body, proofUploadId: byGuest }))
          .statusCode,
      ).toBe(403);
    });
  });

  describe('reading purchases', () => {
    it('lists a dealer’s own sales only, a customer’s own only, and everything for support, newest first', async () => {
      const dealerList = (await api('dealer', 'GET', '/api/v1/purchases?limit=200')).json<{
        items: Purchase[];
      }>().items;
      expect(dealerList.length).toBeGreaterThan(3);
      expect(dealerList.every((p) => p.dealer?.id === ids.ownDealer)).toBe(true);
      const customerList = (await api('customer', 'GET', '/api/v1/purchases')).json<{ items: Purchase[] }>()
        .items;
      expect(customerList.length).toBeGreaterThan(1);
      expect(customerList.every((p) => p.endUserId === ids.liWei)).toBe(true);
      const dates = customerList.map((p) => p.purchaseDate);
      expect(dates).toEqual([...dates].sort().reverse());
      const demo = customerList.find((p) => p.serial === 'HS200-2406-001732');
      expect(demo).toMatchObject({
        product: { name: { en: 'HS-200 Wired Headset', zh: 'HS-200 有线耳机' } },
        warranty: { window: '7_days', daysSincePurchase: 3, warrantyEndsOn: '2027-11-22' },
      });
      const all = (await api('support', 'GET', '/api/v1/purchases?limit=200')).json<{ items: Purchase[] }>()
        .items;
      // The old offset paging is gone: a page continues from a cursor, never from a count of rows.
      expect((await api('support', 'GET', '/api/v1/purchases?offset=0')).statusCode).toBe(400);
      expect(new Set(all.map((p) => p.dealer?.id))).toContain(ids.otherDealer);
      expect((await api('qa', 'GET', '/api/v1/purchases')).statusCode).toBe(403);
      expect((await api('anonymous', 'GET', '/api/v1/purchases')).statusCode).toBe(401);
    });

    it('hides another customer’s or dealer’s purchase behind a 404', async () => {
      const [zhang] = await t.db.db
        .select()
        .from(purchases)
        .where(and(eq(purchases.endUserId, ids.zhangMin), eq(purchases.dealerId, ids.otherDealer)))
        .limit(1);
      const [mine] = await t.db.db
        .select()
        .from(purchases)
        .where(eq(purchases.endUserId, ids.liWei))
        .limit(1);
      const url = (id: string | undefined) => `/api/v1/purchases/${id ?? ''}`;
      expect((await api('customer', 'GET', url(mine?.id))).statusCode).toBe(200);
      const hidden = await api('customer', 'GET', url(zhang?.id));
      expect(hidden.statusCode).toBe(404);
      expect(errorOf(hidden).code).toBe('PURCHASE_NOT_FOUND');
      // Zhang Min's demo purchase was made at the second dealer.
      expect((await api('dealer', 'GET', url(zhang?.id))).statusCode).toBe(404);
      expect((await api('support', 'GET', url(zhang?.id))).statusCode).toBe(200);
    });
  });
});
