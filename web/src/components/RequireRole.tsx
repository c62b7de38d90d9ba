import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import type { Role } from '../accounts.js';
import { ForbiddenPage } from '../pages/ForbiddenPage.js';
import { useMe } from '../session.js';
import { LoadError, PageLoader } from './Status.js';

/**
 * Lets through only a signed-in user with one of `roles`. Nobody signed in goes to the sign-in page
 * and comes back afterwards; a user without the role is told so, never shown a blank page. The API
 * refuses such a user anyway: this only spares them a screen of errors.
 */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children?: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoader />;
  if (me.isError) return <LoadError error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (!roles.includes(me.data.role)) return <ForbiddenPage />;
  return children ?? <Outlet />;
}
