import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readDocumentSettings, setDocumentSettings } from '../../app/documents/document-settings.js';
import {
  type PrintedDocument,
  printGuestReturnLabel,
  printQuote,
  printReturnLabel,
} from '../../app/documents/documents.js';
import { FONT_MISSING } from '../../app/documents/pdf.js';
import { AppError } from '../../app/errors.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { langQuerySchema, readerLanguage } from '../language.js';
import { documentSettingsSchema, trackingLabelRequestSchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  503: errorResponseSchema,
};

/** The PDF is sent as it is; the schema only documents it as binary. */
const pdfResponse = z
  .instanceof(Buffer)
  .meta({ type: 'string', format: 'binary', description: 'The document (application/pdf)' });

const langQuery = z
  .object({
    lang: langQuerySchema.describe('The document’s language; defaults from Accept-Language, then English.'),
  })
  .strict();

/**
 * The documents people file (issue 19): a quote and its invoice, and the return label of a mail-in
 * order, as PDFs in the reader's language. Who may fetch each is who may read the quote or the order
 * (the same actions and scope checks as the JSON routes); a guest fetches their label with the tracking
 * link's token, in the body like every guest route. The documents' settings (maker, tax) are an admin's.
 */
export const documentRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({
    db: app.db.db,
    now: app.clock,
    storeTimeZone: app.config.storeTimeZone,
    font: app.config.documentFont,
  });

  /** Never cached (the customer's details are in it), always a download with a file name of our own. */
  async function send(request: FastifyRequest, reply: FastifyReply, printing: Promise<PrintedDocument>) {
    let printed: PrintedDocument;
    try {
      printed = await printing;
    } catch (err) {
      if (err instanceof AppError && err.code === FONT_MISSING) {
        request.log.error(
          { err, font: app.config.documentFont },
          'documents cannot be printed: font missing',
        );
      }
      throw err;
    }
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${printed.fileName}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(printed.pdf);
  }

  // The quote and its invoice: one route each, the same reader and the same printer.
  const quoteDocuments = [
    {
      kind: 'quote',
      summary: 'The quote as a printable PDF: maker, customer, lines, tax, total and where it stands',
      description:
        'Who may read the quote may print it (a customer: their own; an engineer: their center’s). Tax as the documents’ settings say today; an invoiced quote shows the tax it was invoiced with.',
    },
    {
      kind: 'invoice',
      summary: 'The invoice of an invoiced quote as a printable PDF',
      description:
        'Only once the quote is invoiced (409 QUOTE_NOT_INVOICED before). The tax is the one in force when it was invoiced, whatever has been set since.',
    },
  ] as const;
  for (const document of quoteDocuments) {
    app.get(
      `/quotes/:id/${document.kind}.pdf`,
      {
        config: { access: 'quotes.read' },
        schema: {
          tags: ['documents'],
          summary: document.summary,
          description: document.description,
          params: idParams,
          querystring: langQuery,
          produces: ['application/pdf'],
          response: { 200: pdfResponse, ...errors },
        },
      },
      async (request, reply) =>
        send(
          request,
          reply,
          printQuote(
            deps(),
            currentActor(request),
            request.params.id,
            document.kind,
            readerLanguage(request, request.query.lang),
          ),
        ),
    );
  }

  app.get(
    '/maintenance-orders/:id/return-label.pdf',
    {
      config: { access: 'maintenanceOrders.read' },
      schema: {
        tags: ['documents'],
        summary:
          'The return label of a mail-in order: the center’s address and the maintenance number as a barcode',
        description:
          'A 4 × 6 inch label with the maintenance number as Code 128. Only for mail-in orders (409 NOT_MAIL_IN otherwise).',
        params: idParams,
        querystring: langQuery,
        produces: ['application/pdf'],
        response: { 200: pdfResponse, ...errors },
      },
    },
    async (request, reply) =>
      send(
        request,
        reply,
        printReturnLabel(
          deps(),
          currentActor(request),
          request.params.id,
          readerLanguage(request, request.query.lang),
        ),
      ),
  );

  app.post(
    '/tracking/return-label.pdf',
    {
      config: {
        access: 'public',
        rateLimit: { max: app.config.authRateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['documents'],
        summary: 'A guest’s return label, through their tracking link',
        description:
          'For the order the tracking page shows, if it is mailed in. Like the tracking page it names nobody: the sender’s lines are left to fill in by hand.',
        querystring: langQuery,
        body: trackingLabelRequestSchema,
        produces: ['application/pdf'],
        response: { 200: pdfResponse, ...errors, 410: errorResponseSchema, 429: errorResponseSchema },
      },
    },
    async (request, reply) =>
      send(
        request,
        reply,
        printGuestReturnLabel(deps(), request.body.token, readerLanguage(request, request.query.lang)),
      ),
  );

  app.get(
    '/settings/documents',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        summary:
          'The documents’ settings: the maker as printed, and the tax (defaults until an admin sets them)',
        response: { 200: documentSettingsSchema, ...errors },
      },
    },
    async (request) => readDocumentSettings(app.db.db, currentActor(request)),
  );

  app.put(
    '/settings/documents',
    {
      config: { access: 'settings.manage' },
      schema: {
        tags: ['settings'],
        summary:
          'Set the maker’s details and the tax the documents print (admins; audited with what it replaced)',
        body: documentSettingsSchema,
        response: { 200: documentSettingsSchema, ...errors },
      },
    },
    async (request) => setDocumentSettings(app.db.db, currentActor(request), request.body),
  );
};
