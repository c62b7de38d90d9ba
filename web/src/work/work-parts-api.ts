import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { orderWorkSchema, partSchema, type RecordWorkRequest } from '../../../src/http/parts/schemas.js';
import { request, send } from '../api.js';

/* The parts list and the parts and hours of a repair, through the server's own schemas. */

export type OrderWork = z.infer<typeof orderWorkSchema>;
export type Part = z.infer<typeof partSchema>;

export const orderWorkQuery = (orderId: string) =>
  queryOptions({
    queryKey: ['work', 'order-work', orderId],
    queryFn: () => request(orderWorkSchema, `/api/v1/maintenance-orders/${encodeURIComponent(orderId)}/work`),
  });

export const partsQuery = queryOptions({
  queryKey: ['work', 'parts'],
  queryFn: () => request(z.array(partSchema), '/api/v1/parts'),
});

export function recordOrderWork(orderId: string, body: RecordWorkRequest): Promise<OrderWork> {
  return send(orderWorkSchema, 'PUT', `/api/v1/maintenance-orders/${encodeURIComponent(orderId)}/work`, body);
}
