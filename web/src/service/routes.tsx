import { lazy, type ReactNode, Suspense } from 'react';
import { Route } from 'react-router';
import type { Role } from '../accounts.js';
import type { NavItem } from '../components/nav.js';
import { RequireRole } from '../components/RequireRole.js';
import { PageLoader } from '../components/Status.js';

/*
 * The end-user service: customers (my products, report a problem, my claims), guests (tracking,
 * answering a quote, reporting without an account) and technicians (the center's queue). Mounted by
 * App.tsx; its labels are under the `service.` keys (web/src/i18n/service.*.json).
 */

export const serviceNavItems: readonly NavItem[] = [
  { to: '/track', key: 'service.nav.track', current: (p) => p === '/track' || p === '/report' },
  {
    to: '/my-products',
    key: 'service.nav.products',
    current: (p) => p.startsWith('/my-products'),
    roles: ['customer'],
  },
  {
    to: '/my-claims',
    key: 'service.nav.claims',
    current: (p) => p.startsWith('/my-claims') || p.startsWith('/maintenance-orders'),
    roles: ['customer'],
  },
  {
    to: '/repairs',
    key: 'service.nav.queue',
    current: (p) => p.startsWith('/repairs') || p.startsWith('/maintenance-orders'),
    roles: ['technician'],
  },
  {
    to: '/conversations',
    key: 'service.conversation.queue.title',
    current: (p) => p === '/conversations',
    roles: ['technician'],
  },
];

// Each page is fetched when first opened: a guest following a repair never downloads the technician's.
function page<K extends string>(load: () => Promise<Record<K, () => ReactNode>>, name: K) {
  return lazy(async (): Promise<{ default: () => ReactNode }> => ({ default: (await load())[name] }));
}

const MyProductsPage = page(() => import('./customer/MyProductsPage.js'), 'MyProductsPage');
const RegisterProductPage = page(() => import('./customer/RegisterProductPage.js'), 'RegisterProductPage');
const ReportProblemPage = page(() => import('./customer/ReportProblemPage.js'), 'ReportProblemPage');
const MyClaimsPage = page(() => import('./customer/MyClaimsPage.js'), 'MyClaimsPage');
const ClaimDetailPage = page(() => import('./customer/ClaimDetailPage.js'), 'ClaimDetailPage');
const SlipPage = page(() => import('./SlipPage.js'), 'SlipPage');
const TrackPage = page(() => import('./guest/TrackPage.js'), 'TrackPage');
const QuotePage = page(() => import('./guest/QuotePage.js'), 'QuotePage');
const GuestReportPage = page(() => import('./guest/GuestReportPage.js'), 'GuestReportPage');
const RepairQueuePage = page(() => import('./technician/RepairQueuePage.js'), 'RepairQueuePage');
const OrderDetailPage = page(() => import('./technician/OrderDetailPage.js'), 'OrderDetailPage');
const ConversationQueuePage = lazy(() => import('./ConversationQueuePage.js'));

function loaded(children: ReactNode, roles?: readonly Role[]) {
  const inner = <Suspense fallback={<PageLoader />}>{children}</Suspense>;
  return roles ? <RequireRole roles={roles}>{inner}</RequireRole> : inner;
}

const customer: readonly Role[] = ['customer'];
const technician: readonly Role[] = ['technician'];

export function serviceRoutes() {
  return (
    <>
      <Route path="track" element={loaded(<TrackPage />)} />
      <Route path="quote" element={loaded(<QuotePage />)} />
      <Route path="report" element={loaded(<GuestReportPage />)} />
      <Route path="my-products" element={loaded(<MyProductsPage />, customer)} />
      <Route path="my-products/register" element={loaded(<RegisterProductPage />, customer)} />
      <Route path="my-products/:purchaseId/report" element={loaded(<ReportProblemPage />, customer)} />
      <Route path="my-claims" element={loaded(<MyClaimsPage />, customer)} />
      <Route path="my-claims/:id" element={loaded(<ClaimDetailPage />, customer)} />
      <Route path="maintenance-orders/:id/slip" element={loaded(<SlipPage />, ['customer', 'technician'])} />
      <Route path="repairs" element={loaded(<RepairQueuePage />, technician)} />
      <Route path="repairs/:id" element={loaded(<OrderDetailPage />, technician)} />
      <Route path="conversations" element={loaded(<ConversationQueuePage area="technician" />, technician)} />
    </>
  );
}
