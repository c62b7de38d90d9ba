import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listProducts } from '../../app/catalog/list-products.js';
import { listCataloguePrices, setCataloguePrice } from '../../app/catalog/catalogue-price.js';
import { createProduct, listProductsForAdmin, updateProduct } from '../../app/catalog/products.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
  cataloguePriceRequestSchema,
  createProductRequestSchema,
  productSchema,
  productSummarySchema,
  updateProductRequestSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db });

  app.get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalog'],
        summary: 'The maker’s products, for pickers and the support page',
        response: { 200: z.array(productSummarySchema) },
      },
    },
    async () => listProducts(deps()),
  );

  // The public list above is the contract of the support page and carries no ids; editing needs them.
  app.get(
    '/admin',
    {
      config: { access: 'products.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Every product with its id and warranty override, by SKU',
        response: { 200: z.array(productSchema), ...errors },
      },
    },
    async (request) => listProductsForAdmin(deps(), currentActor(request)),
  );

  app.get(
    '/prices',
    {
      config: { access: 'products.price' },
      schema: {
        tags: ['catalog'],
        summary: 'Every product with its catalogue price, by SKU (sales and admins)',
        response: { 200: z.array(productSchema), ...errors },
      },
    },
    async (request) => listCataloguePrices(app.db.db, currentActor(request)),
  );

  app.put(
    '/:id/price',
    {
      config: { access: 'products.price' },
      schema: {
        tags: ['catalog'],
        summary: 'Set or clear a product’s catalogue price: the most a dealer may ask back for one unit',
        params: idParams,
        body: cataloguePriceRequestSchema,
        response: { 200: productSchema, ...errors },
      },
    },
    async (request) =>
      setCataloguePrice(app.db.db, currentActor(request), request.params.id, request.body.price),
  );

  app.post(
    '/',
    {
      config: { access: 'products.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Add a product (a SKU already in use: 409 SKU_TAKEN)',
        body: createProductRequestSchema,
        response: { 201: productSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createProduct(deps(), currentActor(request), request.body)),
  );

  app.patch(
    '/:id',
    {
      config: { access: 'products.manage' },
      schema: {
        tags: ['admin'],
        summary: 'Change a product: only the fields sent; warrantyOverride null returns it to the policy’s',
        params: idParams,
        body: updateProductRequestSchema,
        response: { 200: productSchema, ...errors },
      },
    },
    async (request) => updateProduct(deps(), currentActor(request), request.params.id, request.body),
  );
};
