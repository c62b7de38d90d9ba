import { lazy, Suspense } from 'react';
import { Route } from 'react-router';
import type { Role } from '../../accounts.js';
import { RequireRole } from '../../components/RequireRole.js';
import { PageLoader } from '../../components/Status.js';
import type { NavItem } from '../../components/nav.js';

/*
 * The warranty reserve forecast (issue 19 item 3), for those who read the maker's costs: admins, QA
 * and sales (`reserve.read`). Its words are under the `reserve.` keys (web/src/i18n/reserve.*.json).
 */

const ReservePage = lazy(() => import('./ReservePage.js'));

const reserveRoles: readonly Role[] = ['admin', 'qa', 'sales'];

export const reserveNavItems: readonly NavItem[] = [
  {
    to: '/insight/reserve',
    key: 'reserve.nav',
    current: (p) => p.startsWith('/insight/reserve'),
    roles: reserveRoles,
  },
];

export function reserveRoutes() {
  return (
    <Route
      path="insight/reserve"
      element={
        <RequireRole roles={reserveRoles}>
          <Suspense fallback={<PageLoader />}>
            <ReservePage />
          </Suspense>
        </RequireRole>
      }
    />
  );
}
