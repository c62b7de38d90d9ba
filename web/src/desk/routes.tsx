import { lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route } from 'react-router';
import { RequireRole } from '../components/RequireRole.js';
import { PageLoader } from '../components/Status.js';
import type { NavItem } from '../components/nav.js';
import { NotFoundPage } from '../pages/NotFoundPage.js';
import { DeskArea, type DeskSection } from './ui.js';

/*
 * The service desk: dealers (sales, remedies, reimbursements), support (claims, escalations,
 * reimbursements) and sales (quotes). Mounted by App.tsx; its labels are under the `desk.` keys
 * (web/src/i18n/desk.*.json). Each area is loaded only by those who open it.
 */

const SalesPage = lazy(() => import('./dealer/SalesPage.js'));
const RecordSalePage = lazy(() => import('./dealer/RecordSalePage.js'));
const ImportSalesPage = lazy(() => import('./dealer/ImportSalesPage.js'));
const DealerClaimsPage = lazy(() => import('./dealer/DealerClaimsPage.js'));
const DealerReimbursementsPage = lazy(() => import('./dealer/DealerReimbursementsPage.js'));
const SupportClaimsPage = lazy(() => import('./support/ClaimsPage.js'));
const SupportClaimPage = lazy(() => import('./support/ClaimPage.js'));
const EscalationsPage = lazy(() => import('./support/EscalationsPage.js'));
const SupportOrdersPage = lazy(() => import('./support/OrdersPage.js'));
const OrderPage = lazy(() => import('./support/OrderPage.js'));
const SupportReimbursementsPage = lazy(() => import('./support/ReimbursementsPage.js'));
const MessagesPage = lazy(() => import('./support/MessagesPage.js'));
const ReviewsPage = lazy(() => import('../trust/ReviewsPage.js'));
const RiskSettingsPage = lazy(() => import('../trust/RiskSettingsPage.js'));
const ApprovalsPage = lazy(() => import('./support/ApprovalsPage.js'));
const NoticesPage = lazy(() => import('./NoticesPage.js'));
const VerificationsPage = lazy(() => import('./VerificationsPage.js'));
const PaidServicePage = lazy(() => import('./sales/PaidServicePage.js'));
const QuotesPage = lazy(() => import('./sales/QuotesPage.js'));
const NewQuotePage = lazy(() => import('./sales/NewQuotePage.js'));
const QuotePage = lazy(() => import('./sales/QuotePage.js'));
const CataloguePricesPage = lazy(() => import('./sales/CataloguePricesPage.js'));
const AuditLogPage = lazy(() => import('../work/AuditLogPage.js'));
const ConversationQueuePage = lazy(() => import('../service/ConversationQueuePage.js'));
const ClaimConversationPage = lazy(() => import('../service/ClaimConversationPage.js'));
const InboxPage = lazy(() => import('./InboxPage.js'));
const InboxCount = lazy(() => import('./InboxPage.js').then((m) => ({ default: m.InboxCount })));

/** The roles with a "waiting for me" inbox (the `inbox.read` grant). */
const inboxRoles = ['support', 'admin', 'sales', 'dealer', 'technician'] as const;

export const deskNavItems: readonly NavItem[] = [
  {
    to: '/desk/inbox',
    key: 'desk.nav.inbox',
    current: (p) => p === '/desk/inbox',
    roles: inboxRoles,
    Count: () => (
      <Suspense fallback={null}>
        <InboxCount />
      </Suspense>
    ),
  },
  {
    to: '/desk/dealer',
    key: 'desk.nav.dealer',
    current: (p) => p.startsWith('/desk/dealer'),
    roles: ['dealer'],
  },
  {
    to: '/desk/support',
    key: 'desk.nav.support',
    current: (p) => p.startsWith('/desk/support'),
    roles: ['support', 'admin'],
  },
  { to: '/desk/sales', key: 'desk.nav.sales', current: (p) => p.startsWith('/desk/sales'), roles: ['sales'] },
];

const dealerSections: readonly DeskSection[] = [
  { path: 'sales', key: 'desk.dealer.nav.sales' },
  { path: 'record', key: 'desk.dealer.nav.record' },
  { path: 'import', key: 'desk.dealer.nav.import' },
  { path: 'claims', key: 'desk.dealer.nav.claims' },
  { path: 'conversations', key: 'service.conversation.queue.title' },
  { path: 'verifications', key: 'desk.dealer.nav.verifications' },
  { path: 'reimbursements', key: 'desk.dealer.nav.reimbursements' },
];

