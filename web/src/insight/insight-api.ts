import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { type ServiceLevelReportBody, serviceLevelReportSchema } from '../../../src/http/insight/schemas.js';
import { ratingInvitationSchema, ratingSubmittedSchema } from '../../../src/http/ratings/schemas.js';
import { request, send } from '../api.js';

/*
 * Insight's view of the API (issue 19): the service-level dashboard and the public rating link, through
 * the server's own schemas.
 */

export type ServiceLevelReport = ServiceLevelReportBody;
export type RatingInvitation = z.infer<typeof ratingInvitationSchema>;

/** The dashboard's filters, as the address bar, the API and its CSV export all take them. */
export type ServiceLevelFilter = {
  from?: string | undefined;
  to?: string | undefined;
  productId?: string | undefined;
  serviceCenterId?: string | undefined;
};
export const filterKeys = ['from', 'to', 'productId', 'serviceCenterId'] as const;

export function filterParams(filter: ServiceLevelFilter): string {
  const params = new URLSearchParams();
  for (const key of filterKeys) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  return params.size > 0 ? `?${params.toString()}` : '';
}

export const serviceLevelsQuery = (filter: ServiceLevelFilter) =>
  queryOptions({
    queryKey: ['insight', 'service-levels', filter],
    queryFn: () => request(serviceLevelReportSchema, `/api/v1/insight/service-levels${filterParams(filter)}`),
  });

export const serviceLevelCsvUrl = (filter: ServiceLevelFilter) =>
  `/api/v1/insight/service-levels/export${filterParams(filter)}`;

export function openRatingLink(token: string): Promise<RatingInvitation> {
  return send(ratingInvitationSchema, 'POST', '/api/v1/ratings/open', { token });
}

export function submitRating(token: string, score: number, comment: string): Promise<{ rated: true }> {
  return send(ratingSubmittedSchema, 'POST', '/api/v1/ratings', {
    token,
    score,
    ...(comment.trim() ? { comment } : {}),
  });
}
