import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { presentClaim } from '../../app/claims/claim-view.js';
import { chooseClaimRemedy } from '../../app/claims/choose-remedy.js';
import { exportClaims, getClaim, listClaims } from '../../app/claims/read-claims.js';
import { reportClaim, reportGuestClaim } from '../../app/claims/report-claim.js';
import type { SubmitClaimDeps } from '../../app/claims/submit-claim.js';
import { EXPORT_ROW_CAP } from '../../app/lists/csv-export.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import { csvDisposition, csvResponseSchema, pageSchema } from '../list-query.js';
import { readerLanguage } from '../language.js';
import { idempotencyHeadersSchema } from '../purchases/schemas.js';
import {
  chooseRemedyRequestSchema,
  claimExportQuerySchema,
  claimLangQuerySchema,
  claimListQuerySchema,
  claimSchema,
  guestClaimRequestSchema,
  submitClaimRequestSchema,
  submittedClaimSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

export const claimRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = (): SubmitClaimDeps => ({
    db: app.db.db,
    policies: app.policies,
    storeTimeZone: app.config.storeTimeZone,
    now: app.clock,
    publicUrl: app.config.publicUrl,
    messageKey: app.messageKey,
  });

  app.get(
    '/',
    {
      config: { access: 'claims.read' },
      schema: {
        tags: ['claims'],
        summary: 'Claims, a page at a time (a customer: theirs; a dealer: those on its sales)',
        description:
          'Sorted by `sort` and `order` (newest first by default); the next page is `cursor` = the answer’s `nextCursor`. Filters combine; `q` matches the maintenance number, serial and the customer’s name, phone or e-mail.',
        querystring: claimListQuerySchema,
        response: { 200: pageSchema(claimSchema, 'ClaimPage'), ...errors },
      },
    },
    async (request) => {
      const { lang, ...query } = request.query;
      const page = await listClaims(deps(), currentActor(request), query);
      const language = readerLanguage(request, lang);
      return { items: page.items.map((v) => presentClaim(v, language)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/export.csv',
    {
      config: { access: 'claims.read' },
      schema: {
        tags: ['claims'],
        summary: 'The claims the filter selects, as CSV (text/csv), in the list’s sort',
        description: `Same filters, sort and access as the list; at most ${EXPORT_ROW_CAP} rows (more is a 422 EXPORT_TOO_LARGE).`,
        querystring: claimExportQuerySchema,
        produces: ['text/csv'],
        response: { 200: csvResponseSchema, ...errors, 422: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { lang: _lang, ...filters } = request.query;
      const csv = await exportClaims(deps(), currentActor(request), filters);
      return (
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', csvDisposition('claims', app.clock()))
          // A stream is sent as it is read; the response schema documents the text it makes.
          .send(csv as unknown as string)
      );
    },
  );

  app.get(
    '/:id',
    {
      config: { access: 'claims.read' },
      schema: {
        tags: ['claims'],
        summary: 'One claim, with the decision it was given',
        params: idParams,
        querystring: claimLangQuerySchema,
        response: { 200: claimSchema, ...errors },
      },
    },
    async (request) =>
      presentClaim(
        await getClaim(deps(), currentActor(request), request.params.id),
        readerLanguage(request, request.query.lang),
      ),
  );

  app.post(
    '/',
    {
      config: { access: 'claims.submit' },
      schema: {
        tags: ['claims'],
        summary: 'Report a problem with a purchase (a customer: their own; support and admins: anyone’s)',
        description:
          'The policy decides what the customer may choose. After the warranty, or for damage caused by misuse, the choice is paid service: such a claim is never refused. Send an Idempotency-Key: a retry with the same key and body answers 200 with the first claim; the key with another body is a 409 IDEMPOTENCY_KEY_REUSED.',
        headers: idempotencyHeadersSchema,
        querystring: claimLangQuerySchema,
        body: submitClaimRequestSchema,
        response: { 200: submittedClaimSchema, 201: submittedClaimSchema, ...errors },
      },
    },
    async (request, reply) => {
      const reported = await reportClaim(deps(), currentActor(request), {
        ...request.body,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return reply.code(reported.replayed ? 200 : 201).send({
        ...presentClaim(reported.claim, readerLanguage(request, request.query.lang)),
        trackingUrl: reported.trackingUrl,
      });
    },
  );

  app.post(
    '/guest',
    {
      config: {
        access: 'public',
        // Each try tests a serial and a contact: limited like sign-in and the tracking look-up.
        rateLimit: { max: app.config.authRateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['claims'],
        summary: 'Report a problem without an account: the unit’s serial number and the contact on record',
        description:
          'The contact is the e-mail address or phone number the purchase was recorded with. An unknown serial and a contact that does not match get the same 404.',
        headers: idempotencyHeadersSchema,
        querystring: claimLangQuerySchema,
        body: guestClaimRequestSchema,
        response: {
          200: submittedClaimSchema,
          201: submittedClaimSchema,
          ...errors,
          429: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const reported = await reportGuestClaim(deps(), {
        ...request.body,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return reply.code(reported.replayed ? 200 : 201).send({
        ...presentClaim(reported.claim, readerLanguage(request, request.query.lang)),
        trackingUrl: reported.trackingUrl,
      });
    },
  );

  app.post(
    '/:id/remedy',
    {
      config: { access: 'claims.chooseRemedy' },
      schema: {
        tags: ['claims'],
        summary: 'Choose one of the remedies the claim’s decision offers',
        description:
          '409 VERSION_CONFLICT when the claim changed since it was read (details.currentVersion); 409 REMEDY_NOT_OFFERED with details.offered when the decision does not offer it; 409 CLAIM_NOT_OPEN when a remedy was already chosen.',
        params: idParams,
        querystring: claimLangQuerySchema,
        body: chooseRemedyRequestSchema,
        response: { 200: claimSchema, ...errors },
      },
    },
    async (request) =>
      presentClaim(
        await chooseClaimRemedy(deps(), currentActor(request), request.params.id, request.body),
        readerLanguage(request, request.query.lang),
      ),
  );
};
