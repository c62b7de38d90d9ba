import { z } from 'zod';
import { type Cause, causes } from '../../src/domain/policy/evaluate.js';
import {
  costBearers,
  type Language,
  type LocalizedText,
  performers,
  type PolicyVersion,
  policyVersionSchema,
  remedyCodes,
  windowCodes,
} from '../../src/domain/policy/schema.js';

/*
 * The client's view of the HTTP API. Field names are the API's; the domain enums and the policy
 * schema are imported from the domain so the page and the server can never disagree about them.
 */

export { type Cause, causes };

export const decisionWindows = [...windowCodes, 'expired'] as const;
export type DecisionWindow = (typeof decisionWindows)[number];

export const evaluateRequestSchema = z
  .object({
    customerType: z.literal('end_user'),
    purchaseDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    reportDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    cause: z.enum(causes),
    timeZone: z.string().min(1).optional(),
    productSku: z.string().min(1).optional(),
  })
  .strict();
export type EvaluateRequest = z.infer<typeof evaluateRequestSchema>;

export const remedySchema = z.object({
  code: z.enum(remedyCodes),
  performedBy: z.enum(performers),
  costBearer: z.enum(costBearers),
  clause: z.string(),
});
export type DecidedRemedy = z.infer<typeof remedySchema>;

export const evaluateResponseSchema = z.object({
  policyVersion: z.string(),
  window: z.enum(decisionWindows),
  daysSincePurchase: z.number().int().min(0),
  paid: z.boolean(),
  remedies: z.array(remedySchema),
});
export type EvaluateResponse = z.infer<typeof evaluateResponseSchema>;

export const productSchema = z.object({
  sku: z.string(),
  name: z.object({ en: z.string(), zh: z.string() }),
  category: z.string(),
});
export type Product = z.infer<typeof productSchema>;

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

/** A refusal from the API (its `error.code` and `error.message`), or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function request<T>(schema: z.ZodType<T>, url: string, init?: RequestInit): Promise<T> {
  const headers = new Headers(init?.headers);
  headers.set('accept', 'application/json');
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers });
  } catch (cause) {
    throw new ApiError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : String(cause));
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = errorResponseSchema.safeParse(body);
    if (parsed.success) {
      throw new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
    }
    throw new ApiError(response.status, 'HTTP_ERROR', `${response.status} ${response.statusText}`.trim());
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', `Unexpected response from ${url}`);
  }
  return parsed.data;
}

export function fetchCurrentPolicy(): Promise<PolicyVersion> {
  return request(policyVersionSchema, '/api/v1/policies/current');
}

export function fetchProducts(): Promise<Product[]> {
  return request(z.array(productSchema), '/api/v1/products');
}

export function evaluateEntitlement(body: EvaluateRequest, lang: Language): Promise<EvaluateResponse> {
  return request(evaluateResponseSchema, `/api/v1/entitlements/evaluate?lang=${lang}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(evaluateRequestSchema.parse(body)),
  });
}

/** The text of a localized policy field in the reader's language. */
export function localized(text: LocalizedText, lang: Language): string {
  return text[lang];
}
