import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../app/errors.js';
import { importPurchases } from '../../app/purchases/import-purchases.js';
import type { PurchasesDeps } from '../../app/purchases/purchase-view.js';
import { EXPORT_ROW_CAP } from '../../app/lists/csv-export.js';
import { exportPurchases, getPurchase, listPurchases } from '../../app/purchases/read-purchases.js';
import { recordPurchase } from '../../app/purchases/record-purchase.js';
import { registerPurchase } from '../../app/purchases/register-purchase.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { csvDisposition, csvResponseSchema, pageSchema } from '../list-query.js';
import {
  idempotencyHeadersSchema,
  importPurchasesBodySchema,
  importPurchasesQuerySchema,
  importPurchasesResponseSchema,
  purchaseExportQuerySchema,
  purchaseListQuerySchema,
  purchaseSchema,
  recordPurchaseRequestSchema,
  registerPurchaseRequestSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

/** 5,000 rows of a few hundred characters each, with room to spare; every other route keeps 256 KiB. */
const IMPORT_BODY_LIMIT = 4 * 1024 * 1024;

export const purchaseRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = (): PurchasesDeps => ({
    db: app.db.db,
    policies: app.policies,
    storeTimeZone: app.config.storeTimeZone,
    now: app.clock,
  });

  // Only in this plugin: the rest of the API speaks JSON alone.
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
    (_r, body, done) => {
      done(null, body);
    },
  );

  app.get(
    '/',
    {
      config: { access: 'purchases.read' },
      schema: {
        tags: ['purchases'],
        summary:
          'Purchases, a page at a time, with today’s warranty status (a dealer: its sales; a customer: theirs)',
        description:
          'Sorted by `sort` and `order` (newest purchase first by default); the next page is `cursor` = the answer’s `nextCursor`. Filters combine; `q` matches the serial and the customer’s or buyer’s name, phone or e-mail.',
        querystring: purchaseListQuerySchema,
        response: { 200: pageSchema(purchaseSchema, 'PurchasePage'), ...errors },
      },
    },
    async (request) => listPurchases(deps(), currentActor(request), request.query),
  );

  app.get(
    '/export.csv',
    {
      config: { access: 'purchases.read' },
      schema: {
        tags: ['purchases'],
        summary: 'The purchases the filter selects, as CSV (text/csv), in the list’s sort',
        description: `Same filters, sort and access as the list; at most ${EXPORT_ROW_CAP} rows (more is a 422 EXPORT_TOO_LARGE).`,
        querystring: purchaseExportQuerySchema,
        produces: ['text/csv'],
        response: { 200: csvResponseSchema, ...errors, 422: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const csv = await exportPurchases(deps(), currentActor(request), request.query);
      return (
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', csvDisposition('purchases', app.clock()))
          // A stream is sent as it is read; the response schema documents the text it makes.
          .send(csv as unknown as string)
      );
    },
  );

  app.get(
    '/:id',
    {
      config: { access: 'purchases.read' },
      schema: {
        tags: ['purchases'],
        summary: 'One purchase',
        params: idParams,
        response: { 200: purchaseSchema, ...errors },
      },
    },
    async (request) => getPurchase(deps(), currentActor(request), request.params.id),
  );

  app.post(
    '/',
    {
      config: { access: 'purchases.record' },
      schema: {
        tags: ['purchases'],
        summary: 'Record a sale (a dealer: its own; support and admins name the dealer)',
        description:
          'A serial on record gives its product; an unknown serial with an SKU adds the unit; an SKU alone records the product without a unit. The customer is found by e-mail address or phone number, or added. With an Idempotency-Key, a retry answers 200 with the sale first recorded; the key with another sale is a 409.',
        headers: idempotencyHeadersSchema,
        body: recordPurchaseRequestSchema,
        response: { 200: purchaseSchema, 201: purchaseSchema, ...errors, 422: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { replayed, ...purchase } = await recordPurchase(deps(), currentActor(request), {
        ...request.body,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return reply.code(replayed ? 200 : 201).send(purchase);
    },
  );

  app.post(
    '/import',
    {
      config: { access: 'purchases.record' },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['purchases'],
        summary: 'Import a dealer’s sales from a CSV file (text/csv): all rows or none',
        description:
          'Every row is checked first. If any is wrong, nothing is written and the answer is 400 IMPORT_REJECTED with `details.rows: [{ row, field, code, message }]` (row as a spreadsheet numbers it: the header is 1). Otherwise every sale is recorded in one transaction.',
        consumes: ['text/csv'],
        querystring: importPurchasesQuerySchema,
        body: importPurchasesBodySchema,
        response: {
          201: importPurchasesResponseSchema,
          ...errors,
          413: errorResponseSchema,
          415: errorResponseSchema,
        },
      },
      preValidation: async (request) => {
        const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
        if (type !== 'text/csv') {
          throw new AppError('unsupported_media_type', 'CSV_REQUIRED', 'send the file as text/csv');
        }
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await importPurchases(deps(), currentActor(request), {
          csv: request.body,
          dealerId: request.query.dealerId,
        }),
      ),
  );

  app.post(
    '/register',
    {
      config: { access: 'purchases.register' },
      schema: {
        tags: ['purchases'],
        summary: 'Register a product I bought, with my receipt',
        description:
          'The registration is pending until the dealer’s own record of the unit matches it, or the dealer it names or support checks the receipt (confirm, correct, reject); until then a claim on it is decided provisionally and no refund, replacement or free repair is carried out (409 PURCHASE_NOT_VERIFIED). One receipt — the same bytes, in any upload — proves one purchase (409 PROOF_ALREADY_USED); a unit is in one purchase (409 SERIAL_ALREADY_RECORDED; the customer’s own recorded sale answers 201 with it); a date before the unit left the maker is 422 PURCHASE_BEFORE_UNIT_MADE.',
        body: registerPurchaseRequestSchema,
        response: { 201: purchaseSchema, ...errors, 422: errorResponseSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await registerPurchase(deps(), currentActor(request), request.body)),
  );
};
