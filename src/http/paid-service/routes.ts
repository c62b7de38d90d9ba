import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EXPORT_ROW_CAP } from '../../app/lists/csv-export.js';
import { createQuote } from '../../app/paid-service/create-quote.js';
import { invoiceQuote } from '../../app/paid-service/invoice-quote.js';
import { markQuoteRepaired } from '../../app/paid-service/mark-quote-repaired.js';
import { exportQuotes, getQuote, listQuotes } from '../../app/paid-service/read-quotes.js';
import {
  recordPhoneResponse,
  respondToQuote,
  respondToQuoteByLink,
  viewQuoteByLink,
} from '../../app/paid-service/respond-to-quote.js';
import { sendQuote } from '../../app/paid-service/send-quote.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { csvDisposition, csvResponseSchema, pageSchema } from '../list-query.js';
import {
  createQuoteRequestSchema,
  exportQuotesQuerySchema,
  guestQuoteResponseRequestSchema,
  guestQuoteSchema,
  listQuotesQuerySchema,
  phoneQuoteResponseRequestSchema,
  quoteLinkRequestSchema,
  quoteResponseRequestSchema,
  quoteSchema,
  quoteVersionRequestSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};
const moveErrors = { ...errors, 409: errorResponseSchema };

/** Under /api/v1/claims: a quote prices the paid service of one claim. */
export const claimQuoteRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/:id/quotes',
    {
      config: { access: 'quotes.manage' },
      schema: {
        tags: ['paid service'],
        summary:
          'Quote parts and labour for a claim decided as paid, or an order whose inspection found misuse',
        description:
          'Sales for any claim; an engineer for a maintenance order of their center. Money in integer minor units, one currency per quote (mixed: 400). Starts as a draft.',
        params: idParams,
        body: createQuoteRequestSchema,
        response: { 201: quoteSchema, ...moveErrors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await createQuote({ db: app.db.db }, currentActor(request), request.params.id, request.body)),
  );
};

