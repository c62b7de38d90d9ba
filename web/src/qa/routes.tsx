import { lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route } from 'react-router';
import type { Role } from '../accounts.js';
import { RequireRole } from '../components/RequireRole.js';
import { PageLoader } from '../components/Status.js';
import type { NavItem } from '../components/nav.js';
import { NotFoundPage } from '../pages/NotFoundPage.js';
import { RoleArea, type RoleSection } from '../oem/ui.js';

/*
 * The QA console: lot defect rates against the spare rate (the early warning, as a chart and its
 * numbers), the review of reported units beyond the spares, the maker's production lots, batch-defect investigations from opening to the air-shipped remake, and the maker's cost
 * ledger per client, product and lot with its CSV export. Mounted by App.tsx; its labels are under the
 * `oem.qa.` keys (web/src/i18n/oem.*.json). Loaded only by those who open it.
 */

const LotRatesPage = lazy(() => import('./LotRatesPage.js'));
const InvestigationsPage = lazy(() => import('./InvestigationsPage.js'));
const InvestigationPage = lazy(() => import('./InvestigationPage.js'));
const CostsPage = lazy(() => import('./CostsPage.js'));
const ReviewsPage = lazy(() => import('./ReviewsPage.js'));
const ProductionLotsPage = lazy(() => import('../oem/LotsPage.js'));
const NoticesPage = lazy(() => import('../desk/NoticesPage.js'));
const RiskReviewsPage = lazy(() => import('../trust/ReviewsPage.js'));

const qaRoles: readonly Role[] = ['qa', 'admin'];

/** In QA's header; admins, whose header already holds the support desk and the console, open /qa. */
export const qaNavItems: readonly NavItem[] = [
  { to: '/qa', key: 'oem.nav.qa', current: (p) => p.startsWith('/qa'), roles: ['qa'] },
];

const sections: readonly RoleSection[] = [
  { path: 'lots', key: 'oem.qa.nav.lots' },
  { path: 'reviews', key: 'oem.qa.nav.reviews' },
  { path: 'production-lots', key: 'oem.qa.nav.productionLots' },
  { path: 'investigations', key: 'oem.qa.nav.investigations' },
  { path: 'costs', key: 'oem.qa.nav.costs' },
  { path: 'risk-reviews', key: 'trust.nav.reviews' },
  { path: 'notices', key: 'oem.qa.nav.notices' },
];

const page = (element: ReactNode) => <Suspense fallback={<PageLoader />}>{element}</Suspense>;

export function qaRoutes() {
  return (
    <Route
      path="qa"
      element={
        <RequireRole roles={qaRoles}>
          <RoleArea base="/qa" titleKey="oem.nav.qa" sections={sections} />
        </RequireRole>
      }
    >
      <Route index element={<Navigate to="lots" replace />} />
      <Route path="lots" element={page(<LotRatesPage />)} />
      <Route path="reviews" element={page(<ReviewsPage />)} />
      <Route path="production-lots" element={page(<ProductionLotsPage />)} />
      <Route path="investigations" element={page(<InvestigationsPage />)} />
      <Route path="investigations/:id" element={page(<InvestigationPage />)} />
      <Route path="costs" element={page(<CostsPage />)} />
      <Route path="risk-reviews" element={page(<RiskReviewsPage />)} />
      <Route path="notices" element={page(<NoticesPage />)} />
      <Route path="*" element={<NotFoundPage />} />
    </Route>
  );
}
