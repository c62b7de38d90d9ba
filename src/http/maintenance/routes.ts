import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issueMaintenanceOrder } from '../../app/maintenance/issue-maintenance-order.js';
import { moveMaintenanceOrder } from '../../app/maintenance/move-maintenance-order.js';
import { getMaintenanceOrder, listMaintenanceOrders } from '../../app/maintenance/read-maintenance-orders.js';
import { recordCustomerContact } from '../../app/maintenance/record-contact.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
  issueMaintenanceOrderRequestSchema,
  listMaintenanceOrdersQuery,
  maintenanceOrderDetailSchema,
  maintenanceOrderParams,
  maintenanceOrderSchema,
  moveMaintenanceOrderRequestSchema,
  recordContactRequestSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};
const withConflict = { ...errors, 409: errorResponseSchema };

/** Registered under /api/v1: issuing hangs off its claim, the rest off the order. */
export const maintenanceOrderRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db, now: app.clock });

  app.post(
    '/claims/:id/maintenance-order',
    {
      config: { access: 'maintenanceOrders.issue' },
      schema: {
        tags: ['maintenance'],
        summary: 'Issue a maintenance order at the nearest service center, with its maintenance number',
        description:
          'Only for a claim whose decision offers free repair (the one-year window), and one open order per claim: a second answers 409 MAINTENANCE_ORDER_EXISTS with the existing number.',
        params: maintenanceOrderParams,
        body: issueMaintenanceOrderRequestSchema,
        response: { 201: maintenanceOrderSchema, ...withConflict },
      },
    },
    async (request, reply) => {
      const order = await issueMaintenanceOrder(
        {
          ...deps(),
          publicUrl: app.config.publicUrl,
          messageKey: app.messageKey,
          storeTimeZone: app.config.storeTimeZone,
        },
        currentActor(request),
        { claimId: request.params.id, ...request.body },
      );
      return reply.code(201).send(order);
    },
  );

  app.get(
    '/maintenance-orders',
    {
      config: { access: 'maintenanceOrders.read' },
      schema: {
        tags: ['maintenance'],
        summary: 'Maintenance orders, nearest deadline first (a technician: its center’s queue)',
        querystring: listMaintenanceOrdersQuery,
        response: { 200: z.array(maintenanceOrderSchema), ...errors },
      },
    },
    async (request) => listMaintenanceOrders(deps(), currentActor(request), request.query),
  );

  app.get(
    '/maintenance-orders/:id',
    {
      config: { access: 'maintenanceOrders.read' },
      schema: {
        tags: ['maintenance'],
        summary: 'One maintenance order with its timeline',
        params: maintenanceOrderParams,
        response: { 200: maintenanceOrderDetailSchema, ...errors },
      },
    },
    async (request) => getMaintenanceOrder(deps(), currentActor(request), request.params.id),
  );

  app.post(
    '/maintenance-orders/:id/transitions',
    {
      config: { access: 'maintenanceOrders.move' },
      schema: {
        tags: ['maintenance'],
        summary: 'Move a maintenance order: receive, diagnose, repair, return, close',
        description:
          'A move the state machine does not allow answers 409 ILLEGAL_TRANSITION with `details.allowed`; a stale `expectedVersion` 409 VERSION_CONFLICT with `details.currentVersion`.',
        params: maintenanceOrderParams,
        body: moveMaintenanceOrderRequestSchema,
        response: { 200: maintenanceOrderSchema, ...withConflict },
      },
    },
    async (request) =>
      moveMaintenanceOrder(deps(), currentActor(request), { orderId: request.params.id, ...request.body }),
  );

  app.post(
    '/maintenance-orders/:id/contact',
    {
      config: { access: 'maintenanceOrders.move' },
      schema: {
        tags: ['maintenance'],
        summary: 'Record that the center contacted the customer (within the service commitment), with a note',
        description:
          'The note goes on the order’s timeline as a contact entry, which the customer follows too; the answer is the order with its timeline.',
        params: maintenanceOrderParams,
        body: recordContactRequestSchema,
        response: { 200: maintenanceOrderDetailSchema, ...withConflict },
      },
    },
    async (request) =>
      recordCustomerContact(deps(), currentActor(request), { orderId: request.params.id, ...request.body }),
  );
};
