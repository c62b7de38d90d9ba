import { queryOptions } from '@tanstack/react-query';
import { type ReserveResponse, reserveSchema } from '../../../../src/http/insight/reserve/schemas.js';
import { request } from '../../api.js';

/* The reserve forecast's view of the API, through the server's own schema. */

export type Reserve = ReserveResponse;
export type ReserveProduct = Reserve['products'][number];

export const reserveQuery = (asOf: string | undefined) =>
  queryOptions({
    queryKey: ['insight', 'reserve', asOf ?? 'today'],
    queryFn: () =>
      request(reserveSchema, `/api/v1/insight/reserve${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`),
  });
