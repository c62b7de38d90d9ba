import { lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route } from 'react-router';
import type { Role } from '../accounts.js';
import { RequireRole } from '../components/RequireRole.js';
import { PageLoader } from '../components/Status.js';
import type { NavItem } from '../components/nav.js';
import { RoleArea, type RoleSection } from '../oem/ui.js';

/*
 * Insight (issue 19): the maker's figures, for support, QA and admins (`insight.read`). Each part of
 * the issue is a section of its own under /insight (the service levels here; others beside it), and
 * the customers' public rating page is /rate. Labels under `insight.` (web/src/i18n/insight.*.json).
 */

const ServiceLevelsPage = lazy(() => import('./service-levels/ServiceLevelsPage.js'));
const RatingPage = lazy(() => import('./rating/RatingPage.js'));

const insightRoles: readonly Role[] = ['support', 'qa', 'admin'];

export const insightNavItems: readonly NavItem[] = [
  {
    to: '/insight',
    key: 'insight.nav.insight',
    // The reserve forecast has its own entry (its readers differ: web/src/insight/reserve/routes.tsx).
    current: (p) => p.startsWith('/insight') && !p.startsWith('/insight/reserve'),
    roles: insightRoles,
  },
];

const sections: readonly RoleSection[] = [{ path: 'service-levels', key: 'insight.nav.serviceLevels' }];

const page = (element: ReactNode) => <Suspense fallback={<PageLoader />}>{element}</Suspense>;

export function insightRoutes() {
  return [
    <Route
      key="insight"
      path="insight"
      element={
        <RequireRole roles={insightRoles}>
          <RoleArea base="/insight" titleKey="insight.nav.insight" sections={sections} />
        </RequireRole>
      }
    >
      <Route index element={<Navigate to="service-levels" replace />} />
      <Route path="service-levels" element={page(<ServiceLevelsPage />)} />
    </Route>,
    <Route key="rate" path="rate" element={page(<RatingPage />)} />,
  ];
}
