import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { issueMaintenanceOrder } from '../../app/maintenance/issue-maintenance-order.js';
import { moveMaintenanceOrder } from '../../app/maintenance/move-maintenance-order.js';
import { EXPORT_ROW_CAP } from '../../app/lists/csv-export.js';
import {
  exportMaintenanceOrders,
  getMaintenanceOrder,
  listMaintenanceOrders,
} from '../../app/maintenance/read-maintenance-orders.js';
import { recordCustomerContact } from '../../app/maintenance/record-contact.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { csvDisposition, csvResponseSchema, pageSchema } from '../list-query.js';
import {
  exportMaintenanceOrdersQuery,
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
        summary:
          'Maintenance orders, a page at a time, nearest deadline first (a technician: its center’s queue)',
        description:
          'Support and staff see every center’s orders. Sorted by `sort` and `order`; the next page is `cursor` = the answer’s `nextCursor`. `q` matches the maintenance number, serial and the customer’s name, phone or e-mail.',
        querystring: listMaintenanceOrdersQuery,
        response: { 200: pageSchema(maintenanceOrderSchema, 'MaintenanceOrderPage'), ...errors },
      },
    },
    async (request) => listMaintenanceOrders(deps(), currentActor(request), request.query),
  );

  app.get(
    '/maintenance-orders/export.csv',
    {
      config: { access: 'maintenanceOrders.read' },
      schema: {
        tags: ['maintenance'],
        summary: 'The maintenance orders the filter selects, as CSV (text/csv), in the list’s sort',
        description: `Same filters, sort and access as the list; at most ${EXPORT_ROW_CAP} rows (more is a 422 EXPORT_TOO_LARGE).`,
        querystring: exportMaintenanceOrdersQuery,
        produces: ['text/csv'],
        response: { 200: csvResponseSchema, ...errors, 422: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const csv = await exportMaintenanceOrders(deps(), currentActor(request), request.query);
      return (
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', csvDisposition('maintenance-orders', app.clock()))
          // A stream is sent as it is read; the response schema documents the text it makes.
          .send(csv as unknown as string)
      );
    },
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
      moveMaintenanceOrder(
        {
          ...deps(),
          publicUrl: app.config.publicUrl,
          messageKey: app.messageKey,
          storeTimeZone: app.config.storeTimeZone,
        },
        currentActor(request),
        { orderId: request.params.id, ...request.body },
      ),
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
