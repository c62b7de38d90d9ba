import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  type CreateOemOrderRequest,
  createOemOrderRequestSchema,
  defectImportProblemSchema,
  defectReportSchema,
  type DefectImportProblem,
  excessResolutionSchema,
  importDefectReportsResponseSchema,
  ledgerSchema,
  type OemDefectReport,
  type OemOrder as OemOrderView,
  type OemOrderLedger,
  type OemOrderSummary as OemOrderSummaryView,
  oemOrderSchema,
  oemOrderSummarySchema,
  type ExcessResolution as ExcessResolutionView,
  type MoveShipmentRequest,
  moveShipmentRequestSchema,
  type RemakeOrder as RemakeOrderView,
  remakeOrderSchema,
  type ReplacementShipment,
  replacementShipmentSchema,
  type ReportDefectsRequest,
  reportDefectsRequestSchema,
  type ResolveExcessRequest,
  resolveExcessRequestSchema,
  resolvedExcessSchema,
  addPriceListEntryRequestSchema,
  allocateLotRequestSchema,
  confirmOemOrderRequestSchema,
  createLotRequestSchema,
  declineOemOrderRequestSchema,
  type Lot,
  lotSchema,
  type PriceListEntry,
  priceListEntrySchema,
  requestReturnRequestSchema,
  reviewDefectReportRequestSchema,
  type ReviewQueueItem,
  reviewQueueItemSchema,
  reviewResultSchema,
} from '../../../src/http/oem-orders/schemas.js';
import { storedUploadSchema, type StoredUploadResponse } from '../../../src/http/uploads/schemas.js';
import { ApiError, request, send } from '../api.js';

/*
 * The OEM portal's view of the API: orders with their spares and credits, an order's defect ledger,
 * defect reports (one, or a CSV of many), the remedy chosen for excess defects, and next-order credits,
 * each read and written through the server's own schemas.
 */

export type OemOrderSummary = OemOrderSummaryView;
export type OemOrder = OemOrderView;
export type Ledger = OemOrderLedger;
export type LedgerLine = Ledger['lines'][number];
export type DefectReport = OemDefectReport;
export type ExcessResolution = ExcessResolutionView;
export type RemakeOrder = RemakeOrderView;
export type OrderRef = ExcessResolution['order'];
export type ImportRowProblem = DefectImportProblem;
export type CreateOrderRequest = CreateOemOrderRequest;
export type ReportDefectRequest = ReportDefectsRequest;
export type { MoveShipmentRequest, ReplacementShipment, ResolveExcessRequest };
export type ShipmentState = RemakeOrder['state'];
/** A remake order (a batch defect) or a replacement shipment (a remedy for excess). */
export type ShipmentKind = 'remake' | 'replacement';

/** As many as the API gives at once: a client's orders and credits are that few. */
const PAGE = 500;

/** The first page of orders, newest first, for pickers (the orders page itself pages by cursor). */
export const ordersQuery = queryOptions({
  queryKey: ['oem', 'orders'],
  queryFn: () =>
    request(
      z.object({ items: z.array(oemOrderSummarySchema), nextCursor: z.string().nullable() }),
      '/api/v1/oem-orders?limit=200',
    ).then((page) => page.items),
});

/** The orders list's pages (ListTable's key): an order requested, confirmed or declined refreshes them. */
export const ordersListKey = ['list', '/api/v1/oem-orders'] as const;

export const orderQuery = (id: string) =>
  queryOptions({
    queryKey: ['oem', 'order', id],
    queryFn: () => request(oemOrderSchema, `/api/v1/oem-orders/${encodeURIComponent(id)}`),
  });

/** The ledger quotes the policy's clauses in the reader's language. */
export const ledgerQuery = (id: string, lang: 'en' | 'zh') =>
  queryOptions({
    queryKey: ['oem', 'ledger', id, lang],
    queryFn: () => request(ledgerSchema, `/api/v1/oem-orders/${encodeURIComponent(id)}/ledger?lang=${lang}`),
  });

export const defectReportsQuery = (id: string) =>
  queryOptions({
    queryKey: ['oem', 'defect-reports', id],
    queryFn: () =>
      request(z.array(defectReportSchema), `/api/v1/oem-orders/${encodeURIComponent(id)}/defect-reports`),
  });

/** Credits on a next order, open and applied, newest first. */
export const creditsQuery = queryOptions({
  queryKey: ['oem', 'credits'],
  queryFn: () =>
    request(
      z.array(excessResolutionSchema),
      `/api/v1/excess-resolutions?remedy=next_order_credit&limit=${PAGE}`,
    ),
});

export function createOrder(body: CreateOrderRequest): Promise<OemOrder> {
  return send(oemOrderSchema, 'POST', '/api/v1/oem-orders', createOemOrderRequestSchema.parse(body));
}

export function reportDefect(orderId: string, body: ReportDefectRequest): Promise<DefectReport> {
  return send(
    defectReportSchema,
    'POST',
    `/api/v1/oem-orders/${encodeURIComponent(orderId)}/defect-reports`,
    reportDefectsRequestSchema.parse(body),
  );
}

