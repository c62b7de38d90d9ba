import { apiKeyRoutes } from './api-keys/routes.js';
import { approvalRoutes } from './approvals/routes.js';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { cachedPolicySource, type PolicySource } from '../app/policies/policy-source.js';
import { type Config, mailCatcherOn } from '../config.js';
import type { DatabaseHandle } from '../db/client.js';
import type { Temporal } from '../domain/calendar.js';
import { entitlementRoutes } from './entitlements/routes.js';
import { AppError } from '../app/errors.js';
import { frameworkErrorHandler, registerErrorHandling } from './errors.js';
import { redactSecretsInUrl } from './log-redaction.js';
import { registerTextGuard } from './text-guard.js';
import { smtpMailer, startOutboxDispatcher } from './outbox-dispatcher.js';
import { healthRoutes } from './health/routes.js';
import { registerMetrics } from './metrics.js';
import { nameSpansByRoute } from './trace-names.js';
import { policyRoutes } from './policies/routes.js';
import { policyDraftRoutes } from './policies/draft-routes.js';
import { whatIfRoutes } from './insight/what-if-routes.js';
import { catalogRoutes } from './catalog/routes.js';
import { dealerRoutes } from './dealers/routes.js';
import { serviceCenterRoutes } from './service-centers/routes.js';
import { oemClientRoutes } from './oem-clients/routes.js';
import { registerWebApp } from './web/routes.js';
import type { MessageKey } from '../app/outbox/sealed-links.js';
import { resolveInstanceSecrets } from './instance-secrets.js';
import { sealQueuedLinks } from '../app/outbox/seal-queued-links.js';
import { registerAccessControl } from './auth/actor.js';
import { AUTH_BASE_PATH, createAuth } from './auth/auth.js';
import { sessionLookup } from './auth/session-lookup.js';
import { registerCsrfDefence } from './auth/csrf.js';
import { authRoutes } from './auth/routes.js';
import { meRoutes } from './me/routes.js';
import { storeRoutes } from './store/routes.js';
import { userRoutes } from './users/routes.js';
import { invitationRoutes } from './invitations/routes.js';
import { trackingRoutes } from './tracking/routes.js';
import { insightRoutes } from './insight/routes.js';
import { ratingRoutes } from './ratings/routes.js';
import { uploadRoutes } from './uploads/routes.js';
import { purchaseRoutes } from './purchases/routes.js';
import { purchaseVerificationRoutes } from './purchase-verifications/routes.js';
import { claimRoutes } from './claims/routes.js';
import { dealerRemedyRoutes } from './dealer-remedies/routes.js';
import { riskReviewRoutes } from './risk-reviews/routes.js';
import { settingsRoutes } from './settings/routes.js';
import { messageRoutes } from './messages/routes.js';
import { devMailRoutes } from './dev-mail/routes.js';
import { reimbursementRoutes } from './reimbursements/routes.js';
import { claimQuoteRoutes, quoteRoutes } from './paid-service/routes.js';
import { ownershipRoutes } from './ownership/routes.js';
import { conversationRoutes } from './conversations/routes.js';
import { inboxRoutes } from './inbox/routes.js';
import { type InboundSmtp, registerInboundSmtp } from './inbound-smtp.js';
import { maintenanceOrderRoutes } from './maintenance/routes.js';
import { documentRoutes } from './documents/routes.js';
import { startCommitmentDeadlineJob } from './commitment-deadline-job.js';
import { startUploadCleanupJob } from './upload-cleanup-job.js';
import { COUNTER_PURGE_INTERVAL_MS, startCounterPurgeJob } from './counter-purge-job.js';
import { databaseRateLimitStore } from './rate-limit-store.js';
import { oemOrderRoutes } from './oem-orders/routes.js';
import { oemDefectReportRoutes } from './oem-defect-reports/routes.js';
import { oemPriceListRoutes } from './oem-price-list/routes.js';
import { lotRoutes } from './lots/routes.js';
import { excessResolutionRoutes } from './excess-resolutions/routes.js';
import { replacementShipmentRoutes } from './replacement-shipments/routes.js';
import { batchInvestigationRoutes } from './batch-investigations/routes.js';
import { lotDefectRateRoutes } from './lot-defect-rates/routes.js';
import { reserveRoutes } from './insight/reserve/routes.js';
import { partRoutes } from './parts/routes.js';
import { maintenanceWorkRoutes } from './maintenance/work-routes.js';
import { insightCostRoutes } from './insight/cost/routes.js';
import { makerCostRoutes, remakeOrderRoutes } from './maker-costs/routes.js';
import { searchRoutes } from './search/routes.js';
import { eventRoutes } from './events/routes.js';
import { eventWebhooks } from './events/openapi.js';
import { webhookRoutes } from './webhooks/routes.js';
import { startWebhookDispatcher } from './webhooks/job.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: DatabaseHandle;
    config: Config;
    /** The shell's one clock; the domain never reads it, it is handed the instant. */
    clock: () => Temporal.Instant;
    policies: PolicySource;
    /** Seals the links that queued messages carry; never stored in the database. */
    messageKey: MessageKey;
    /** Whether admins read the unsent e-mail at /api/v1/dev-mail (config.ts `mailCatcherOn`). */
    mailCatcher: boolean;
    /** The inbound SMTP listener of e-mail replies, when INBOUND_SMTP_PORT is set. */
    inboundSmtp: InboundSmtp | null;
  }
}

