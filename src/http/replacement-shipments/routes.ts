import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { moveReplacementShipment } from '../../app/oem/move-replacement-shipment.js';
import {
  getReplacementShipment,
  listReplacementShipments,
} from '../../app/oem/read-replacement-shipments.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { oemDeps } from '../oem-orders/routes.js';
import {
  listShipmentsQuerySchema,
  moveShipmentRequestSchema,
  replacementShipmentSchema,
} from '../oem-orders/schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/**
 * Replacement shipments: the new units a client chose for its excess defects, made with its choice
 * (POST /api/v1/oem-orders/{id}/excess-resolutions) and moved by sales to delivery.
 */
export const replacementShipmentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'replacementShipments.read' },
      schema: {
        tags: ['oem'],
        summary: 'Replacement shipments, newest first (an OEM client’s user: its own)',
        querystring: listShipmentsQuerySchema,
        response: { 200: z.array(replacementShipmentSchema), ...errors },
      },
    },
    async (request) => listReplacementShipments(oemDeps(app), currentActor(request), request.query),
  );

  app.get(
    '/:id',
    {
      config: { access: 'replacementShipments.read' },
      schema: {
        tags: ['oem'],
        summary: 'One replacement shipment: state, mode, carrier, waybill, days shipped and delivered',
        params: idParams,
        response: { 200: replacementShipmentSchema, ...errors },
      },
    },
    async (request) => getReplacementShipment(oemDeps(app), currentActor(request), request.params.id),
  );

  app.post(
    '/:id/transitions',
    {
      config: { access: 'replacementShipments.ship' },
      schema: {
        tags: ['oem'],
        summary:
          'Move a replacement shipment: in production, shipped with carrier and waybill, delivered, cancelled',
        description:
          'planned → in_production → shipped → delivered; cancelled from planned or in_production (with a reason). ' +
          'Shipping needs `carrier` and `waybill` and may set `shippingMode` (air, sea — the default — or road); ' +
          'days are the store’s, today by default, never after today. An illegal move is 409 ILLEGAL_TRANSITION ' +
          'with `details.allowed`; a stale `expectedVersion` 409 VERSION_CONFLICT. The client is written to when ' +
          'it ships (with the waybill) and when it is delivered.',
        params: idParams,
        body: moveShipmentRequestSchema,
        response: { 200: replacementShipmentSchema, ...errors, 409: errorResponseSchema },
      },
    },
    async (request) =>
      moveReplacementShipment(oemDeps(app), currentActor(request), request.params.id, request.body),
  );
};
