import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  auditEventPageSchema,
  customerContextSchema,
  eligibleOwnersSchema,
  ownershipSchema,
} from '../../../src/http/ownership/schemas.js';
import { request, send } from '../api.js';

/*
 * Who works a claim or an order, the customer behind it, and the audit log (issue 15), read and written
 * through the server's own schemas.
 */

export type OwnedKind = 'claim' | 'order';
export type CustomerContext = z.infer<typeof customerContextSchema>;
export type AuditEvent = CustomerContext['history'][number];
export type AuditEventPage = z.infer<typeof auditEventPageSchema>;

const base = (kind: OwnedKind, id: string) =>
  `/api/v1/${kind === 'claim' ? 'claims' : 'maintenance-orders'}/${encodeURIComponent(id)}`;

export const contextQuery = (kind: OwnedKind, id: string) =>
  queryOptions({
    queryKey: ['work', 'context', kind, id],
    queryFn: () => request(customerContextSchema, `${base(kind, id)}/context`),
  });

export const assigneesQuery = (kind: OwnedKind, id: string) =>
  queryOptions({
    queryKey: ['work', 'assignees', kind, id],
    queryFn: () => request(eligibleOwnersSchema, `${base(kind, id)}/assignees`),
  });

export function changeOwner(
  kind: OwnedKind,
  id: string,
  change:
    { verb: 'take' | 'release'; reassign?: boolean } | { verb: 'assign'; userId: string; reassign?: boolean },
) {
  const { verb, ...body } = change;
  return send(ownershipSchema, 'POST', `${base(kind, id)}/${verb}`, body);
}

export type AuditFilters = {
  entityType?: string;
  entityId?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
};

export function fetchAuditPage(filters: AuditFilters, cursor?: string): Promise<AuditEventPage> {
  const params = new URLSearchParams({ limit: '50' });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (cursor) params.set('cursor', cursor);
  return request(auditEventPageSchema, `/api/v1/audit-events?${params.toString()}`);
}

/** Actions the log knows a label for: the filter offers these, and shows any other as written. */
export const knownActions = [
  'claim.submitted',
  'claim.owner_changed',
  'claim.remedy_chosen',
  'claim.redecided',
  'maintenance_order.owner_changed',
  'maintenance_order.issued',
  'maintenance_order.moved',
  'maintenance_order.customer_contacted',
  'purchase.recorded',
  'purchase.registered',
  'purchase.verified',
  'purchase.rejected',
  'quote.created',
  'quote.sent',
  'quote.invoiced',
  'reimbursement.requested',
  'dealer_remedy.performed',
  'user.role_changed',
] as const;

export const knownEntityTypes = [
  'claim',
  'maintenance_order',
  'purchase',
  'quote',
  'reimbursement_claim',
  'user',
  'risk_review',
  'approval',
] as const;
