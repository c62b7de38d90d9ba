import { lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route } from 'react-router';
import { RequireRole } from '../components/RequireRole.js';
import { PageLoader } from '../components/Status.js';
import type { NavItem } from '../components/nav.js';
import { NotFoundPage } from '../pages/NotFoundPage.js';
import {
  defectReporters,
  lotKeepers,
  oemStaff,
  orderConfirmers,
  orderCreators,
  RoleArea,
  type RoleSection,
} from './ui.js';

/*
 * The OEM portal: an OEM client's orders with their spares, each order's defect ledger, defect reports
 * (one by one or a CSV), the remedy for defects beyond the spares, and next-order credits. The client's
 * users see their own; sales, support, QA and admins see every client's. Mounted by App.tsx; its labels
 * are under the `oem.` keys (web/src/i18n/oem.*.json). Loaded only by those who open it.
 */

const OrdersPage = lazy(() => import('./OrdersPage.js'));
const NewOrderPage = lazy(() => import('./NewOrderPage.js'));
const OrderPage = lazy(() => import('./OrderPage.js'));
const ReportDefectsPage = lazy(() => import('./ReportDefectsPage.js'));
const ImportDefectsPage = lazy(() => import('./ImportDefectsPage.js'));
const CreditsPage = lazy(() => import('./CreditsPage.js'));
const PriceListPage = lazy(() => import('./PriceListPage.js'));
const LotsPage = lazy(() => import('./LotsPage.js'));

const portalRoles = ['oem', ...oemStaff] as const;

/*
 * In the header for those who work in the portal every day; QA and admins reach an order from the QA
 * console's links (or /oem), so their header keeps to one line.
 */
export const oemNavItems: readonly NavItem[] = [
  {
    to: '/oem',
    key: 'oem.nav.portal',
    current: (p) => p.startsWith('/oem'),
    roles: ['oem', 'sales', 'support'],
  },
];

const sections: readonly RoleSection[] = [
  { path: 'orders', key: 'oem.portal.nav.orders' },
  { path: 'new-order', key: 'oem.portal.nav.newOrder', roles: orderCreators },
  { path: 'report', key: 'oem.portal.nav.report', roles: defectReporters },
  { path: 'import', key: 'oem.portal.nav.import', roles: defectReporters },
  { path: 'credits', key: 'oem.portal.nav.credits' },
  { path: 'prices', key: 'oem.portal.nav.prices', roles: orderConfirmers },
  { path: 'lots', key: 'oem.portal.nav.lots', roles: lotKeepers },
];

const page = (element: ReactNode) => <Suspense fallback={<PageLoader />}>{element}</Suspense>;

export function oemRoutes() {
  return (
    <Route
      path="oem"
      element={
        <RequireRole roles={portalRoles}>
          <RoleArea base="/oem" titleKey="oem.nav.portal" sections={sections} />
        </RequireRole>
      }
    >
      <Route index element={<Navigate to="orders" replace />} />
      <Route path="orders" element={page(<OrdersPage />)} />
      <Route path="orders/:id" element={page(<OrderPage />)} />
      <Route
        path="new-order"
        element={<RequireRole roles={orderCreators}>{page(<NewOrderPage />)}</RequireRole>}
      />
      <Route
        path="report"
        element={<RequireRole roles={defectReporters}>{page(<ReportDefectsPage />)}</RequireRole>}
      />
      <Route
        path="import"
        element={<RequireRole roles={defectReporters}>{page(<ImportDefectsPage />)}</RequireRole>}
      />
      <Route path="credits" element={page(<CreditsPage />)} />
      <Route
        path="prices"
        element={<RequireRole roles={orderConfirmers}>{page(<PriceListPage />)}</RequireRole>}
      />
      <Route path="lots" element={<RequireRole roles={lotKeepers}>{page(<LotsPage />)}</RequireRole>} />
      <Route path="*" element={<NotFoundPage />} />
    </Route>
  );
}
