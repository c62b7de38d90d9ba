import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  type CreateWebhookEndpointRequest,
  createdWebhookEndpointSchema,
  createWebhookEndpointRequestSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from '../../../../src/http/webhooks/schemas.js';
import { request, send } from '../../api.js';

/* Webhook endpoints: the admin's list, registering one (its secret shown once), its deliveries. */

export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
export type CreatedWebhookEndpoint = z.infer<typeof createdWebhookEndpointSchema>;

export const webhooksQuery = queryOptions({
  queryKey: ['admin', 'webhooks'],
  queryFn: () => request(z.array(webhookEndpointSchema), '/api/v1/webhooks'),
});

const path = (id: string) => `/api/v1/webhooks/${encodeURIComponent(id)}`;

export const webhookQuery = (id: string) =>
  queryOptions({
    queryKey: ['admin', 'webhooks', id],
    queryFn: () => request(webhookEndpointSchema, path(id)),
  });

/** An endpoint's deliveries: a list of the list kit (ListTable pages it by the server's cursor). */
export const deliveriesPath = (id: string) => `${path(id)}/deliveries`;

export function createWebhook(body: CreateWebhookEndpointRequest): Promise<CreatedWebhookEndpoint> {
  return send(
    createdWebhookEndpointSchema,
    'POST',
    '/api/v1/webhooks',
    createWebhookEndpointRequestSchema.parse(body),
  );
}

export function setWebhookEnabled(id: string, enabled: boolean): Promise<WebhookEndpoint> {
  return send(webhookEndpointSchema, 'POST', `${path(id)}/${enabled ? 'enable' : 'disable'}`);
}

export async function deleteWebhook(id: string): Promise<void> {
  await request(z.unknown(), path(id), { method: 'DELETE' });
}

export function sendTestEvent(id: string): Promise<WebhookDelivery> {
  return send(webhookDeliverySchema, 'POST', `${path(id)}/test`);
}

export function redeliver(id: string, eventId: string): Promise<WebhookDelivery> {
  return send(webhookDeliverySchema, 'POST', `${path(id)}/redeliveries`, { eventId });
}
