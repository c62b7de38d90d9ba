import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { PurchasesDeps } from '../../app/purchases/purchase-view.js';
import {
  getPurchaseVerification,
  listPurchaseVerifications,
  verifyPurchase,
} from '../../app/purchases/verify-purchase.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { pageSchema } from '../list-query.js';
import {
  purchaseSchema,
  verificationQueueQuerySchema,
  verifyPurchaseRequestSchema,
} from '../purchases/schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

/**
 * Checking customers' registrations against their proof (issue 14): who says so — the customer, alone;
 * who checks — the dealer the registration names, or support. Never the customer.
 */
export const purchaseVerificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = (): PurchasesDeps => ({
    db: app.db.db,
    policies: app.policies,
    storeTimeZone: app.config.storeTimeZone,
    now: app.clock,
  });

  app.get(
    '/',
    {
      config: { access: 'purchases.verify' },
      schema: {
        tags: ['purchases'],
        summary:
          'Registrations to check, oldest first, a page at a time, with their proof (support: all; a dealer: those naming it)',
        description: 'The next page is `cursor` = the answer’s `nextCursor`.',
        querystring: verificationQueueQuerySchema,
        response: { 200: pageSchema(purchaseSchema, 'PurchaseVerificationPage'), ...errors },
      },
    },
    async (request) => listPurchaseVerifications(deps(), currentActor(request), request.query),
  );

  app.get(
    '/:id',
    {
      config: { access: 'purchases.verify' },
      schema: {
        tags: ['purchases'],
        summary: 'One registration to check, with its proof',
        params: idParams,
        response: { 200: purchaseSchema, ...errors },
      },
    },
    async (request) => getPurchaseVerification(deps(), currentActor(request), request.params.id),
  );

  app.post(
    '/:id/decision',
    {
      config: { access: 'purchases.verify' },
      schema: {
        tags: ['purchases'],
        summary: 'Confirm, correct and confirm, or reject a customer’s registration',
        description:
          'Only a pending registration (409 PURCHASE_NOT_PENDING). A correction changes the purchase date and/or (support) the dealer, is audited from → to, and decides the open claims on the purchase again; a date before the unit left the maker is 422 PURCHASE_BEFORE_UNIT_MADE, one after a claim on it 422 PURCHASE_DATE_AFTER_CLAIM. A rejection’s reason is shown to the customer.',
        params: idParams,
        body: verifyPurchaseRequestSchema,
        response: { 200: purchaseSchema, ...errors, 422: errorResponseSchema },
      },
    },
    async (request) => verifyPurchase(deps(), currentActor(request), request.params.id, request.body),
  );
};
