import { Box, Grid, NavLink, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { NotFoundPage } from '../NotFoundPage.js';
import { ApiKeysPage } from './ApiKeysPage.js';
import { DealersPage } from './DealersPage.js';
import { InvitationsPage } from './InvitationsPage.js';
import { OemClientsPage } from './OemClientsPage.js';
import { PoliciesPage } from './PoliciesPage.js';
import { ProductsPage } from './ProductsPage.js';
import { ServiceCentersPage } from './ServiceCentersPage.js';
import { UsersPage } from './UsersPage.js';
import { MailListPage, MailMessagePage } from './MailPage.js';
import { useMe } from '../../session.js';
import { WebhookDeliveriesPage, WebhooksPage } from './WebhooksPage.js';

type Section = { path: string; key: string; element: ReactNode };

const sections: readonly Section[] = [
  { path: 'users', key: 'admin.nav.users', element: <UsersPage /> },
  { path: 'invitations', key: 'admin.nav.invitations', element: <InvitationsPage /> },
  { path: 'dealers', key: 'admin.nav.dealers', element: <DealersPage /> },
  { path: 'service-centers', key: 'admin.nav.serviceCenters', element: <ServiceCentersPage /> },
  { path: 'oem-clients', key: 'admin.nav.oemClients', element: <OemClientsPage /> },
  { path: 'products', key: 'admin.nav.products', element: <ProductsPage /> },
  { path: 'policies', key: 'admin.nav.policies', element: <PoliciesPage /> },
  { path: 'api-keys', key: 'admin.nav.apiKeys', element: <ApiKeysPage /> },
  { path: 'webhooks', key: 'admin.nav.webhooks', element: <WebhooksPage /> },
];

/** The development mail catcher: linked only where the server keeps its mail (no SMTP_URL; /me says). */
const mailSection: Section = { path: 'mail', key: 'admin.nav.mail', element: <MailListPage /> };

function AdminLayout() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const shown = useMe().data?.mailCatcher ? [...sections, mailSection] : sections;
  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, md: 3, lg: 2 }}>
        <Box component="nav" aria-labelledby="admin-nav-title" className="admin-nav">
          <Text id="admin-nav-title" fw={700} size="sm" c="dark.6" mb="xs" px="sm">
            {t('admin.title')}
          </Text>
          {shown.map((section) => {
            const to = `/admin/${section.path}`;
            const active = pathname === to || pathname.startsWith(`${to}/`);
            return (
              <NavLink
                key={section.path}
                component={Link}
                to={to}
                label={t(section.key)}
                active={active}
                aria-current={active ? 'page' : undefined}
                variant="light"
                className="admin-nav-link"
              />
            );
          })}
        </Box>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9, lg: 10 }}>
        <Outlet />
      </Grid.Col>
    </Grid>
  );
}

/** The admin console: accounts, parties, products and policy versions, one section each. */
export default function AdminConsole() {
  return (
    <Routes>
      <Route element={<AdminLayout />}>
        <Route index element={<Navigate to="users" replace />} />
        {sections.map((section) => (
          <Route key={section.path} path={section.path} element={section.element} />
        ))}
        <Route path={mailSection.path} element={mailSection.element} />
        <Route path="mail/:id" element={<MailMessagePage />} />
        <Route path="webhooks/:id" element={<WebhookDeliveriesPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
