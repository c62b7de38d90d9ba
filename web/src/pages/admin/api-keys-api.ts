import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  apiKeySchema,
  type CreateApiKeyRequest,
  createApiKeyRequestSchema,
  createdApiKeySchema,
} from '../../../../src/http/api-keys/schemas.js';
import { request, send } from '../../api.js';

/* Keys for machines: the admin's list, making one (its secret shown once) and revoking one. */

export type ApiKey = z.infer<typeof apiKeySchema>;
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

export const apiKeysQuery = queryOptions({
  queryKey: ['admin', 'api-keys'],
  queryFn: () => request(z.array(apiKeySchema), '/api/v1/api-keys'),
});

export function createApiKey(body: CreateApiKeyRequest): Promise<CreatedApiKey> {
  return send(createdApiKeySchema, 'POST', '/api/v1/api-keys', createApiKeyRequestSchema.parse(body));
}

export function revokeApiKey(id: string): Promise<ApiKey> {
  return send(apiKeySchema, 'POST', `/api/v1/api-keys/${encodeURIComponent(id)}/revoke`);
}