export type ServerDeps = {
  db: DatabaseHandle;
  config: Config;
  clock: () => Temporal.Instant;
  /** false in tests that want a quiet run. */
  logger?: boolean;
};

const projectRoot = () => {
  // src/http or dist/src/http: the package root is where package.json is, two or three levels up.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const up = here.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..';
  return path.resolve(here, up);
};

/** Trusts the nearest `hops` proxies: the address before them is the client's. */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  // First: a server without its secrets must not start at all (and says how to make one).
  const secrets = resolveInstanceSecrets(deps.config, deps.db.kind);
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            serializers: {
              req: (request: { method: string; url: string; ip: string }) => ({
                method: request.method,
                url: redactSecretsInUrl(request.url),
                remoteAddress: request.ip,
              }),
            },
          },
    bodyLimit: 256 * 1024,
    // Behind a reverse proxy, the client's address (what rate limits count) is in X-Forwarded-For.
    trustProxy:
      typeof deps.config.trustProxy === 'number' ? trustHops(deps.config.trustProxy) : deps.config.trustProxy,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', deps.db);
  app.decorate('config', deps.config);
  app.decorate('clock', deps.clock);
  app.decorate('messageKey', secrets.messageKey);
  app.decorate('mailCatcher', mailCatcherOn(deps.config, deps.db.kind));
  app.decorate(
    'policies',
    cachedPolicySource(deps.db.db, { maxAgeMs: deps.config.policyCacheSeconds * 1000 }),
  );
  registerErrorHandling(app);
  // First of the request hooks, so that a request refused by a later one still has its route's name.
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) await nameSpansByRoute(app);
  registerTextGuard(app);
  // First of the request hooks, so that refusals made by later hooks (401, 403, CSRF) carry the headers too.
  const https = deps.config.publicUrl.protocol === 'https:';
  const securityHeaders = helmet({
    // Only a site served over HTTPS may ask browsers to insist on it.
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine sets CSS variables and positions through style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Served over plain HTTP on a LAN address, this would send every asset request to https and
        // break the page; it belongs with HTTPS deployments only.
        upgradeInsecureRequests: https ? [] : null,
      },
    },
  });
  // Made once: @fastify/helmet made a new helmet middleware, parsing this configuration again, on every
  // request — a few per cent of each request's CPU (bench/results/latest.md).
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (err?: unknown) => {
      done(err instanceof Error ? err : undefined);
    });
  });
  const authSecret = secrets.authSecret;
  const auth = createAuth({
    db: deps.db.db,
    config: deps.config,
    secret: authSecret,
    messageKey: secrets.messageKey,
  });
  registerAccessControl(app, auth, {
    exempt: [AUTH_BASE_PATH, '/api/docs', '/api/openapi.json'],
    sessionLookup: sessionLookup({
      db: deps.db.db,
      secret: authSecret,
      secure: deps.config.publicUrl.protocol === 'https:',
    }),
  });
  // Before any route: the hook must guard every state-changing route, the auth ones included.
  registerCsrfDefence(app, deps.config.publicUrl);
  // Before the routes, so that every one of them is timed; /metrics itself only with a token.
  registerMetrics(app, { token: deps.config.metricsToken, storeTimeZone: deps.config.storeTimeZone });
  // The API speaks JSON only: any other body is a 415, not a string for the schema to puzzle over.
  app.removeContentTypeParser(['text/plain']);

  // Per-route limits only: a global limit would also count the static files of every page load.
  await app.register(fastifyRateLimit, {
    global: false,
    // Counted in the database, so that every process on it counts a client once (rate-limit-store.ts).
    store: databaseRateLimitStore({ db: deps.db, clock: deps.clock, log: app.log }),
    // Fail closed: a limit that cannot be counted refuses (503) rather than letting guesses through.
    // A route may opt out with `skipOnError: true` where running unlimited for a moment is harmless.
    skipOnError: false,
    // Thrown as an AppError, so the one error handler shapes it like every other refusal.
    errorResponseBuilder: (_request, context) =>
      new AppError('too_many_requests', 'RATE_LIMITED', `Too many requests; try again in ${context.after}.`),
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'aftersales API',
        description: 'Warranty and after-sales service: entitlements, policies, claims and repairs.',
        version: '1',
      },
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'aftersales.session_token',
            description:
              'A person signed in through /api/auth; state-changing requests need an Origin of this site',
          },
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A machine: `Authorization: Bearer aftersales_key_…`, made by an admin at /api/v1/api-keys; acts with its role and scope',
          },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
      tags: [
        { name: 'entitlements', description: 'What a customer may choose' },
        { name: 'policies', description: 'The published support policy, as versioned data' },
        { name: 'catalog', description: 'Products' },
        {
          name: 'accounts',
          description:
            'Sign-up, sign-in and sessions (better-auth, cookie `aftersales.session_token`), invitations, who I am',
        },
        {
          name: 'admin',
          description: 'Users, invitations, dealers, service centers, OEM clients, products, policy versions',
        },
        { name: 'tracking', description: 'Following a claim and its repair without an account' },
        { name: 'uploads', description: 'Proofs of purchase and photos' },
        { name: 'purchases', description: 'Sales recorded by dealers, products registered by customers' },
        { name: 'claims', description: 'Problems customers report, the decision and the remedy they choose' },
        { name: 'paid service', description: 'Quotes for repairs the customer pays for, and their invoices' },
        { name: 'maintenance', description: 'Maintenance orders: issue, receive, repair, return' },
        {
          name: 'oem',
          description:
            'OEM orders and their spares, defect reports, the defect ledger, excess remedies, credits and replacement shipments',
        },
        {
          name: 'quality',
          description:
            'Lot defect rates (early warning), batch-defect investigations, remake orders, the maker’s costs',
        },
        {
          name: 'insight',
          description:
            'Figures for the maker’s managers and finance: service levels and ratings, the cost of warranty with its rows, the warranty reserve forecast, “what if” for a draft policy version',
        },
        { name: 'messages', description: 'Every message to customers and dealers, and its delivery' },
        { name: 'trust', description: 'Fraud signals and the review queue of what they hold' },
        {
          name: 'settings',
          description:
            'What an admin sets that decides when money waits for a person: four eyes, fraud thresholds',
        },
        {
          name: 'approvals',
          description:
            'Four eyes: money above the threshold waits for a second person (docs/remedy-trust.md)',
        },
        { name: 'operations', description: 'Health and readiness' },
        {
          name: 'events',
          description:
            'Every change another system could act on, polled in order (GET /api/v1/events) or sent to webhooks (`webhooks`)',
        },
      ],
      webhooks: eventWebhooks(),
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await app.register(healthRoutes);
  await app.register(policyRoutes, { prefix: '/api/v1/policies' });
  await app.register(policyDraftRoutes, { prefix: '/api/v1/policy-drafts' });
  await app.register(whatIfRoutes, { prefix: '/api/v1/insight/what-if' });
  await app.register(entitlementRoutes, { prefix: '/api/v1/entitlements' });
  await app.register(catalogRoutes, { prefix: '/api/v1/products' });
  await app.register(storeRoutes, { prefix: '/api/v1/store' });
  await app.register(dealerRoutes, { prefix: '/api/v1/dealers' });
  await app.register(serviceCenterRoutes, { prefix: '/api/v1/service-centers' });
  await app.register(oemClientRoutes, { prefix: '/api/v1/oem-clients' });
  await app.register(authRoutes, { prefix: AUTH_BASE_PATH, secret: authSecret });
  await app.register(meRoutes, { prefix: '/api/v1/me' });
  await app.register(userRoutes, { prefix: '/api/v1/users' });
  await app.register(invitationRoutes, { prefix: '/api/v1/invitations' });
  await app.register(trackingRoutes, { prefix: '/api/v1/tracking' });
  await app.register(ratingRoutes, { prefix: '/api/v1/ratings' });
  await app.register(uploadRoutes, { prefix: '/api/v1/uploads' });
  await app.register(purchaseRoutes, { prefix: '/api/v1/purchases' });
  await app.register(purchaseVerificationRoutes, { prefix: '/api/v1/purchase-verifications' });
  await app.register(claimRoutes, { prefix: '/api/v1/claims' });
  // Beside the claims area under its prefix: what a dealer and paid service do to one claim.
  await app.register(dealerRemedyRoutes, { prefix: '/api/v1/claims' });
  await app.register(claimQuoteRoutes, { prefix: '/api/v1/claims' });
  await app.register(reimbursementRoutes, { prefix: '/api/v1/reimbursements' });
  await app.register(approvalRoutes, { prefix: '/api/v1/approvals' });
  await app.register(settingsRoutes, { prefix: '/api/v1/settings' });
  await app.register(apiKeyRoutes, { prefix: '/api/v1/api-keys' });
  await app.register(webhookRoutes, { prefix: '/api/v1/webhooks' });
  await app.register(quoteRoutes, { prefix: '/api/v1/quotes' });
  await app.register(maintenanceOrderRoutes, { prefix: '/api/v1' });
  await app.register(ownershipRoutes, { prefix: '/api/v1' });
  await app.register(conversationRoutes, { prefix: '/api/v1' });
  // The documents people file: quotes, invoices and return labels as PDFs (issue 19).
  await app.register(documentRoutes, { prefix: '/api/v1' });
  await app.register(inboxRoutes, { prefix: '/api/v1' });
  await app.register(oemOrderRoutes, { prefix: '/api/v1/oem-orders' });
  await app.register(oemDefectReportRoutes, { prefix: '/api/v1/oem-defect-reports' });
  await app.register(oemPriceListRoutes, { prefix: '/api/v1/oem-price-list' });
  await app.register(lotRoutes, { prefix: '/api/v1/lots' });
  await app.register(excessResolutionRoutes, { prefix: '/api/v1/excess-resolutions' });
  await app.register(replacementShipmentRoutes, { prefix: '/api/v1/replacement-shipments' });
  await app.register(batchInvestigationRoutes, { prefix: '/api/v1/batch-investigations' });
  await app.register(lotDefectRateRoutes, { prefix: '/api/v1/lot-defect-rates' });
  await app.register(remakeOrderRoutes, { prefix: '/api/v1/remake-orders' });
  await app.register(makerCostRoutes, { prefix: '/api/v1/maker-costs' });
  await app.register(reserveRoutes, { prefix: '/api/v1/insight/reserve' });
  await app.register(partRoutes, { prefix: '/api/v1/parts' });
  await app.register(maintenanceWorkRoutes, { prefix: '/api/v1' });
  await app.register(insightCostRoutes, { prefix: '/api/v1/insight/cost' });
  await app.register(messageRoutes, { prefix: '/api/v1/messages' });
  // Always registered (the access matrix sees it); without the catcher it answers 404.
  await app.register(devMailRoutes, { prefix: '/api/v1/dev-mail' });
  await app.register(riskReviewRoutes, { prefix: '/api/v1/risk-reviews' });
  await app.register(searchRoutes, { prefix: '/api/v1/search' });
  await app.register(eventRoutes, { prefix: '/api/v1/events' });
  await app.register(insightRoutes, { prefix: '/api/v1/insight' });
  // Before the first dispatch: messages queued by an older release still hold their links in the clear.
  app.addHook('onReady', async () => {
    try {
      const sealed = await sealQueuedLinks(deps.db.db, secrets.messageKey);
      if (sealed > 0) app.log.info({ sealed }, 'links of queued messages sealed');
    } catch (err) {
      app.log.error({ err }, 'could not seal the links of queued messages');
    }
  });
  if (deps.config.smtpUrl) {
    startOutboxDispatcher(app, {
      mailer: smtpMailer(deps.config.smtpUrl, deps.config.smtpFrom),
      messageKey: secrets.messageKey,
      intervalMs: deps.config.outboxIntervalSeconds * 1000,
      replyDomain: deps.config.inboundReplyDomain,
    });
  }
  app.decorate(
    'inboundSmtp',
    deps.config.inboundSmtpPort !== undefined && deps.config.inboundReplyDomain
      ? registerInboundSmtp(app, {
          port: deps.config.inboundSmtpPort,
          host: deps.config.inboundSmtpHost,
          replyDomain: deps.config.inboundReplyDomain,
          maxBytes: deps.config.inboundMaxBytes,
        })
      : null,
  );
  startCommitmentDeadlineJob(app, { intervalMs: deps.config.deadlineJobIntervalSeconds * 1000 });
  startUploadCleanupJob(app, {
    intervalMs: deps.config.uploadCleanupIntervalSeconds * 1000,
    tempDir: deps.config.uploadTempDir,
  });
  startCounterPurgeJob(app, { intervalMs: COUNTER_PURGE_INTERVAL_MS });
  startWebhookDispatcher(app);
  await registerWebApp(app, deps.config.webDistDir ?? path.join(projectRoot(), 'dist', 'web'));

  return app;
}
