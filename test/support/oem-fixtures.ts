import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import {
  batchDefectInvestigations,
  excessResolutions,
  oemClients,
  oemOrders,
  products,
  remakeOrders,
  replacementShipments,
} from '../../src/db/schema.js';
import { DEMO_FLAGGED_OEM_ORDER, DEMO_OEM_CLIENT, DEMO_OEM_ORDER, DEMO_SKUS } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { ORIGIN } from './sessions.js';

/*
 * OEM orders, reports and remedies for tests: the demo client's (seeded) and another client's, made as
 * rows so each test starts from the seed's story.
 */

/** The smallest valid PNG: a 1×1 transparent pixel. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

export type OemWorld = {
  demoClient: string;
  otherClient: string;
  /** OEM-BW-0001 (headsets, 9 of 10 spares used) and OEM-BW-0002 (the flagged lot). */
  demoOrder: string;
  flaggedOrder: string;
  otherOrder: string;
  product: (sku: string) => string;
};

export async function oemWorld(db: Database): Promise<OemWorld> {
  const clients = await db.select({ id: oemClients.id, name: oemClients.name }).from(oemClients);
  const demoClient = clients.find((c) => c.name === DEMO_OEM_CLIENT.name)?.id;
  if (!demoClient) throw new Error('the demo seed has its OEM client');
  let otherClient = clients.find((c) => c.name === 'Nordlicht Audio GmbH')?.id;
  if (!otherClient) {
    const [row] = await db
      .insert(oemClients)
      .values({ name: 'Nordlicht Audio GmbH', country: 'DE', email: 'einkauf@nordlicht.example.com' })
      .returning({ id: oemClients.id });
    otherClient = row?.id ?? '';
  }
  const productRows = await db.select({ id: products.id, sku: products.sku }).from(products);
  const product = (sku: string) => {
    const id = productRows.find((p) => p.sku === sku)?.id;
    if (!id) throw new Error(`no product ${sku}`);
    return id;
  };
  const byNumber = async (n: string) =>
    (await db.select({ id: oemOrders.id }).from(oemOrders).where(eq(oemOrders.orderNumber, n)))[0]?.id;
  let otherOrder = await byNumber('NL-7001');
  if (!otherOrder) {
    const [row] = await db
      .insert(oemOrders)
      .values({
        orderNumber: 'NL-7001',
        clientId: otherClient,
        productId: product(DEMO_SKUS.bluetoothHeadset),
        quantity: 500,
        spareRateBps: 40,
        spareUnits: 2,
        deliveryDate: '2026-09-01',
        lots: ['BTH500-L2502N'],
        lotDetails: [{ lot: 'BTH500-L2502N', units: 500, serials: null }],
      })
      .returning({ id: oemOrders.id });
    otherOrder = row?.id;
  }
  const demoOrder = await byNumber(DEMO_OEM_ORDER.orderNumber);
  const flaggedOrder = await byNumber(DEMO_FLAGGED_OEM_ORDER.orderNumber);
  if (!demoOrder || !flaggedOrder || !otherOrder) throw new Error('the demo seed has its OEM orders');
  return { demoClient, otherClient, demoOrder, flaggedOrder, otherOrder, product };
}

/** A multipart body with one PNG, as POST /api/v1/uploads takes it. */
export function pngUpload(cookie: string): InjectOptions {
  const boundary = '----aftersales-oem-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="evidence.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    method: 'POST',
    url: '/api/v1/uploads?kind=evidence',
    headers: { origin: ORIGIN, cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([head, PNG, tail]),
  };
}

export async function uploadEvidence(app: FastifyInstance, cookie: string): Promise<string> {
  const res = await app.inject(pngUpload(cookie));
  if (res.statusCode !== 201) throw new Error(`upload refused: ${res.body}`);
  return res.json<{ id: string }>().id;
}

/**
 * The access matrix's scoped objects for the OEM routes: the demo client's order, a credit, a remake
 * order and a replacement shipment of it, and another client's.
 */
