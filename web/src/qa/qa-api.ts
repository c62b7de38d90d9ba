import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  attachEvidenceRequestSchema,
  type BatchDefectInvestigation,
  investigationSchema,
  type LotDefectRate,
  lotRateSchema,
  type MakerCostLedger,
  makerCostLedgerSchema,
  type MoveInvestigationRequest,
  moveInvestigationRequestSchema,
  openInvestigationRequestSchema,
} from '../../../src/http/batch-investigations/schemas.js';
import { request, send } from '../api.js';

/*
 * The QA console's view of the API: lot defect rates (the early warning), batch-defect investigations
 * with their evidence and moves, and the maker's cost ledger, through the server's own schemas.
 */

export type LotRate = LotDefectRate;
export type Investigation = BatchDefectInvestigation;
export type InvestigationState = Investigation['state'];
export type CostLedger = MakerCostLedger;
export type CostEntry = CostLedger['entries'][number];
export type { MoveInvestigationRequest };

export const lotRatesQuery = queryOptions({
  queryKey: ['qa', 'lot-rates'],
  queryFn: () => request(z.array(lotRateSchema), '/api/v1/lot-defect-rates'),
});

export const investigationsQuery = queryOptions({
  queryKey: ['qa', 'investigations'],
  queryFn: () => request(z.array(investigationSchema), '/api/v1/batch-investigations?limit=500'),
});

export const investigationQuery = (id: string) =>
  queryOptions({
    queryKey: ['qa', 'investigation', id],
    queryFn: () => request(investigationSchema, `/api/v1/batch-investigations/${encodeURIComponent(id)}`),
  });

/** The filters of the cost ledger, as the API (and its CSV export) take them. */
export type CostFilter = {
  clientId?: string | undefined;
  productId?: string | undefined;
  lot?: string | undefined;
};

export function costParams(filter: CostFilter): string {
  const params = new URLSearchParams();
  if (filter.clientId) params.set('clientId', filter.clientId);
  if (filter.productId) params.set('productId', filter.productId);
  if (filter.lot?.trim()) params.set('lot', filter.lot.trim());
  return params.size > 0 ? `?${params.toString()}` : '';
}

export const costLedgerQuery = (filter: CostFilter) =>
  queryOptions({
    queryKey: ['qa', 'maker-costs', filter],
    queryFn: () => request(makerCostLedgerSchema, `/api/v1/maker-costs${costParams(filter)}`),
  });

/** The same ledger as a CSV file, downloaded by the browser with the session cookie. */
export const costCsvUrl = (filter: CostFilter) => `/api/v1/maker-costs/export${costParams(filter)}`;

export function openInvestigation(
  body: z.input<typeof openInvestigationRequestSchema>,
): Promise<Investigation> {
  return send(
    investigationSchema,
    'POST',
    '/api/v1/batch-investigations',
    openInvestigationRequestSchema.parse(body),
  );
}

export function attachEvidence(
  id: string,
  uploadIds: string[],
  expectedVersion: number,
): Promise<Investigation> {
  return send(
    investigationSchema,
    'POST',
    `/api/v1/batch-investigations/${encodeURIComponent(id)}/evidence`,
    attachEvidenceRequestSchema.parse({ uploadIds, expectedVersion }),
  );
}

export function moveInvestigation(id: string, body: MoveInvestigationRequest): Promise<Investigation> {
  return send(
    investigationSchema,
    'POST',
    `/api/v1/batch-investigations/${encodeURIComponent(id)}/transitions`,
    moveInvestigationRequestSchema.parse(body),
  );
}
