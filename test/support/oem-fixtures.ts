import type { FastifyInstance, InjectOptions } from 'fastify';
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
