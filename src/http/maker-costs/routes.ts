import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getRemakeOrder,
  listRemakeOrders,
  makerCostCsv,
  makerCostLedger,
  recordMakerCost,
} from '../../app/oem/maker-costs.js';
import { moveRemakeOrder } from '../../app/oem/move-remake-order.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import {
  costEntrySchema,
  makerCostLedgerSchema,
  makerCostQuerySchema,
  recordMakerCostRequestSchema,
} from '../batch-investigations/schemas.js';
import { errorResponseSchema } from '../errors.js';
import { oemDeps } from '../oem-orders/routes.js';
import {
  listShipmentsQuerySchema,
  moveShipmentRequestSchema,
  remakeOrderSchema,
} from '../oem-orders/schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};
const moveErrors = { ...errors, 409: errorResponseSchema };

/** The maker's cost ledger of batch defects, per client, product and lot, and its CSV export. */
export const makerCostRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'makerCosts.read' },
      schema: {
        tags: ['quality'],
        summary: 'The maker’s cost ledger: entries and totals per client, product, lot and currency',
        querystring: makerCostQuerySchema,
        response: { 200: makerCostLedgerSchema, ...errors },
      },
    },
    async (request) => makerCostLedger(oemDeps(app), currentActor(request), request.query),
  );

  app.get(
    '/export',
    {
      config: { access: 'makerCosts.read' },
      schema: {
        tags: ['quality'],
        summary: 'The cost ledger as CSV (text/csv), with the same filters',
        querystring: makerCostQuerySchema,
        produces: ['text/csv'],
        response: { 200: z.string().describe('CSV with a header row'), ...errors },
      },
    },
    async (request, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="maker-costs.csv"')
        .send(await makerCostCsv(oemDeps(app), currentActor(request), request.query)),
  );
};

/**
 * Remake orders of confirmed batch defects: read by staff and by their client, moved by QA from
 * production to delivery by air, and further costs booked against one.
 */
export const remakeOrderRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'remakeOrders.read' },
      schema: {
        tags: ['quality'],
        summary: 'Remake orders, newest first (an OEM client’s user: its own)',
        querystring: listShipmentsQuerySchema,
        response: { 200: z.array(remakeOrderSchema), ...errors },
      },
    },
    async (request) => listRemakeOrders(oemDeps(app), currentActor(request), request.query),
  );

  app.get(
    '/:id',
    {
      config: { access: 'remakeOrders.read' },
      schema: {
        tags: ['quality'],
        summary:
          'One remake order, with its shipment: state, carrier, air waybill, days shipped and delivered',
        params: idParams,
        response: { 200: remakeOrderSchema, ...errors },
      },
    },
    async (request) => getRemakeOrder(oemDeps(app), currentActor(request), request.params.id),
  );

  app.post(
    '/:id/transitions',
    {
      config: { access: 'remakeOrders.ship' },
      schema: {
        tags: ['quality'],
        summary:
          'Move a remake order: in production, shipped by air with carrier and waybill, delivered, cancelled',
        description:
          'planned → in_production → shipped → delivered; cancelled from planned or in_production (with a reason). ' +
          'Shipping needs `carrier` and `waybill` (400 CARRIER_REQUIRED, WAYBILL_REQUIRED) and goes by air only ' +
          '(400 SHIPPING_MODE_NOT_ALLOWED); days are the store’s, today by default, never after today. An illegal ' +
          'move is 409 ILLEGAL_TRANSITION with `details.allowed`; a stale `expectedVersion` 409 VERSION_CONFLICT. ' +
          'The client is written to when it ships (with the waybill) and when it is delivered.',
        params: idParams,
        body: moveShipmentRequestSchema,
        response: { 200: remakeOrderSchema, ...moveErrors },
      },
    },
    async (request) => moveRemakeOrder(oemDeps(app), currentActor(request), request.params.id, request.body),
  );

  app.post(
    '/:id/costs',
    {
      config: { access: 'makerCosts.record' },
      schema: {
        tags: ['quality'],
        summary: 'Book a further cost of a remake (actual freight, customs, rework): a new ledger entry',
        params: idParams,
        body: recordMakerCostRequestSchema,
        response: { 201: costEntrySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await recordMakerCost(oemDeps(app), currentActor(request), request.params.id, request.body)),
  );
};
