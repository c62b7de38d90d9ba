import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { claimSchema, claimStatusValues } from '../../../src/http/claims/schemas.js';
import {
  type DealerRemedyRequest,
  dealerRemedyRequestSchema,
  dealerRemedySchema,
} from '../../../src/http/dealer-remedies/schemas.js';
import {
  maintenanceOrderDetailSchema,
  maintenanceOrderSchema,
} from '../../../src/http/maintenance/schemas.js';
import {
  type Message,
  messageSchema,
  type messageStatusFilters,
  type WorkMessageRequest,
} from '../../../src/http/messages/schemas.js';
import type { MoneyField } from '../../../src/http/money-fields.js';
import {
  type CreateQuoteRequest,
  createQuoteRequestSchema,
  type PhoneQuoteResponseRequest,
  phoneQuoteResponseRequestSchema,
  quoteSchema,
} from '../../../src/http/paid-service/schemas.js';
import {
  importPurchasesResponseSchema,
  importRowProblemSchema,
  purchaseSchema,
  type RecordPurchaseRequest,
  recordPurchaseRequestSchema,
  type VerifyPurchaseRequest,
  verifyPurchaseRequestSchema,
} from '../../../src/http/purchases/schemas.js';
import {
  type ReimbursementDecisionRequest,
  reimbursementDecisionRequestSchema,
  reimbursementSchema,
  type reimbursementStatuses,
} from '../../../src/http/reimbursements/schemas.js';
import {
  type ApprovalDecisionRequest,
  approvalDecisionRequestSchema,
  approvalSchema,
} from '../../../src/http/approvals/schemas.js';
import { ApiError, request, send } from '../api.js';

/*
 * The service desk's view of the API: sales, claims, dealer remedies, reimbursement claims, maintenance
 * orders and quotes, each read and written through the server's own schemas.
 */

export type Purchase = z.infer<typeof purchaseSchema>;
export type Claim = z.infer<typeof claimSchema>;
export type ClaimStatus = (typeof claimStatusValues)[number];
export type Reimbursement = z.infer<typeof reimbursementSchema>;
export type Approval = z.infer<typeof approvalSchema>;
export type ApprovalState = Approval['state'];
export type ReimbursementStatus = (typeof reimbursementStatuses)[number];
export type MaintenanceOrder = z.infer<typeof maintenanceOrderSchema>;
export type MaintenanceOrderDetail = z.infer<typeof maintenanceOrderDetailSchema>;
export type Quote = z.infer<typeof quoteSchema>;
export type QuoteLine = Quote['lines'][number];
export type ImportRowProblem = z.infer<typeof importRowProblemSchema>;
export type Money = MoneyField;
export type { CreateQuoteRequest, DealerRemedyRequest, Message, RecordPurchaseRequest };
export type MessageStatusFilter = (typeof messageStatusFilters)[number];
export { claimStatusValues };

/** The first page of a keyset list (the most a page holds): pickers and counts read it. */
const LIST_PAGE = 200;
const claimPage = z.object({ items: z.array(claimSchema), nextCursor: z.string().nullable() });
const orderPage = z.object({ items: z.array(maintenanceOrderSchema), nextCursor: z.string().nullable() });
const purchasePage = z.object({ items: z.array(purchaseSchema), nextCursor: z.string().nullable() });

/** The sales list's pages (ListTable's key): a sale recorded or imported refreshes them. */
export const purchasesListKey = ['list', '/api/v1/purchases'] as const;

/** Claims in the reader's language (the decision's clauses are quoted in it). */
export const claimsQuery = (lang: 'en' | 'zh', status?: ClaimStatus, owner?: 'me') =>
  queryOptions({
    queryKey: ['desk', 'claims', lang, status ?? 'all', owner ?? 'anyone'],
    queryFn: () =>
      request(
        claimPage,
        `/api/v1/claims?limit=${LIST_PAGE}&lang=${lang}${status ? `&status=${status}` : ''}${owner ? `&owner=${owner}` : ''}`,
      ).then((page) => page.items),
  });

export const claimQuery = (id: string, lang: 'en' | 'zh') =>
  queryOptions({
    queryKey: ['desk', 'claim', id, lang],
    queryFn: () => request(claimSchema, `/api/v1/claims/${encodeURIComponent(id)}?lang=${lang}`),
  });

/** The reimbursement claims list (ListTable's pages under this key): what a decision makes stale. */
export const reimbursementsListKey = ['list', '/api/v1/reimbursements'] as const;

/** The filters the maintenance-order list offers. */
export type OrderFilters = {
  state?: MaintenanceOrder['state'];
  serviceCenterId?: string;
  /** Only orders neither closed nor cancelled: without it, years of closed orders fill the page. */
  open?: boolean;
};

export const maintenanceOrdersQuery = (filters: OrderFilters) =>
  queryOptions({
    queryKey: ['desk', 'maintenance-orders', filters],
    queryFn: () => {
      const params = new URLSearchParams();
      if (filters.state) params.set('state', filters.state);
      if (filters.serviceCenterId) params.set('serviceCenterId', filters.serviceCenterId);
      if (filters.open) params.set('open', 'true');
      params.set('limit', String(LIST_PAGE));
      const query = params.size > 0 ? `?${params.toString()}` : '';
      return request(orderPage, `/api/v1/maintenance-orders${query}`).then((page) => page.items);
    },
  });

export const maintenanceOrderQuery = (id: string) =>
  queryOptions({
    queryKey: ['desk', 'maintenance-order', id],
    queryFn: () =>
      request(maintenanceOrderDetailSchema, `/api/v1/maintenance-orders/${encodeURIComponent(id)}`),
  });

