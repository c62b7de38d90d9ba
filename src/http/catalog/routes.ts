import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listProducts } from '../../app/catalog/list-products.js';
import { productSummarySchema } from './schemas.js';

export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
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
    async () => listProducts({ db: app.db.db }),
  );
};
