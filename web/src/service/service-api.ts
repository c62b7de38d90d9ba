import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import type { Language } from '../../../src/domain/policy/schema.js';
import {
  type ChooseRemedyRequest,
  type Claim,
  claimSchema,
  type GuestClaimRequest,
  type SubmitClaimRequest,
  type SubmittedClaim,
  submittedClaimSchema,
} from '../../../src/http/claims/schemas.js';
import {
  type IssueMaintenanceOrderRequest,
  maintenanceOrderDetailSchema,
  type MaintenanceOrderDetailResponse,
  type MaintenanceOrderResponse,
  maintenanceOrderSchema,
  type MoveMaintenanceOrderRequest,
  type RecordContactRequest,
} from '../../../src/http/maintenance/schemas.js';
import {
  type GuestQuote,
  guestQuoteSchema,
  type Quote,
  quoteSchema,
} from '../../../src/http/paid-service/schemas.js';
import {
  type Purchase,
  purchaseSchema,
  type RegisterPurchaseRequest,
} from '../../../src/http/purchases/schemas.js';
import { claimTrackingSchema, type ClaimTrackingResponse } from '../../../src/http/tracking/schemas.js';
import { storedUploadSchema, type StoredUploadResponse } from '../../../src/http/uploads/schemas.js';
import { dealerDirectoryEntrySchema } from '../../../src/http/dealers/schemas.js';
import { request, send } from '../api.js';

/*
 * The end-user service's calls, typed and checked by the server's own schemas: purchases, claims,
 * maintenance orders, quotes, uploads and the guest routes.
 */

export type { Claim, ClaimTrackingResponse, GuestQuote, Purchase, Quote, SubmittedClaim };
export type MaintenanceOrder = MaintenanceOrderResponse;
export type MaintenanceOrderDetail = MaintenanceOrderDetailResponse;

/**
 * A key for one submission of a form: a retry of the same submission (a double click, a lost answer)
 * sends the same key, so the server answers with the first result instead of acting twice. Made from
 * getRandomValues, which, unlike randomUUID, also works on a plain-HTTP LAN address.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function withKey<T>(schema: z.ZodType<T>, url: string, body: unknown, key: string): Promise<T> {
  return request(schema, url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
}

// Purchases

/** Every dealer by name and city: whom a customer may say they bought from. */
export const dealerDirectoryQuery = queryOptions({
  queryKey: ['dealers', 'directory'],
  queryFn: () => request(z.array(dealerDirectoryEntrySchema), '/api/v1/dealers/directory'),
  staleTime: 5 * 60_000,
});

export const purchasesQuery = queryOptions({
  queryKey: ['service', 'purchases'],
  // A customer's own purchases: a household's, never more than the first page holds.
  queryFn: () =>
    request(
      z.object({ items: z.array(purchaseSchema), nextCursor: z.string().nullable() }),
      '/api/v1/purchases?limit=200',
    ).then((page) => page.items),
});

export const purchaseQuery = (id: string) =>
  queryOptions({
    queryKey: ['service', 'purchases', id],
    queryFn: () => request(purchaseSchema, `/api/v1/purchases/${encodeURIComponent(id)}`),
  });

export async function uploadProofOfPurchase(file: File): Promise<StoredUploadResponse> {
  const body = new FormData();
  body.append('file', file, file.name);
  return request(storedUploadSchema, '/api/v1/uploads?kind=proof_of_purchase', { method: 'POST', body });
}

export function registerPurchase(body: RegisterPurchaseRequest): Promise<Purchase> {
  return send(purchaseSchema, 'POST', '/api/v1/purchases/register', body);
}

/** A keyset list's page; these views read the first (a customer has few claims and orders). */
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

// Claims

export const claimsQuery = (lang: Language) =>
  queryOptions({
    queryKey: ['service', 'claims', lang],
    queryFn: () => request(pageOf(claimSchema), `/api/v1/claims?limit=200&lang=${lang}`).then((p) => p.items),
  });

export const claimQuery = (id: string, lang: Language) =>
  queryOptions({
    queryKey: ['service', 'claims', lang, id],
    queryFn: () => request(claimSchema, `/api/v1/claims/${encodeURIComponent(id)}?lang=${lang}`),
  });

