import { lazy, Suspense } from 'react';
import { Route } from 'react-router';
import type { Role } from '../../accounts.js';
import { RequireRole } from '../../components/RequireRole.js';
import { PageLoader } from '../../components/Status.js';
import type { NavItem } from '../../components/nav.js';

/*
 * The cost of warranty (issue 19 item 2) at /insight/cost: for those who read the maker's cost ledger
 * (admins, QA, sales). Mounted by App.tsx; labels under `insightCost.` (web/src/i18n/insight-cost.*.json).
 */

const CostPage = lazy(() => import('./CostPage.js'));

const roles: readonly Role[] = ['admin', 'qa', 'sales'];

export const insightCostNavItems: readonly NavItem[] = [
  { to: '/insight/cost', key: 'insightCost.nav', current: (p) => p.startsWith('/insight/cost'), roles },
];

export function insightCostRoutes() {
  return (
    <Route
      path="insight/cost"
      element={
        <RequireRole roles={roles}>
          <Suspense fallback={<PageLoader />}>
            <CostPage />
          </Suspense>
        </RequireRole>
      }
    />
  );
}
