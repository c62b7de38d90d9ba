import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { confirmOemOrder } from '../../app/oem/orders/confirm-oem-order.js';
import { declineOemOrder } from '../../app/oem/orders/decline-oem-order.js';
import { requestOemOrder } from '../../app/oem/orders/request-oem-order.js';
import type { OemDeps } from '../../app/oem/oem-records.js';
import { EXPORT_ROW_CAP } from '../../app/lists/csv-export.js';
import {
  exportOemOrders,
  getOemOrder,
  getOrderLedger,
  listDefectReports,
  listOemOrders,
} from '../../app/oem/read-oem-orders.js';
import { reportDefects } from '../../app/oem/report-defects.js';
import { resolveExcess } from '../../app/oem/resolve-excess.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { readerLanguage } from '../language.js';
import { csvDisposition, csvResponseSchema, pageSchema } from '../list-query.js';
import { idempotencyHeadersSchema } from '../purchases/schemas.js';
import {
  confirmOemOrderRequestSchema,
  createOemOrderRequestSchema,
  declineOemOrderRequestSchema,
  exportOemOrdersQuerySchema,
  defectReportSchema,
  ledgerQuerySchema,
  ledgerSchema,
  listOemOrdersQuerySchema,
  oemOrderSchema,
  oemOrderSummarySchema,
  reportDefectsRequestSchema,
  resolvedExcessSchema,
  resolveExcessRequestSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

export function oemDeps(app: Parameters<FastifyPluginAsyncZod>[0]): OemDeps {
  return { db: app.db.db, policies: app.policies, storeTimeZone: app.config.storeTimeZone, now: app.clock };
}

/** OEM orders: booking, the spares, defect reports, the ledger and the remedy for excess defects. */
export const oemOrderRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => oemDeps(app);

  app.get(
    '/',
    {
      config: { access: 'oemOrders.read' },
      schema: {
        tags: ['oem'],
        summary: 'OEM orders, a page at a time (an OEM client’s user: its own)',
        description:
          'Sorted by `sort` and `order` (newest first by default); the next page is `cursor` = the answer’s `nextCursor`. Filters combine; `q` matches the order number, the client’s name, the SKU and the lots.',
        querystring: listOemOrdersQuerySchema,
        response: { 200: pageSchema(oemOrderSummarySchema, 'OemOrderPage'), ...errors },
      },
    },
    async (request) => listOemOrders(deps(), currentActor(request), request.query),
  );

  app.get(
    '/export.csv',
    {
      config: { access: 'oemOrders.read' },
      schema: {
        tags: ['oem'],
        summary: 'The OEM orders the filter selects, as CSV (text/csv), in the list’s sort',
        description: `Same filters, sort and access as the list; at most ${EXPORT_ROW_CAP} rows (more is a 422 EXPORT_TOO_LARGE).`,
        querystring: exportOemOrdersQuerySchema,
        produces: ['text/csv'],
        response: { 200: csvResponseSchema, ...errors, 422: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const csv = await exportOemOrders(deps(), currentActor(request), request.query);
      return (
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', csvDisposition('oem-orders', app.clock()))
          // A stream is sent as it is read; the response schema documents the text it makes.
          .send(csv as unknown as string)
      );
    },
  );

  app.post(
    '/',
    {
      config: { access: 'oemOrders.create' },
      schema: {
        tags: ['oem'],
        summary: 'Request an OEM order: product, quantity, wanted delivery, the client’s number — no price',
        description:
          'The order starts `requested`: no price, no spares, no lots. The maker’s sales confirm it at the contract price for the client and product (POST …/{id}/confirmation) or decline it. A price, a spare rate or lots in the request are refused (400: the fields do not exist). A taken order number is 409 ORDER_NUMBER_TAKEN.',
        body: createOemOrderRequestSchema,
        response: { 201: oemOrderSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await requestOemOrder(deps(), currentActor(request), request.body)),
  );

  app.post(
    '/:id/confirmation',
    {
      config: { access: 'oemOrders.confirm' },
      schema: {
        tags: ['oem'],
        summary: 'Sales confirm a requested order at the contract price and a spare rate',
        description:
          'The unit price is the price list’s entry in force for the client and product on the order’s day (none: 409 NO_CONTRACT_PRICE); the spare rate within the policy’s range (else 400 SPARE_RATE_OUT_OF_RANGE). The client’s pending next-order credits this order can take are applied in the same transaction. Not requested: 409 ILLEGAL_TRANSITION; stale: 409 VERSION_CONFLICT.',
        params: idParams,
        body: confirmOemOrderRequestSchema,
        response: { 200: oemOrderSchema, ...errors },
      },
    },
    async (request) => confirmOemOrder(deps(), currentActor(request), request.params.id, request.body),
  );

  app.post(
    '/:id/decline',
    {
      config: { access: 'oemOrders.confirm' },
      schema: {
        tags: ['oem'],
        summary: 'Sales decline a requested order, with a reason the client reads',
        params: idParams,
        body: declineOemOrderRequestSchema,
        response: { 200: oemOrderSchema, ...errors },
      },
    },
    async (request) => declineOemOrder(deps(), currentActor(request), request.params.id, request.body),
  );

  app.get(
    '/:id',
    {
      config: { access: 'oemOrders.read' },
      schema: {
        tags: ['oem'],
        summary: 'One OEM order, with the credits it took and gave and its remake orders',
        params: idParams,
        response: { 200: oemOrderSchema, ...errors },
      },
    },
    async (request) => getOemOrder(deps(), currentActor(request), request.params.id),
  );

  app.get(
    '/:id/ledger',
    {
      config: { access: 'oemOrders.read' },
      schema: {
        tags: ['oem'],
        summary: 'The order’s defect ledger for its defect window (computed from the reports, never edited)',
        params: idParams,
        querystring: ledgerQuerySchema,
        response: { 200: ledgerSchema, ...errors },
      },
    },
    async (request) =>
      getOrderLedger(
        deps(),
        currentActor(request),
        request.params.id,
        readerLanguage(request, request.query.lang),
      ),
  );

  app.get(
    '/:id/defect-reports',
    {
      config: { access: 'oemOrders.read' },
      schema: {
        tags: ['oem'],
        summary: 'The order’s defect reports, in the order they were reported',
        params: idParams,
        response: { 200: z.array(defectReportSchema), ...errors },
      },
    },
    async (request) => listDefectReports(deps(), currentActor(request), request.params.id),
  );

  app.post(
    '/:id/defect-reports',
    {
      config: { access: 'oemDefects.report' },
      schema: {
        tags: ['oem'],
        summary:
          'Report defective units of the order: a count or serials, the lot, the failure mode, evidence',
        description:
          'The order must be confirmed (409 ORDER_NOT_CONFIRMED); the lot one of the order’s; serials in the lot’s range when it has one and not reported before; never more defects than the units delivered (400 UNITS_EXCEED_DELIVERED / UNITS_EXCEED_LOT). Units within the spares are covered at once; units beyond them wait for QA to accept them (from the evidence or returned units) before any remedy. A report on a lot under a confirmed batch defect joins its remake at once.',
        params: idParams,
        body: reportDefectsRequestSchema,
        response: { 201: defectReportSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await reportDefects(deps(), currentActor(request), request.params.id, request.body)),
  );

  app.post(
    '/:id/excess-resolutions',
    {
      config: { access: 'oemExcess.resolve' },
      schema: {
        tags: ['oem'],
        summary: 'Choose the remedy for excess defects: a replacement shipment or a credit on the next order',
        description:
          'Only for units beyond the spares that QA accepted (the ledger’s `excess`). With the ledger’s `version` as expectedVersion (stale: 409 VERSION_CONFLICT). No accepted excess left: 409 NO_EXCESS; a money credit on an order without a unit price: 409 UNIT_PRICE_UNKNOWN. With an Idempotency-Key, a retry answers 200 with the first choice; the key with another choice is 409 IDEMPOTENCY_KEY_REUSED.',
        params: idParams,
        headers: idempotencyHeadersSchema,
        body: resolveExcessRequestSchema,
        response: { 200: resolvedExcessSchema, 201: resolvedExcessSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { replayed, ...resolved } = await resolveExcess(
        deps(),
        currentActor(request),
        request.params.id,
        {
          ...request.body,
          idempotencyKey: request.headers['idempotency-key'],
        },
      );
      return reply.code(replayed ? 200 : 201).send(resolved);
    },
  );
};
