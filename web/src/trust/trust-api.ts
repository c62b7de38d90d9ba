import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  type RiskReviewDecisionRequest,
  riskReviewDecisionRequestSchema,
  riskReviewSchema,
  type riskReviewStatuses,
} from '../../../src/http/risk-reviews/schemas.js';
import {
  type FourEyesSettings,
  fourEyesSettingsSchema,
  type RiskSettingsBody,
  riskSettingsBodySchema,
} from '../../../src/http/settings/schemas.js';
import { request, send } from '../api.js';

/* The review queue of what fraud signals hold, and their thresholds: for support, QA and admins. */

export type RiskReview = z.infer<typeof riskReviewSchema>;
export type RiskReviewStatus = (typeof riskReviewStatuses)[number];
export type RiskSettings = RiskSettingsBody;

export const riskReviewsQuery = (status: RiskReviewStatus | 'all') =>
  queryOptions({
    queryKey: ['trust', 'reviews', status],
    queryFn: () =>
      request(
        z.array(riskReviewSchema),
        status === 'all' ? '/api/v1/risk-reviews' : `/api/v1/risk-reviews?status=${status}`,
      ),
  });

export function decideRiskReview(id: string, body: RiskReviewDecisionRequest): Promise<RiskReview> {
  return send(
    riskReviewSchema,
    'POST',
    `/api/v1/risk-reviews/${encodeURIComponent(id)}/decision`,
    riskReviewDecisionRequestSchema.parse(body),
  );
}

export const riskSettingsQuery = queryOptions({
  queryKey: ['trust', 'settings'],
  queryFn: () => request(riskSettingsBodySchema, '/api/v1/settings/risk'),
});

export function saveRiskSettings(body: RiskSettings): Promise<RiskSettings> {
  return send(riskSettingsBodySchema, 'PUT', '/api/v1/settings/risk', riskSettingsBodySchema.parse(body));
}

/** The four-eyes thresholds per currency: admins only read and set them. */
export const fourEyesSettingsQuery = queryOptions({
  queryKey: ['trust', 'four-eyes'],
  queryFn: () => request(fourEyesSettingsSchema, '/api/v1/settings/four-eyes'),
});

export function saveFourEyesSettings(body: FourEyesSettings): Promise<FourEyesSettings> {
  return send(
    fourEyesSettingsSchema,
    'PUT',
    '/api/v1/settings/four-eyes',
    fourEyesSettingsSchema.parse(body),
  );
}
