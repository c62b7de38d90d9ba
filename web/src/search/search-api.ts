import { queryOptions } from '@tanstack/react-query';
import { searchResultsSchema } from '../../../src/http/search/schemas.js';
import { SEARCH_MAX, SEARCH_MIN } from '../../../src/http/search/schemas.js';
import { mayAttempt } from '../../../src/domain/access/access.js';
import type { Role } from '../accounts.js';
import { request } from '../api.js';

export { SEARCH_MAX, SEARCH_MIN };
export type { SearchResultsBody as SearchResults } from '../../../src/http/search/schemas.js';

/** Whether the header shows the search box: the roles the permission table lets search. */
export const maySearch = (role: Role | undefined): boolean =>
  role !== undefined && mayAttempt(role, 'search.use');

export const searchQuery = (q: string) =>
  queryOptions({
    queryKey: ['search', q],
    queryFn: () => request(searchResultsSchema, `/api/v1/search?q=${encodeURIComponent(q)}`),
    enabled: q.trim().length >= SEARCH_MIN && q.trim().length <= SEARCH_MAX,
  });

/** Where a hit opens, for the reader's role: the pages that exist for it; none when there is none. */
export function claimLink(role: Role | undefined, id: string): string | undefined {
  if (role === 'support' || role === 'admin') return `/desk/support/claims/${id}`;
  if (role === 'dealer') return '/desk/dealer/claims';
  return undefined;
}

export function orderLink(role: Role | undefined, id: string): string | undefined {
  if (role === 'support' || role === 'admin') return `/desk/support/orders/${id}`;
  if (role === 'technician') return `/repairs/${id}`;
  return undefined;
}

export function purchaseLink(role: Role | undefined): string | undefined {
  return role === 'dealer' ? '/desk/dealer/sales' : undefined;
}
