import { queryOptions } from '@tanstack/react-query';
import {
  costReportSchema,
  type CostReportBody,
  costRowsSchema,
  type CostRowsBody,
} from '../../../../src/http/insight/cost/schemas.js';
import type { RowCategory } from '../../../../src/domain/warranty-cost/report.js';
import { request } from '../../api.js';

/* The cost of warranty, through the server's own schemas. */

export type CostReport = CostReportBody;
export type CostRows = CostRowsBody;
export type CostFilter = {
  from?: string | undefined;
  to?: string | undefined;
  productId?: string | undefined;
};
export type CostCellRef = {
  category: RowCategory;
  month?: string | undefined;
  productId?: string | undefined;
};

function params(values: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) p.set(k, v);
  return p.size > 0 ? `?${p.toString()}` : '';
}

export const costReportQuery = (filter: CostFilter) =>
  queryOptions({
    queryKey: ['insight', 'cost', filter],
    queryFn: () => request(costReportSchema, `/api/v1/insight/cost${params(filter)}`),
  });

export const costRowsQuery = (filter: CostFilter, cell: CostCellRef) =>
  queryOptions({
    queryKey: ['insight', 'cost', 'rows', filter, cell],
    queryFn: () =>
      request(
        costRowsSchema,
        `/api/v1/insight/cost/rows${params({ from: filter.from, to: filter.to, productId: cell.productId ?? filter.productId, category: cell.category, month: cell.month })}`,
      ),
  });

export const costCsvUrl = (filter: CostFilter) => `/api/v1/insight/cost/export.csv${params(filter)}`;
