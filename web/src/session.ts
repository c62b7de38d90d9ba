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

/** Where a role lands after signing in. */
export function homePathFor(role: Role): string {
  return role === 'admin' ? '/admin' : '/';
}

/**
 * A `next` parameter names where to return after signing in: only a path of this app, so a crafted
 * link cannot send someone elsewhere (`//evil.example` is another host).
 */
export function safeNextPath(next: string | null): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  return next;
}
