import { z } from 'zod';
import {
  apiKeyRoles,
  DEFAULT_API_KEY_REQUESTS_PER_MINUTE,
  MAX_API_KEY_REQUESTS_PER_MINUTE,
} from '../../domain/access/api-keys.js';
import { textField } from '../reference-fields.js';

/* Pure zod: the web app imports this module too. */

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(apiKeyRoles),
    dealerId: z.string().nullable(),
    serviceCenterId: z.string().nullable(),
    oemClientId: z.string().nullable(),
    prefix: z.string().describe('How the key begins, to recognise it by; the secret is never shown again'),
    requestsPerMinute: z.int(),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().describe('To the minute: when the key last acted'),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .meta({ id: 'ApiKey' });

export const createApiKeyRequestSchema = z
  .object({
    name: textField(100).describe('What the key is for, e.g. "Shenzhen store POS"'),
    role: z.enum(apiKeyRoles).describe('Acts exactly as a person of this role; never admin or customer'),
    dealerId: z.uuid().nullish().describe('For role dealer: the dealer it acts for'),
    serviceCenterId: z.uuid().nullish().describe('For role technician: the service center'),
    oemClientId: z.uuid().nullish().describe('For role oem: the OEM client'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .nullish()
      .describe('When the key stops working; none: until revoked'),
    requestsPerMinute: z
      .int()
      .min(1)
      .max(MAX_API_KEY_REQUESTS_PER_MINUTE)
      .optional()
      .describe(`This key's own limit; default ${DEFAULT_API_KEY_REQUESTS_PER_MINUTE}`),
  })
  .strict()
  .meta({ id: 'CreateApiKeyRequest' });
export type CreateApiKeyRequest = z.infer<typeof createApiKeyRequestSchema>;

export const createdApiKeySchema = z
  .object({
    key: z
      .string()
      .describe('The key, shown this once: send it as `Authorization: Bearer <key>`. Only its hash is kept.'),
    apiKey: apiKeySchema,
  })
  .meta({ id: 'CreatedApiKey' });