export async function oemMatrixFixtures(
  db: Database,
): Promise<Map<string, { role: Role; own: string; other: string }[]>> {
  const w = await oemWorld(db);
  const credit = async (orderId: string, clientId: string) => {
    const [row] = await db
      .insert(excessResolutions)
      .values({
        orderId,
        clientId,
        productId: w.product(DEMO_SKUS.bluetoothHeadset),
        remedy: 'next_order_credit',
        units: 1,
        creditKind: 'units',
        chosenBy: 'system',
      })
      .returning({ id: excessResolutions.id });
    return row?.id ?? '';
  };
  const headset = w.product(DEMO_SKUS.bluetoothHeadset);
  const [investigation] = await db
    .insert(batchDefectInvestigations)
    .values({ productId: headset, lots: ['BTH500-L2501A'], state: 'open', origin: 'qa', openedBy: 'system' })
    .returning({ id: batchDefectInvestigations.id });
  const remake = async (orderId: string, clientId: string, n: number) => {
    const [row] = await db
      .insert(remakeOrders)
      .values({
        remakeNumber: `RMK-MATRIX-${n}`,
        investigationId: investigation?.id ?? '',
        orderId,
        clientId,
        productId: headset,
        lot: 'BTH500-L2501A',
        units: 1,
        shippingMode: 'air',
      })
      .returning({ id: remakeOrders.id });
    return row?.id ?? '';
  };
  const replacement = async (orderId: string, clientId: string, n: number) => {
    const [choice] = await db
      .insert(excessResolutions)
      .values({
        orderId,
        clientId,
        productId: headset,
        remedy: 'replacement_shipment',
        units: 1,
        chosenBy: 'system',
      })
      .returning({ id: excessResolutions.id });
    const [row] = await db
      .insert(replacementShipments)
      .values({
        shipmentNumber: `RPL-MATRIX-${n}`,
        resolutionId: choice?.id ?? '',
        orderId,
        clientId,
        productId: headset,
        units: 1,
        shippingMode: 'sea',
      })
      .returning({ id: replacementShipments.id });
    return row?.id ?? '';
  };
  const orders = [{ role: 'oem' as const, own: w.demoOrder, other: w.otherOrder }];
  return new Map([
    ['/api/v1/oem-orders/:id', orders],
    ['/api/v1/oem-orders/:id/ledger', orders],
    ['/api/v1/oem-orders/:id/defect-reports', orders],
    ['/api/v1/oem-orders/:id/excess-resolutions', orders],
    [
      '/api/v1/excess-resolutions/:id',
      [
        {
          role: 'oem' as const,
          own: await credit(w.demoOrder, w.demoClient),
          other: await credit(w.otherOrder, w.otherClient),
        },
      ],
    ],
    [
      '/api/v1/remake-orders/:id',
      [
        {
          role: 'oem' as const,
          own: await remake(w.demoOrder, w.demoClient, 1),
          other: await remake(w.otherOrder, w.otherClient, 2),
        },
      ],
    ],
    [
      '/api/v1/replacement-shipments/:id',
      [
        {
          role: 'oem' as const,
          own: await replacement(w.demoOrder, w.demoClient, 1),
          other: await replacement(w.otherOrder, w.otherClient, 2),
        },
      ],
    ],
  ]);
}

export type BookOrderInput = {
  /** Left out: the client's own user requests it (the `oem` cookie). Given: sales requests it for the client. */
  clientId?: string | undefined;
  sku: string;
  quantity: number;
  spareRateBps: number;
  deliveryDate: string;
  orderNumber?: string | undefined;
  lots: { lot: string; units?: number | undefined; serials?: { first: string; last: string } | undefined }[];
  /** The contract price sales keeps for the client and product; added to the price list when given. */
  unitPrice?: { amountMinor: number; currency: string } | undefined;
};

/**
 * An order the way it now comes to be: the client (or sales) requests it, sales confirm it at the
 * price list's contract price with the spare rate, QA records each lot (when not yet recorded) and
 * ships the order's units from it. Answers the order as it stands at the end (a refusal throws).
 */