const quotePage = z.object({ items: z.array(quoteSchema), nextCursor: z.string().nullable() });

/** The newest quotes (one page, the most a page holds): the paid-service list shows each claim's latest. */
export const quotesQuery = queryOptions({
  queryKey: ['desk', 'quotes'],
  queryFn: () => request(quotePage, `/api/v1/quotes?limit=${LIST_PAGE}`).then((page) => page.items),
});

/** The quotes lists (ListTable's pages under this key): what a new or moved quote makes stale. */
export const quotesListKey = ['list', '/api/v1/quotes'] as const;

export const quoteQuery = (id: string) =>
  queryOptions({
    queryKey: ['desk', 'quote', id],
    queryFn: () => request(quoteSchema, `/api/v1/quotes/${encodeURIComponent(id)}`),
  });

/** A sale; the key makes a retry of the same submission (a lost answer, a double click) answer once. */
export function recordPurchase(body: RecordPurchaseRequest, idempotencyKey: string): Promise<Purchase> {
  return request(purchaseSchema, '/api/v1/purchases', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(recordPurchaseRequestSchema.parse(body)),
  });
}

/** A CSV file as it is: the server checks every row and imports all of them or none. */
export function importPurchases(csv: string): Promise<{ imported: number }> {
  return request(importPurchasesResponseSchema, '/api/v1/purchases/import', {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: csv,
  });
}

/** The per-row report of a rejected import, or undefined for any other refusal. */
export function importProblems(error: Error): ImportRowProblem[] | undefined {
  if (!(error instanceof ApiError) || error.code !== 'IMPORT_REJECTED') return undefined;
  const parsed = z.object({ rows: z.array(importRowProblemSchema) }).safeParse(error.details);
  return parsed.success ? parsed.data.rows : undefined;
}

/** The clause a refused remedy quotes (409 REMEDY_NOT_OFFERED), if the API gave one. */
export function refusingClause(error: Error): string | undefined {
  if (!(error instanceof ApiError) || error.code !== 'REMEDY_NOT_OFFERED') return undefined;
  const parsed = z.object({ clause: z.string() }).safeParse(error.details);
  return parsed.success ? parsed.data.clause : undefined;
}

export function isVersionConflict(error: Error | null): boolean {
  return error instanceof ApiError && error.code === 'VERSION_CONFLICT';
}

export function performDealerRemedy(
  claimId: string,
  body: DealerRemedyRequest,
  lang: 'en' | 'zh',
): Promise<z.infer<typeof dealerRemedySchema>> {
  return send(
    dealerRemedySchema,
    'POST',
    `/api/v1/claims/${encodeURIComponent(claimId)}/dealer-remedy?lang=${lang}`,
    dealerRemedyRequestSchema.parse(body),
  );
}

/** Registrations waiting for a check, oldest first: all for support, those naming it for a dealer. */
export const verificationQueueQuery = queryOptions({
  queryKey: ['desk', 'purchase-verifications'],
  queryFn: () =>
    request(purchasePage, `/api/v1/purchase-verifications?limit=${LIST_PAGE}`).then((page) => page.items),
});

export function verifyPurchase(id: string, body: VerifyPurchaseRequest): Promise<Purchase> {
  return send(
    purchaseSchema,
    'POST',
    `/api/v1/purchase-verifications/${encodeURIComponent(id)}/decision`,
    verifyPurchaseRequestSchema.parse(body),
  );
}

/** A stored file (a proof of purchase), served sandboxed to whoever may see it. */
export const uploadUrl = (id: string) => `/api/v1/uploads/${encodeURIComponent(id)}`;

export function decideReimbursement(id: string, body: ReimbursementDecisionRequest): Promise<Reimbursement> {
  return send(
    reimbursementSchema,
    'POST',
    `/api/v1/reimbursements/${encodeURIComponent(id)}/decision`,
    reimbursementDecisionRequestSchema.parse(body),
  );
}

export function createQuote(claimId: string, body: CreateQuoteRequest): Promise<Quote> {
  return send(
    quoteSchema,
    'POST',
    `/api/v1/claims/${encodeURIComponent(claimId)}/quotes`,
    createQuoteRequestSchema.parse(body),
  );
}

/** Sales record the answer the customer gave on the phone. */
export function recordPhoneResponse(id: string, body: PhoneQuoteResponseRequest): Promise<Quote> {
  return send(
    quoteSchema,
    'POST',
    `/api/v1/quotes/${encodeURIComponent(id)}/phone-response`,
    phoneQuoteResponseRequestSchema.parse(body),
  );
}

export type QuoteMove = 'send' | 'repaired' | 'invoice';

export function moveQuote(id: string, move: QuoteMove, expectedVersion: number): Promise<Quote> {
  return send(quoteSchema, 'POST', `/api/v1/quotes/${encodeURIComponent(id)}/${move}`, { expectedVersion });
}

export function workMessage(id: string, body: WorkMessageRequest): Promise<Message> {
  return send(messageSchema, 'POST', `/api/v1/messages/${encodeURIComponent(id)}/work`, body);
}

/** The approvals room: requests for a second person (support and admins decide dealers' money). */
export const approvalsQuery = (state: ApprovalState | 'all') =>
  queryOptions({
    queryKey: ['desk', 'approvals', state],
    queryFn: () =>
      request(z.array(approvalSchema), `/api/v1/approvals${state === 'all' ? '' : `?state=${state}`}`),
  });

export function decideApproval(id: string, body: ApprovalDecisionRequest): Promise<Approval> {
  return send(
    approvalSchema,
    'POST',
    `/api/v1/approvals/${encodeURIComponent(id)}/decision`,
    approvalDecisionRequestSchema.parse(body),
  );
}
