import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { fetchMe, type Role, type User } from './accounts.js';

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: fetchMe,
  // The role can change under a session (an admin moves someone): a minute is the longest it shows stale.
  staleTime: 60_000,
});

/** Who is signed in: `data` is the user, or null when nobody is. */
export function useMe() {
  return useQuery(meQuery);
}

/**
 * After signing in or out, everything cached belongs to someone else: it is dropped, and /me is asked
 * again before the caller moves on, so the next page already knows who is there.
 */
export function useSessionChanged(): () => Promise<User | null> {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    queryClient.removeQueries();
    return queryClient.query(meQuery);
  }, [queryClient]);
}

/** Where each role lands after signing in: its own desk, not the public policy page. */
const homePaths: Record<Role, string> = {
  admin: '/admin',
  support: '/desk/support',
  sales: '/desk/sales',
  dealer: '/desk/dealer',
  technician: '/repairs',
  qa: '/qa',
  oem: '/oem',
  customer: '/my-products',
};

/** Where a role lands after signing in. */
export function homePathFor(role: Role): string {
  return homePaths[role];
}

/**
 * A `next` parameter names where to return after signing in: only a path of this app, so a crafted
 * link cannot send someone elsewhere. The URL parser has the last word, not a prefix check: it drops
 * tabs and new lines and reads `\` as `/`, so `/\tevil.example` or `/\\evil.example` would name another
 * host. What resolves to another origin (or is not a path to begin with) is refused.
 */
export function safeNextPath(next: string | null, origin = 'http://app.invalid'): string | undefined {
  if (!next?.startsWith('/')) return undefined;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== new URL(origin).origin) return undefined;
  // The path as the parser understood it: what the browser would really open.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('//') ? undefined : path;
}