export const quoteRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({ db: app.db.db, now: app.clock });
  const listDeps = () => ({ db: app.db.db, storeTimeZone: app.config.storeTimeZone });
  const guestConfig = {
    access: 'public' as const,
    rateLimit: { max: app.config.authRateLimitPerMinute, timeWindow: '1 minute' },
  };

  app.get(
    '/',
    {
      config: { access: 'quotes.read' },
      schema: {
        tags: ['paid service'],
        summary: 'Quotes, a page at a time (a customer: their own; an engineer: their center’s)',
        description:
          'Sorted by `sort` and `order` (newest first by default); the next page is `cursor` = the answer’s `nextCursor`. Filters combine; `toCall=true` with `sort=sentAt&order=asc` is the queue of customers to call, longest waiting first. `q` matches the invoice and maintenance numbers, the serial and the customer’s name, phone or e-mail. Days are the store’s calendar days.',
        querystring: listQuotesQuerySchema,
        response: { 200: pageSchema(quoteSchema, 'QuotePage'), ...errors },
      },
    },
    async (request) => listQuotes(listDeps(), currentActor(request), request.query),
  );

  app.get(
    '/export.csv',
    {
      config: { access: 'quotes.read' },
      schema: {
        tags: ['paid service'],
        summary: 'The quotes the filter selects, as CSV (text/csv), in the list’s sort',
        description: `Same filters, sort and access as the list; at most ${EXPORT_ROW_CAP} rows (more is a 422 EXPORT_TOO_LARGE).`,
        querystring: exportQuotesQuerySchema,
        produces: ['text/csv'],
        response: { 200: csvResponseSchema, ...errors, 422: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const csv = await exportQuotes(listDeps(), currentActor(request), request.query);
      return (
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', csvDisposition('quotes', app.clock()))
          // A stream is sent as it is read; the response schema documents the text it makes.
          .send(csv as unknown as string)
      );
    },
  );

  app.get(
    '/:id',
    {
      config: { access: 'quotes.read' },
      schema: {
        tags: ['paid service'],
        summary: 'One quote',
        params: idParams,
        response: { 200: quoteSchema, ...errors },
      },
    },
    async (request) => getQuote(deps(), currentActor(request), request.params.id),
  );

  app.post(
    '/:id/send',
    {
      config: { access: 'quotes.manage' },
      schema: {
        tags: ['paid service'],
        summary: 'Send a draft quote to the customer, with a link to accept or decline it (14 days)',
        params: idParams,
        body: quoteVersionRequestSchema,
        response: { 200: quoteSchema, ...moveErrors },
      },
    },
    async (request) =>
      sendQuote(
        { ...deps(), publicUrl: app.config.publicUrl, messageKey: app.messageKey },
        currentActor(request),
        request.params.id,
        request.body,
      ),
  );

  app.post(
    '/:id/response',
    {
      config: { access: 'quotes.respond' },
      schema: {
        tags: ['paid service'],
        summary: 'A signed-in customer accepts or declines their quote',
        params: idParams,
        body: quoteResponseRequestSchema,
        response: { 200: quoteSchema, ...moveErrors },
      },
    },
    async (request) => respondToQuote(deps(), currentActor(request), request.params.id, request.body),
  );

  app.post(
    '/:id/phone-response',
    {
      config: { access: 'quotes.recordPhoneResponse' },
      schema: {
        tags: ['paid service'],
        summary: 'Sales record the answer a customer gave by phone (accepted or declined), with a note',
        description:
          'The same rules as the customer’s own answer: only a sent quote, at the version read (409 otherwise). Audited with who took the call.',
        params: idParams,
        body: phoneQuoteResponseRequestSchema,
        response: { 200: quoteSchema, ...moveErrors },
      },
    },
    async (request) => recordPhoneResponse(deps(), currentActor(request), request.params.id, request.body),
  );

  app.post(
    '/:id/repaired',
    {
      config: { access: 'quotes.manage' },
      schema: {
        tags: ['paid service'],
        summary: 'The accepted work is done',
        params: idParams,
        body: quoteVersionRequestSchema,
        response: { 200: quoteSchema, ...moveErrors },
      },
    },
    async (request) => markQuoteRepaired(deps(), currentActor(request), request.params.id, request.body),
  );

  app.post(
    '/:id/invoice',
    {
      config: { access: 'quotes.manage' },
      schema: {
        tags: ['paid service'],
        summary: 'Invoice the repaired work: the quote gets its invoice number (INV-2026-000123)',
        params: idParams,
        body: quoteVersionRequestSchema,
        response: { 200: quoteSchema, ...moveErrors },
      },
    },
    async (request) =>
      invoiceQuote(
        { ...deps(), storeTimeZone: app.config.storeTimeZone },
        currentActor(request),
        request.params.id,
        request.body,
      ),
  );

  /*
   * Without an account, through the link in the quote message. The token travels in the body, out of
   * access logs, and both routes are rate limited per client like sign-in.
   */

  app.post(
    '/link',
    {
      config: guestConfig,
      schema: {
        tags: ['paid service'],
        summary: 'The quote behind a link, to show before answering it',
        body: quoteLinkRequestSchema,
        response: { 200: guestQuoteSchema, ...errors, 410: errorResponseSchema, 429: errorResponseSchema },
      },
    },
    async (request) => viewQuoteByLink(deps(), request.body.token),
  );

  app.post(
    '/respond',
    {
      config: guestConfig,
      schema: {
        tags: ['paid service'],
        summary: 'Accept or decline a quote through its link (once)',
        description:
          'An expired link answers 410; a used link, or a quote no longer waiting for an answer, 409.',
        body: guestQuoteResponseRequestSchema,
        response: {
          200: guestQuoteSchema,
          ...moveErrors,
          410: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request) => respondToQuoteByLink(deps(), request.body),
  );
};
