import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getRemakeOrder,
  listRemakeOrders,
  makerCostCsv,
  makerCostLedger,
  recordMakerCost,
} from '../../app/oem/maker-costs.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import {
  costEntrySchema,
  listRemakeOrdersQuerySchema,
  makerCostLedgerSchema,
  makerCostQuerySchema,
  recordMakerCostRequestSchema,
} from '../batch-investigations/schemas.js';
import { errorResponseSchema } from '../errors.js';
import { oemDeps } from '../oem-orders/routes.js';
import { remakeOrderSchema } from '../oem-orders/schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

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

/** Remake orders of confirmed batch defects, and further costs booked against one. */
export const remakeOrderRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'batchInvestigations.read' },
      schema: {
        tags: ['quality'],
        summary: 'Remake orders, newest first',
        querystring: listRemakeOrdersQuerySchema,
        response: { 200: z.array(remakeOrderSchema), ...errors },
      },
    },
    async (request) => listRemakeOrders(oemDeps(app), currentActor(request), request.query),
  );

  app.get(
    '/:id',
    {
      config: { access: 'batchInvestigations.read' },
      schema: {
        tags: ['quality'],
        summary: 'One remake order',
        params: idParams,
        response: { 200: remakeOrderSchema, ...errors },
      },
    },
    async (request) => getRemakeOrder(oemDeps(app), currentActor(request), request.params.id),
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