export function submitClaim(body: SubmitClaimRequest, key: string, lang: Language): Promise<SubmittedClaim> {
  return withKey(submittedClaimSchema, `/api/v1/claims?lang=${lang}`, body, key);
}

export function submitGuestClaim(
  body: GuestClaimRequest,
  key: string,
  lang: Language,
): Promise<SubmittedClaim> {
  return withKey(submittedClaimSchema, `/api/v1/claims/guest?lang=${lang}`, body, key);
}

export function chooseRemedy(id: string, body: ChooseRemedyRequest, lang: Language): Promise<Claim> {
  return send(claimSchema, 'POST', `/api/v1/claims/${encodeURIComponent(id)}/remedy?lang=${lang}`, body);
}

// Maintenance orders

export const maintenanceOrdersQuery = queryOptions({
  queryKey: ['service', 'maintenance-orders'],
  queryFn: () =>
    request(pageOf(maintenanceOrderSchema), '/api/v1/maintenance-orders?limit=200').then((p) => p.items),
});

/** The technician's queue: its center's open orders, nearest deadline first; `mine`: only those it works (owner=me). */
export const repairQueueQuery = (mine = false) =>
  queryOptions({
    queryKey: ['service', 'maintenance-orders', 'open', mine ? 'mine' : 'all'],
    queryFn: () =>
      request(
        pageOf(maintenanceOrderSchema),
        `/api/v1/maintenance-orders?open=true&limit=200${mine ? '&owner=me' : ''}`,
      ).then((p) => p.items),
  });

export const maintenanceOrderQuery = (id: string) =>
  queryOptions({
    queryKey: ['service', 'maintenance-orders', id],
    queryFn: () =>
      request(maintenanceOrderDetailSchema, `/api/v1/maintenance-orders/${encodeURIComponent(id)}`),
  });

export function issueMaintenanceOrder(
  claimId: string,
  body: IssueMaintenanceOrderRequest,
): Promise<MaintenanceOrder> {
  return send(
    maintenanceOrderSchema,
    'POST',
    `/api/v1/claims/${encodeURIComponent(claimId)}/maintenance-order`,
    body,
  );
}

export function moveMaintenanceOrder(
  id: string,
  body: MoveMaintenanceOrderRequest,
): Promise<MaintenanceOrder> {
  return send(
    maintenanceOrderSchema,
    'POST',
    `/api/v1/maintenance-orders/${encodeURIComponent(id)}/transitions`,
    body,
  );
}

export function recordCustomerContact(id: string, body: RecordContactRequest): Promise<MaintenanceOrder> {
  return send(
    maintenanceOrderSchema,
    'POST',
    `/api/v1/maintenance-orders/${encodeURIComponent(id)}/contact`,
    body,
  );
}

// Quotes

export const claimQuotesQuery = (claimId: string) =>
  queryOptions({
    queryKey: ['service', 'quotes', claimId],
    // A claim has a few quotes: the first page (the most a page holds) is all of them.
    queryFn: () =>
      request(
        z.object({ items: z.array(quoteSchema), nextCursor: z.string().nullable() }),
        `/api/v1/quotes?limit=200&claimId=${encodeURIComponent(claimId)}`,
      ).then((page) => page.items),
  });

export function respondToQuote(
  id: string,
  body: { response: 'accept' | 'decline'; expectedVersion: number },
): Promise<Quote> {
  return send(quoteSchema, 'POST', `/api/v1/quotes/${encodeURIComponent(id)}/response`, body);
}

export function viewQuoteByLink(token: string): Promise<GuestQuote> {
  return send(guestQuoteSchema, 'POST', '/api/v1/quotes/link', { token });
}

export function respondToQuoteByLink(token: string, response: 'accept' | 'decline'): Promise<GuestQuote> {
  return send(guestQuoteSchema, 'POST', '/api/v1/quotes/respond', { token, response });
}

// Tracking

export function trackByNumber(maintenanceNumber: string, contact: string): Promise<ClaimTrackingResponse> {
  return send(claimTrackingSchema, 'POST', '/api/v1/tracking/lookup', { maintenanceNumber, contact });
}

export function trackByLink(token: string): Promise<ClaimTrackingResponse> {
  return send(claimTrackingSchema, 'POST', '/api/v1/tracking/link', { token });
}