const supportSections: readonly DeskSection[] = [
  { path: 'claims', key: 'desk.support.nav.claims' },
  { path: 'conversations', key: 'service.conversation.queue.title' },
  { path: 'verifications', key: 'desk.support.nav.verifications' },
  { path: 'purchases', key: 'desk.support.nav.purchases' },
  { path: 'orders', key: 'desk.support.nav.orders' },
  { path: 'escalations', key: 'desk.support.nav.escalations' },
  { path: 'reimbursements', key: 'desk.support.nav.reimbursements' },
  { path: 'reviews', key: 'trust.nav.reviews' },
  { path: 'approvals', key: 'desk.support.nav.approvals' },
  { path: 'messages', key: 'desk.support.nav.messages' },
  { path: 'risk-settings', key: 'trust.nav.settings' },
  { path: 'audit', key: 'work.nav.audit' },
];

const salesSections: readonly DeskSection[] = [
  { path: 'paid-service', key: 'desk.sales.nav.paidService' },
  { path: 'conversations', key: 'service.conversation.queue.title' },
  { path: 'quotes', key: 'desk.sales.nav.quotes' },
  { path: 'prices', key: 'desk.sales.nav.prices' },
  { path: 'approvals', key: 'desk.sales.nav.approvals' },
  { path: 'notices', key: 'desk.sales.nav.notices' },
];

const page = (element: ReactNode) => <Suspense fallback={<PageLoader />}>{element}</Suspense>;

export function deskRoutes() {
  return (
    <Route path="desk">
      <Route path="inbox" element={<RequireRole roles={inboxRoles}>{page(<InboxPage />)}</RequireRole>} />
      <Route
        path="dealer"
        element={
          <RequireRole roles={['dealer']}>
            <DeskArea base="/desk/dealer" titleKey="desk.nav.dealer" sections={dealerSections} />
          </RequireRole>
        }
      >
        <Route index element={<Navigate to="sales" replace />} />
        <Route path="sales" element={page(<SalesPage />)} />
        <Route path="record" element={page(<RecordSalePage />)} />
        <Route path="import" element={page(<ImportSalesPage />)} />
        <Route path="claims" element={page(<DealerClaimsPage />)} />
        <Route path="conversations" element={page(<ConversationQueuePage area="dealer" />)} />
        <Route
          path="conversations/:id"
          element={page(<ClaimConversationPage queue="/desk/dealer/conversations" />)}
        />
        <Route path="verifications" element={page(<VerificationsPage canChangeDealer={false} />)} />
        <Route path="reimbursements" element={page(<DealerReimbursementsPage />)} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      <Route
        path="support"
        element={
          <RequireRole roles={['support', 'admin']}>
            <DeskArea base="/desk/support" titleKey="desk.nav.support" sections={supportSections} />
          </RequireRole>
        }
      >
        <Route index element={<Navigate to="claims" replace />} />
        <Route path="claims" element={page(<SupportClaimsPage />)} />
        <Route path="claims/:id" element={page(<SupportClaimPage />)} />
        <Route path="conversations" element={page(<ConversationQueuePage />)} />
        <Route path="verifications" element={page(<VerificationsPage canChangeDealer />)} />
        <Route path="purchases" element={page(<SalesPage staff />)} />
        <Route path="escalations" element={page(<EscalationsPage />)} />
        <Route path="orders" element={page(<SupportOrdersPage />)} />
        <Route path="orders/:id" element={page(<OrderPage />)} />
        <Route path="reimbursements" element={page(<SupportReimbursementsPage />)} />
        <Route path="reviews" element={page(<ReviewsPage />)} />
        <Route path="approvals" element={page(<ApprovalsPage />)} />
        <Route path="messages" element={page(<MessagesPage />)} />
        <Route path="risk-settings" element={page(<RiskSettingsPage />)} />
        <Route path="audit" element={page(<AuditLogPage />)} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
      <Route
        path="sales"
        element={
          <RequireRole roles={['sales', 'admin']}>
            <DeskArea base="/desk/sales" titleKey="desk.nav.sales" sections={salesSections} />
          </RequireRole>
        }
      >
        <Route index element={<Navigate to="paid-service" replace />} />
        <Route path="paid-service" element={page(<PaidServicePage />)} />
        <Route path="conversations" element={page(<ConversationQueuePage area="sales" />)} />
        <Route
          path="conversations/:id"
          element={page(<ClaimConversationPage queue="/desk/sales/conversations" />)}
        />
        <Route path="quotes" element={page(<QuotesPage />)} />
        <Route path="quotes/new" element={page(<NewQuotePage />)} />
        <Route path="quotes/:id" element={page(<QuotePage />)} />
        <Route path="prices" element={page(<CataloguePricesPage />)} />
        <Route path="approvals" element={page(<ApprovalsPage />)} />
        <Route path="notices" element={page(<NoticesPage />)} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Route>
  );
}
