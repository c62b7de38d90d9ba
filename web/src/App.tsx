import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { ApiError } from './api.js';
import { RequireRole } from './components/RequireRole.js';
import { Shell } from './components/Shell.js';
import { PageLoader } from './components/Status.js';
import { AcceptInvitationPage } from './pages/auth/AcceptInvitationPage.js';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage.js';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage.js';
import { SignInPage } from './pages/auth/SignInPage.js';
import { SignUpPage } from './pages/auth/SignUpPage.js';
import { CoveragePage } from './pages/CoveragePage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { SupportPage } from './pages/SupportPage.js';
import { cssVariablesResolver, theme } from './theme.js';
import { deskRoutes } from './desk/routes.js';
import { serviceRoutes } from './service/routes.js';
import { oemRoutes } from './oem/routes.js';
import { qaRoutes } from './qa/routes.js';
import { reserveRoutes } from './insight/reserve/routes.js';
import { insightRoutes } from './insight/routes.js';
import { insightCostRoutes } from './insight/cost/routes.js';
import { SearchPage } from './search/SearchPage.js';
import { roles } from '../../src/domain/access/access.js';
import { maySearch } from './search/search-api.js';

/** Staff who may search: the permission table's `search.use`. */
const searchRoles = roles.filter((role) => maySearch(role));

// The console is loaded only by those who open it: customers never download it.
const AdminConsole = lazy(() => import('./pages/admin/AdminConsole.js'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) will be refused again; only failures to reach the server are retried.
      retry: (failures, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Routes>
            <Route element={<Shell />}>
              <Route index element={<SupportPage />} />
              <Route path="support" element={<SupportPage />} />
              <Route path="coverage" element={<CoveragePage />} />
              <Route
                path="search"
                element={
                  <RequireRole roles={searchRoles}>
                    <SearchPage />
                  </RequireRole>
                }
              />
              <Route path="sign-in" element={<SignInPage />} />
              <Route path="sign-up" element={<SignUpPage />} />
              <Route path="forgot-password" element={<ForgotPasswordPage />} />
              <Route path="reset-password" element={<ResetPasswordPage />} />
              <Route path="accept-invitation" element={<AcceptInvitationPage />} />
              {serviceRoutes()}
              {deskRoutes()}
              {oemRoutes()}
              {qaRoutes()}
              {reserveRoutes()}
              {insightRoutes()}
              {insightCostRoutes()}
              <Route
                path="admin/*"
                element={
                  <RequireRole roles={['admin']}>
                    <Suspense fallback={<PageLoader />}>
                      <AdminConsole />
                    </Suspense>
                  </RequireRole>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
