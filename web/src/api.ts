import { z } from 'zod';
import type { Cause } from '../../src/domain/policy/evaluate.js';
import {
  type Language,
  type LocalizedText,
  type PolicyVersion,
  policyVersionSchema,
} from '../../src/domain/policy/schema.js';
import { type ProductSummary, productSummarySchema } from '../../src/http/catalog/schemas.js';
import { evaluateRequestSchema, evaluateResponseSchema } from '../../src/http/entitlements/schemas.js';
import { errorResponseSchema } from '../../src/http/error-response.js';
import { type StoreCalendar, storeCalendarSchema } from '../../src/http/store/schemas.js';

/*
 * The client's view of the HTTP API, typed and checked by the very zod schemas the server validates
 * and documents with.
 */

export type { Cause };

// The server's own schemas: what the page sends and expects cannot drift from what the API checks.
export type EvaluateRequest = z.infer<typeof evaluateRequestSchema>;
export type EvaluateResponse = z.infer<typeof evaluateResponseSchema>;
export type Product = ProductSummary;

/** A refusal from the API (its `error.code` and `error.message`), or a failure to reach it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The refusal's `error.details` (a CSV import's rows, the clause a remedy was refused under). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function request<T>(schema: z.ZodType<T>, url: string, init?: RequestInit): Promise<T> {
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
      throw new ApiError(
        response.status,
        parsed.data.error.code,
        parsed.data.error.message,
        parsed.data.error.details,
      );
    }
    throw new ApiError(response.status, 'HTTP_ERROR', `${response.status} ${response.statusText}`.trim());
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', `Unexpected response from ${url}`);
  }
  return parsed.data;
}

/** A JSON body sent with the session cookie (same origin: fetch's default credentials send it). */
export function send<T>(
  schema: z.ZodType<T>,
  method: 'POST' | 'PUT' | 'PATCH',
  url: string,
  body: unknown = {},
): Promise<T> {
  return request(schema, url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export function fetchCurrentPolicy(): Promise<PolicyVersion> {
  return request(policyVersionSchema, '/api/v1/policies/current');
}

/** The store's time zone and today in it: the one calendar of every screen (format.ts). */
export function fetchStoreCalendar(): Promise<StoreCalendar> {
  return request(storeCalendarSchema, '/api/v1/store/calendar');
}

export function fetchProducts(): Promise<Product[]> {
  return request(z.array(productSummarySchema), '/api/v1/products');
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