export async function bookOrder(
  app: FastifyInstance,
  cookies: { oem?: string | undefined; sales: string; qa: string },
  input: BookOrderInput,
): Promise<{ id: string; orderNumber: string; version: number; clientId: string } & Record<string, unknown>> {
  const call = async (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await app.inject({
      method,
      url,
      headers: { origin: ORIGIN, cookie },
      ...(payload ? { payload } : {}),
    });
    return res;
  };
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names what the answer is
  const ok = <T>(res: LightMyRequestResponse, what: string): T => {
    if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };
  const requester = input.clientId ? cookies.sales : (cookies.oem ?? '');
  const requested = ok<{
    id: string;
    orderedOn: string;
    version: number;
    client: { id: string };
    product: { id: string };
  }>(
    await call(requester, 'POST', '/api/v1/oem-orders', {
      ...(input.clientId ? { clientId: input.clientId } : {}),
      sku: input.sku,
      quantity: input.quantity,
      deliveryDate: input.deliveryDate,
      ...(input.orderNumber ? { orderNumber: input.orderNumber } : {}),
    }),
    'request',
  );
  const price = input.unitPrice ?? { amountMinor: 10_000, currency: 'CNY' };
  const priced = await call(cookies.sales, 'POST', '/api/v1/oem-price-list', {
    clientId: requested.client.id,
    sku: input.sku,
    unitPrice: price,
    effectiveFrom: input.unitPrice ? requested.orderedOn : '2020-01-01',
  });
  if (priced.statusCode !== 201 && priced.statusCode !== 409) throw new Error(`price: ${priced.body}`);
  let order = ok<{ id: string; orderNumber: string; version: number }>(
    await call(cookies.sales, 'POST', `/api/v1/oem-orders/${requested.id}/confirmation`, {
      spareRateBps: input.spareRateBps,
      deliveryDate: input.deliveryDate,
      expectedVersion: requested.version,
    }),
    'confirmation',
  );
  const lotsNow = ok<{ id: string; code: string }[]>(
    await call(cookies.qa, 'GET', `/api/v1/lots?productId=${requested.product.id}`),
    'lots',
  );
  for (const l of input.lots) {
    const units = l.units ?? input.quantity;
    let lot = lotsNow.find((x) => x.code === l.lot);
    if (!lot) {
      lot = ok<{ id: string; code: string }>(
        await call(cookies.qa, 'POST', '/api/v1/lots', {
          sku: input.sku,
          code: l.lot,
          quantity: units,
          madeOn: '2026-01-05',
        }),
        `lot ${l.lot}`,
      );
    }
    ok(
      await call(cookies.qa, 'POST', `/api/v1/lots/${lot.id}/allocations`, {
        orderId: order.id,
        units,
        ...(l.serials ? { serials: l.serials } : {}),
      }),
      `allocation of ${l.lot}`,
    );
  }
  order = ok(await call(cookies.qa, 'GET', `/api/v1/oem-orders/${order.id}`), 'order');
  return { ...(order as Record<string, unknown>), ...order, clientId: requested.client.id };
}

/** QA accepts every undecided unit of an order's reports (adding an evidence file where one lacks). */
export async function acceptAllReported(
  app: FastifyInstance,
  qaCookie: string,
  orderId: string,
): Promise<void> {
  for (;;) {
    const queue = (
      await app.inject({
        method: 'GET',
        url: '/api/v1/oem-defect-reports/reviews?limit=500',
        headers: { origin: ORIGIN, cookie: qaCookie },
      })
    ).json<
      {
        id: string;
        order: { id: string };
        review: { undecidedUnits: number };
        evidenceUploadIds: string[];
        orderVersion: number;
      }[]
    >();
    const item = queue.find((q) => q.order.id === orderId);
    if (!item) return;
    if (item.evidenceUploadIds.length === 0) {
      const version = item.orderVersion;
      const rma = await app.inject({
        method: 'POST',
        url: `/api/v1/oem-defect-reports/${item.id}/return-request`,
        headers: { origin: ORIGIN, cookie: qaCookie },
        payload: { expectedVersion: version },
      });
      if (rma.statusCode !== 200 && rma.statusCode !== 409) throw new Error(`return: ${rma.body}`);
    }
    const fresh = (
      await app.inject({
        method: 'GET',
        url: '/api/v1/oem-defect-reports/reviews?limit=500',
        headers: { origin: ORIGIN, cookie: qaCookie },
      })
    )
      .json<{ id: string; orderVersion: number; evidenceUploadIds: string[] }[]>()
      .find((q) => q.id === item.id);
    if (!fresh) continue;
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/oem-defect-reports/${item.id}/review`,
      headers: { origin: ORIGIN, cookie: qaCookie },
      payload: {
        acceptUnits: item.review.undecidedUnits,
        basis: fresh.evidenceUploadIds.length > 0 ? 'evidence' : 'returned_units',
        expectedVersion: fresh.orderVersion,
      },
    });
    if (res.statusCode !== 200) throw new Error(`review: ${res.body}`);
  }
}
