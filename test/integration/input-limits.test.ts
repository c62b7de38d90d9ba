import { eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { oemOrders, outbox } from '../../src/db/schema.js';
import { DEMO_OEM_ORDER, DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { MAX_AMOUNT_MINOR } from '../../src/domain/money.js';
import type { OemOrder } from '../../src/http/oem-orders/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { type OemWorld, oemWorld } from '../support/oem-fixtures.js';
import { TODAY } from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Issue 13, items 4, 8 and 9: text with control characters, numbers past their column, mail headers
 * and order numbers across clients. Each of these answered 500 (or 409 across clients) before.
 */

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

describe.each(testDatabases())('input limits on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let w: OemWorld;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    for (const role of ['oem', 'sales', 'support', 'dealer', 'admin'] as const)
      cookies.set(role, await demoSession(t.app, role));
    w = await oemWorld(t.db.db);
  });

  const send = (
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
  const refusal = (res: LightMyRequestResponse) => {
    expect(res.statusCode, res.body).toBeLessThan(500);
    return [res.statusCode, res.json<ErrorBody>().error.code] as const;
  };

  describe('text with control characters', () => {
    it('refuses NUL, ESC, C1 controls and lone surrogates in an anonymous guest claim with 400, naming the field', async () => {
      for (const [field, value, code] of [
        ['serial', 'HS\u0000200', 'CONTROL_CHARACTER'],
        ['contact', 'a\u001b[2J@example.com', 'CONTROL_CHARACTER'],
        ['description', 'It broke\u0000 again', 'CONTROL_CHARACTER'],
        ['description', 'It broke \u0085 again', 'CONTROL_CHARACTER'],
        ['serial', 'HS\uD800200', 'INVALID_UNICODE'],
      ] as const) {
        const res = await send('anonymous', 'POST', '/api/v1/claims/guest', {
          serial: 'HS200-0001',
          contact: 'nobody@example.com',
          cause: 'quality',
          description: 'It stopped working.',
          [field]: value,
        });
        expect(refusal(res), `${field} ${JSON.stringify(value)}`).toEqual([400, code]);
        expect(res.json<ErrorBody>().error.details).toMatchObject({ in: 'body', field });
      }
    });

    it('lets a multi-line field hold line breaks and tabs, and refuses them in a one-line field', async () => {
      const guest = (body: object) =>
        send('anonymous', 'POST', '/api/v1/claims/guest', {
          serial: 'NO-SUCH-SERIAL',
          contact: 'nobody@example.com',
          cause: 'quality',
          description: 'First line.\r\n\tSecond line.',
          ...body,
        });
      // Past the text check to the look-up: the serial is simply not on record.
      expect(refusal(await guest({}))[1]).not.toBe('CONTROL_CHARACTER');
      expect(refusal(await guest({ serial: 'NO-SUCH\r\nSERIAL' }))).toEqual([400, 'CONTROL_CHARACTER']);
      const product = await send('admin', 'POST', '/api/v1/products', {
        sku: 'CR-LF-1',
        nameEn: 'Panel\r\nBcc: victim@example.com',
        nameZh: '面板',
        category: 'other',
      });
      expect(refusal(product)).toEqual([400, 'CONTROL_CHARACTER']);
    });

    it('refuses control characters in query strings and path parameters', async () => {
      expect(refusal(await send('admin', 'GET', '/api/v1/maker-costs?lot=L%00T'))).toEqual([
        400,
        'CONTROL_CHARACTER',
      ]);
      expect(
        refusal(
          await send('admin', 'POST', '/api/v1/users/ae79c23f-27f0-43ae%00bab5-15605a6c9179/deactivate'),
        ),
      ).toEqual([400, 'CONTROL_CHARACTER']);
    });

    it('walks a body nested 100,000 deep without overflowing, and finds the NUL at its bottom', async () => {
      for (const bottom of ['1', '"a\\u0000b"']) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/claims/guest',
          headers: { origin: ORIGIN, 'content-type': 'application/json' },
          payload: `${'['.repeat(100_000)}${bottom}${']'.repeat(100_000)}`,
        });
        expect(refusal(res)).toEqual([400, bottom === '1' ? 'VALIDATION_FAILED' : 'CONTROL_CHARACTER']);
      }
    });

    it('refuses a CSV import cell with a control character row by row in IMPORT_REJECTED', async () => {
      const sales = [
        'serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone',
        `,${DEMO_SKUS.bluetoothHeadset},2026-11-01,Li\u0000Lei,li@example.com,`,
        `,${DEMO_SKUS.bluetoothHeadset},2026-11-01,Wang Fang,wang\u001b@example.com,`,
      ].join('\n');
      const res = await send('dealer', 'POST', '/api/v1/purchases/import', sales, {
        'content-type': 'text/csv',
      });
      expect(refusal(res)).toEqual([400, 'IMPORT_REJECTED']);
      expect(res.json<ErrorBody>().error.details?.rows).toEqual([
        expect.objectContaining({ row: 2, field: 'buyer_name', code: 'CONTROL_CHARACTER' }),
        expect.objectContaining({ row: 3, field: 'buyer_email', code: 'CONTROL_CHARACTER' }),
      ]);

      const defects = [
        'order_number,units,failure_mode',
        `${DEMO_OEM_ORDER.orderNumber.slice(0, 4)}\u0000${DEMO_OEM_ORDER.orderNumber.slice(4)},1,no sound`,
      ].join('\n');
      const d = await send('oem', 'POST', '/api/v1/oem-defect-reports/import', defects, {
        'content-type': 'text/csv',
      });
      expect(refusal(d)).toEqual([400, 'IMPORT_REJECTED']);
      expect(d.json<ErrorBody>().error.details?.rows).toEqual([
        expect.objectContaining({ row: 2, field: 'order_number', code: 'CONTROL_CHARACTER' }),
      ]);
    });
  });

  describe('amounts and counts', () => {
    const order = {
      sku: DEMO_SKUS.chargerModule,
      quantity: 1_000,
      deliveryDate: '2026-12-20',
    };

    it('refuses amounts and counts past their range in the schema, and an order worth more than any amount', async () => {
      const book = (body: object) => send('oem', 'POST', '/api/v1/oem-orders', { ...order, ...body });
      const price = (amountMinor: number) =>
        send('sales', 'POST', '/api/v1/oem-price-list', {
          clientId: w.demoClient,
          sku: DEMO_SKUS.chargerModule,
          unitPrice: { amountMinor, currency: 'CNY' },
          effectiveFrom: '2026-01-01',
        });
      expect(refusal(await price(MAX_AMOUNT_MINOR + 1))).toEqual([400, 'VALIDATION_FAILED']);
      expect(refusal(await book({ quantity: 2 ** 31 }))).toEqual([400, 'VALIDATION_FAILED']);
      // Each within its range, their product past it: on 5c4d45e this was saved, and then every read of it was a 500.
      expect((await price(10_000_000)).statusCode).toBe(201);
      const requested = await book({ quantity: 1_000_000 });
      expect(requested.statusCode, requested.body).toBe(201);
      const tooMuch = await send(
        'sales',
        'POST',
        `/api/v1/oem-orders/${requested.json<OemOrder>().id}/confirmation`,
        {
          spareRateBps: 30,
          expectedVersion: 1,
        },
      );
      expect(refusal(tooMuch)).toEqual([400, 'AMOUNT_OUT_OF_RANGE']);
      const list = await send('oem', 'GET', '/api/v1/oem-orders');
      expect(list.statusCode, list.body).toBe(200);
    });

    it('holds every writer to the ranges with CHECK constraints', async () => {
      const [demo] = await t.db.db
        .select()
        .from(oemOrders)
        .where(eq(oemOrders.orderNumber, DEMO_OEM_ORDER.orderNumber));
      const id = demo?.id ?? '';
      await expect(
        t.db.db.update(oemOrders).set({ unitPriceMinor: MAX_AMOUNT_MINOR }).where(eq(oemOrders.id, id)),
      ).rejects.toThrow();
      await expect(
        t.db.db.update(oemOrders).set({ quantity: 2_000_000_000 }).where(eq(oemOrders.id, id)),
      ).rejects.toThrow();
    });

    it('reads an order an older version let in (worth more than any amount) without a 500', async () => {
      const [demo] = await t.db.db
        .select()
        .from(oemOrders)
        .where(eq(oemOrders.orderNumber, DEMO_OEM_ORDER.orderNumber));
      const id = demo?.id ?? '';
      await t.db.db.execute(sql`alter table oem_orders drop constraint oem_orders_value_check`);
      await t.db.db.execute(sql`alter table oem_orders drop constraint oem_orders_unit_price_range_check`);
      try {
        await t.db.db
          .update(oemOrders)
          .set({ unitPriceMinor: 2 ** 52 })
          .where(eq(oemOrders.id, id));
        const res = await send('oem', 'GET', `/api/v1/oem-orders/${id}`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<OemOrder>().billing.orderValue).toBeNull();
        expect((await send('oem', 'GET', '/api/v1/oem-orders')).statusCode).toBe(200);
      } finally {
        await t.db.db
          .update(oemOrders)
          .set({ unitPriceMinor: DEMO_OEM_ORDER.unitPrice.amountMinor })
          .where(eq(oemOrders.id, id));
        await t.db.db.execute(
          sql`alter table oem_orders add constraint oem_orders_value_check check (unit_price_minor is null or quantity::numeric * unit_price_minor <= 1000000000000) not valid`,
        );
        await t.db.db.execute(
          sql`alter table oem_orders add constraint oem_orders_unit_price_range_check check (unit_price_minor is null or unit_price_minor between 0 and 1000000000000) not valid`,
        );
      }
    });
  });

  describe('mail headers', () => {
    it('lets no outbox row carry a control character in its subject or recipient', async () => {
      const row = { topic: 'test', recipient: 'a@example.com', subject: 'Hello', body: 'Hi' };
      await expect(
        t.db.db.insert(outbox).values({ ...row, subject: 'Hello\r\nBcc: victim@example.com' }),
      ).rejects.toThrow();
      await expect(
        t.db.db.insert(outbox).values({ ...row, recipient: 'a@example.com\nBcc: b@example.com' }),
      ).rejects.toThrow();
    });
  });

  describe('order numbers belong to their client', () => {
    it('lets another client use a number, refuses the same client twice, and looks numbers up within the client', async () => {
      const bySales = (body: object) =>
        send('sales', 'POST', '/api/v1/oem-orders', {
          sku: DEMO_SKUS.bluetoothHeadset,
          quantity: 100,
          deliveryDate: '2026-11-20',
          ...body,
        });
      // Client A (the demo client) has OEM-BW-0001; client B may use it, and learns nothing about A.
      const other = await bySales({ clientId: w.otherClient, orderNumber: DEMO_OEM_ORDER.orderNumber });
      expect(other.statusCode, other.body).toBe(201);
      expect(
        refusal(await bySales({ clientId: w.otherClient, orderNumber: DEMO_OEM_ORDER.orderNumber })),
      ).toEqual([409, 'ORDER_NUMBER_TAKEN']);
      expect(
        refusal(await bySales({ clientId: w.demoClient, orderNumber: DEMO_OEM_ORDER.orderNumber })),
      ).toEqual([409, 'ORDER_NUMBER_TAKEN']);

      // The defect import finds the client's own order by number; staff name the client when two share it.
      const csv = `order_number,lot,units,failure_mode\n${DEMO_OEM_ORDER.orderNumber},BTH500-L2501A,1,no sound on the left\n`;
      const own = await send('oem', 'POST', '/api/v1/oem-defect-reports/import', csv, {
        'content-type': 'text/csv',
      });
      expect(own.statusCode, own.body).toBe(201);
      const staff = await send('support', 'POST', '/api/v1/oem-defect-reports/import', csv, {
        'content-type': 'text/csv',
      });
      expect(refusal(staff)).toEqual([400, 'IMPORT_REJECTED']);
      expect(staff.json<ErrorBody>().error.details?.rows).toEqual([
        expect.objectContaining({ row: 2, field: 'order_number', code: 'ORDER_NUMBER_AMBIGUOUS' }),
      ]);
      const named = await send(
        'support',
        'POST',
        `/api/v1/oem-defect-reports/import?clientId=${w.demoClient}`,
        csv,
        { 'content-type': 'text/csv' },
      );
      expect(named.statusCode, named.body).toBe(201);
    });
  });
});
