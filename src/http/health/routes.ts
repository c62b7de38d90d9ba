import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DATABASE_RETRY_AFTER_SECONDS, errorBody, errorResponseSchema } from '../errors.js';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The process can serve: its database answers',
        response: {
          200: z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']) }),
          503: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      try {
        await app.db.ping();
        return { status: 'ready' as const, database: app.db.kind };
      } catch (err) {
        request.log.warn({ err }, 'database not reachable');
        void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
        return reply.code(503).send(errorBody('DATABASE_UNREACHABLE', 'The database does not answer.'));
      }
    },
  );
};
