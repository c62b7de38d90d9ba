import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { search } from '../../app/search/search.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { searchQuerySchema, searchResultsSchema } from './schemas.js';

export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      config: { access: 'search.use' },
      schema: {
        tags: ['search'],
        summary: 'Staff search: claims, maintenance orders and purchases the caller may read, a few of each',
        description:
          'Matches any part of a maintenance number, claim reference, serial, or a customer’s or buyer’s name, e-mail or phone (by its digits), case aside; a text of two characters matches the start of a value. Each group holds the newest matches; `more` says there are others. A text matching more than 100 rows of a kind (a common name) is looked for among the first 100 of each, and the groups say `more`: the lists’ `q` pages through every match. A dealer finds its own sales and the claims on them, a technician its center’s orders. 400 VALIDATION_FAILED when q is shorter than 2 or longer than 100 characters once trimmed; control characters are refused by the text guard.',
        querystring: searchQuerySchema,
        response: {
          200: searchResultsSchema,
          400: errorResponseSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
        },
      },
    },
    async (request) => search({ db: app.db.db }, currentActor(request), request.query.q),
  );
};