/** A CSV file as it is: every row is checked, and all are recorded or none. */
export function importDefects(csv: string) {
  return request(importDefectReportsResponseSchema, '/api/v1/oem-defect-reports/import', {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: csv,
  });
}

/** The per-row report of a refused upload, or undefined for any other refusal. */
export function importProblems(error: Error): ImportRowProblem[] | undefined {
  if (!(error instanceof ApiError) || error.code !== 'IMPORT_REJECTED') return undefined;
  const parsed = z.object({ rows: z.array(defectImportProblemSchema) }).safeParse(error.details);
  return parsed.success ? parsed.data.rows : undefined;
}

/** A remedy; the key makes a retry of the same choice (a lost answer, a double click) answer once. */
export function resolveExcess(
  orderId: string,
  body: ResolveExcessRequest,
  key: string,
): Promise<z.infer<typeof resolvedExcessSchema>> {
  return request(
    resolvedExcessSchema,
    `/api/v1/oem-orders/${encodeURIComponent(orderId)}/excess-resolutions`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(resolveExcessRequestSchema.parse(body)),
    },
  );
}

/** An evidence file (a photo, a test report), uploaded before the report that names it. */
export function uploadEvidence(file: File): Promise<StoredUploadResponse> {
  const body = new FormData();
  body.append('file', file, file.name);
  return request(storedUploadSchema, '/api/v1/uploads?kind=evidence', { method: 'POST', body });
}

/** Where an uploaded file is shown (sandboxed by the server). */
export const uploadUrl = (id: string) => `/api/v1/uploads/${encodeURIComponent(id)}`;

/** Moves a shipment: QA ships remakes (by air), sales ship replacements. */
export function moveShipment(
  kind: ShipmentKind,
  id: string,
  body: MoveShipmentRequest,
): Promise<RemakeOrder | ReplacementShipment> {
  const checked = moveShipmentRequestSchema.parse(body);
  return kind === 'remake'
    ? send(remakeOrderSchema, 'POST', `/api/v1/remake-orders/${encodeURIComponent(id)}/transitions`, checked)
    : send(
        replacementShipmentSchema,
        'POST',
        `/api/v1/replacement-shipments/${encodeURIComponent(id)}/transitions`,
        checked,
      );
}

export type { Lot, PriceListEntry, ReviewQueueItem };

/* Sales: the contract prices and the confirmation of requests. */

export const priceListQuery = queryOptions({
  queryKey: ['oem', 'price-list'],
  queryFn: () => request(z.array(priceListEntrySchema), '/api/v1/oem-price-list'),
});

export function addPrice(body: z.input<typeof addPriceListEntryRequestSchema>): Promise<PriceListEntry> {
  return send(
    priceListEntrySchema,
    'POST',
    '/api/v1/oem-price-list',
    addPriceListEntryRequestSchema.parse(body),
  );
}

export function confirmOrder(
  id: string,
  body: z.input<typeof confirmOemOrderRequestSchema>,
): Promise<OemOrder> {
  return send(
    oemOrderSchema,
    'POST',
    `/api/v1/oem-orders/${encodeURIComponent(id)}/confirmation`,
    confirmOemOrderRequestSchema.parse(body),
  );
}

export function declineOrder(
  id: string,
  body: z.input<typeof declineOemOrderRequestSchema>,
): Promise<OemOrder> {
  return send(
    oemOrderSchema,
    'POST',
    `/api/v1/oem-orders/${encodeURIComponent(id)}/decline`,
    declineOemOrderRequestSchema.parse(body),
  );
}

/* QA and sales: the maker's lots and what they ship to which order. */

export const lotsQuery = queryOptions({
  queryKey: ['oem', 'lots'],
  queryFn: () => request(z.array(lotSchema), '/api/v1/lots'),
});

export function createLot(body: z.input<typeof createLotRequestSchema>): Promise<Lot> {
  return send(lotSchema, 'POST', '/api/v1/lots', createLotRequestSchema.parse(body));
}

export function allocateLot(lotId: string, body: z.input<typeof allocateLotRequestSchema>): Promise<Lot> {
  return send(
    lotSchema,
    'POST',
    `/api/v1/lots/${encodeURIComponent(lotId)}/allocations`,
    allocateLotRequestSchema.parse(body),
  );
}

/* QA: the review of reported units beyond the spares. */

export const reviewQueueQuery = queryOptions({
  queryKey: ['oem', 'reviews'],
  queryFn: () => request(z.array(reviewQueueItemSchema), '/api/v1/oem-defect-reports/reviews?limit=200'),
});

export function reviewReport(id: string, body: z.input<typeof reviewDefectReportRequestSchema>) {
  return send(
    reviewResultSchema,
    'POST',
    `/api/v1/oem-defect-reports/${encodeURIComponent(id)}/review`,
    reviewDefectReportRequestSchema.parse(body),
  );
}

export function requestReturn(id: string, body: z.input<typeof requestReturnRequestSchema>) {
  return send(
    reviewResultSchema,
    'POST',
    `/api/v1/oem-defect-reports/${encodeURIComponent(id)}/return-request`,
    requestReturnRequestSchema.parse(body),
  );
}
