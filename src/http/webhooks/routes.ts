import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EventType } from '../../app/events/types.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhookEvent,
  sendWebhookTest,
  setWebhookEndpointEnabled,
} from '../../app/webhooks/endpoints.js';
import { idParams } from '../accounts-schemas.js';
import { currentActor } from '../auth/actor.js';
import { errorResponseSchema } from '../errors.js';
import {
  createdWebhookEndpointSchema,
  createWebhookEndpointRequestSchema,
  deliveriesQuerySchema,
  redeliverRequestSchema,
  webhookDeliveryPageSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

/**
 * Webhook endpoints (issue 17), admins only: register one (its secret shown once), disable, enable,
 * delete; read its deliveries with every attempt; send a test event; redeliver any event. Sending
 * itself is the dispatcher's (http/webhooks/job.ts), never a request's.
 */
export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = () => ({
    db: app.db.db,
    now: app.clock,
    messageKey: app.messageKey,
    allowPrivate: app.config.webhooksAllowPrivate,
  });
  const access = { access: 'webhooks.manage' as const };

  app.get(
    '/',
    {
      config: access,
      schema: {
        tags: ['admin'],
        summary: 'Every webhook endpoint, newest first, with its deliveries counted (never its secret)',
        response: { 200: z.array(webhookEndpointSchema), ...errors },
      },
    },
    async (request) => listWebhookEndpoints(deps(), currentActor(request)),
  );

  app.post(
    '/',
    {
      config: access,
      schema: {
        tags: ['admin'],
        summary:
          'Register a webhook endpoint: an https URL and the event types it wants (audited; the secret is shown once)',
        body: createWebhookEndpointRequestSchema,
        response: { 201: createdWebhookEndpointSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await createWebhookEndpoint(deps(), currentActor(request), {
        ...request.body,
        eventTypes: request.body.eventTypes as EventType[],
      });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/:id',
    {
      config: access,
      schema: {
        tags: ['admin'],
        summary: 'One webhook endpoint',
        params: idParams,
        response: { 200: webhookEndpointSchema, ...errors },
      },
    },
    async (request) => getWebhookEndpoint(deps(), currentActor(request), request.params.id),
  );

  app.delete(
    '/:id',
    {
      config: access,
      schema: {
        tags: ['admin'],
        summary: 'Delete a webhook endpoint and its deliveries (audited)',
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteWebhookEndpoint(deps(), currentActor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  for (const [path, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(
      `/:id/${path}`,
      {
        config: access,
        schema: {
          tags: ['admin'],
          summary: enabled
            ? 'Enable a disabled endpoint: it receives new events again (audited)'
            : 'Disable an endpoint: it receives no events until enabled (audited)',
          params: idParams,
          response: { 200: webhookEndpointSchema, ...errors },
        },
      },
      async (request) => setWebhookEndpointEnabled(deps(), currentActor(request), request.params.id, enabled),
    );
  }

  app.get(
    '/:id/deliveries',
    {
      config: access,
      schema: {
        tags: ['admin'],
        summary:
          'An endpoint’s deliveries, a page at a time (newest first by default), filtered by status and event type, each with its attempts (status, time, duration, answer)',
        params: idParams,
        querystring: deliveriesQuerySchema,
        response: { 200: webhookDeliveryPageSchema, ...errors },
      },
    },
    async (request) => listWebhookDeliveries(deps(), currentActor(request), request.params.id, request.query),
  );

  app.post(
    '/:id/test',
    {
      config: access,
      schema: {
        tags: ['admin'],
        summary:
          'Send the endpoint a signed `webhook.test` event (by the dispatcher, within seconds; audited)',
        params: idParams,
        response: { 202: webhookDeliverySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await sendWebhookTest(deps(), currentActor(request), request.params.id)),
  );

  app.post(
    '/:id/redeliveries',
    {
      config: access,
      schema: {
        tags: ['admin'],
        summary: 'Send an event to the endpoint again, with the same event id (audited)',
        params: idParams,
        body: redeliverRequestSchema,
        response: { 202: webhookDeliverySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(
          await redeliverWebhookEvent(deps(), currentActor(request), request.params.id, request.body.eventId),
        ),
  );
};
