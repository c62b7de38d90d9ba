import { Anchor, Box, Burger, Button, Container, Drawer, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { localized } from '../api.js';
import { formatDate } from '../format.js';
import {
  changeLanguage,
  currentUiLanguage,
  languageNames,
  policyLanguage,
  uiLanguages,
} from '../i18n/index.js';
import { currentPolicyQuery } from '../queries.js';
import { deskNavItems } from '../desk/routes.js';
import { serviceNavItems } from '../service/routes.js';
import { oemNavItems } from '../oem/routes.js';
import { qaNavItems } from '../qa/routes.js';
import { reserveNavItems } from '../insight/reserve/routes.js';
import { insightNavItems } from '../insight/routes.js';
import { insightCostNavItems } from '../insight/cost/routes.js';
import type { NavItem } from './nav.js';
import { useMe } from '../session.js';
import { UserMenu } from './UserMenu.js';
import { HeaderSearch } from '../search/HeaderSearch.js';

const navItems: readonly NavItem[] = [
  { to: '/support', key: 'nav.support', current: (p) => p === '/' || p === '/support' },
  { to: '/coverage', key: 'nav.coverage', current: (p) => p === '/coverage' },
  ...serviceNavItems,
  ...deskNavItems,
  ...oemNavItems,
  ...qaNavItems,
  ...reserveNavItems,
  ...insightNavItems,
  ...insightCostNavItems,
  { to: '/admin', key: 'nav.admin', current: (p) => p.startsWith('/admin'), roles: ['admin'] },
];

function LanguageSwitch() {
  const { t } = useTranslation();
  const active = currentUiLanguage();
  return (
    <Group gap={4} role="group" aria-label={t('language.label')}>
      {uiLanguages.map((language) => (
        <Button
          key={language}
          size="xs"
          variant={language === active ? 'filled' : 'default'}
          aria-pressed={language === active}
          lang={language}
          onClick={() => {
            void changeLanguage(language);
          }}
        >
          {languageNames[language]}
        </Button>
      ))}
    </Group>
  );
}

function Brand() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/" underline="never" c="dark.9" className="brand">
      <span className="brand-mark" aria-hidden="true">
        H
      </span>
      {/* On a phone the mark alone shows (the name stays for screen readers): the header keeps one line. */}
      <Text span fw={700} fz="lg" className="brand-name">
        {t('app.name')}
      </Text>
    </Anchor>
  );
}

function FooterLine() {
  const { t, i18n } = useTranslation();
  const policy = useQuery(currentPolicyQuery);
  const lang = policyLanguage(i18n.language);
  return (
    <Text size="sm" c="dimmed">
      {policy.data
        ? `${policy.data.maker} · ${localized(policy.data.title, lang)} · ${t('app.footer', {
            version: policy.data.id,
            date: formatDate(policy.data.effectiveFrom, i18n.language),
          })}`
        : t('app.footerLoading')}
    </Text>
  );
}

function NavLinks({
  items,
  pathname,
  vertical,
  onFollow,
}: {
  items: readonly NavItem[];
  pathname: string;
  vertical?: boolean;
  /** Called when a link is followed (the phone's drawer closes, even on the page it is already on). */
  onFollow?: () => void;
}) {
  const { t } = useTranslation();
  const links = items.map((item) => {
    const current = item.current(pathname);
    return (
      <Link
        key={item.to}
        to={item.to}
        className="nav-link"
        aria-current={current ? 'page' : undefined}
        onClick={onFollow}
      >
        {t(item.key)}
        {item.Count && <item.Count />}
      </Link>
    );
  });
  return vertical ? <Stack gap={4}>{links}</Stack> : <Group gap={4}>{links}</Group>;
}

/**
 * On a phone the navigation folds behind a menu button: a drawer (a labelled dialog that keeps the
 * focus inside and closes on Escape) with the same links. It closes when a link is followed. The
 * language switch stays in the header.
 */
function PhoneMenu({ items, pathname }: { items: readonly NavItem[]; pathname: string }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const drawerId = useId();
  useEffect(() => {
    setOpened(false);
  }, [pathname]);
  return (
    <>
      <Burger
        hiddenFrom="md"
        opened={opened}
        onClick={() => {
          setOpened((o) => !o);
        }}
        aria-label={t('nav.menu')}
        aria-expanded={opened}
        // Mantine names the drawer's body `${id}-body`; nothing to point at while it is closed.
        aria-controls={opened ? `${drawerId}-body` : undefined}
        size="sm"
      />
      {/* Its parts one by one: Mantine's header is a <header>, a second "banner" beside the page's. */}
      <Drawer.Root
        id={drawerId}
        opened={opened}
        onClose={() => {
          setOpened(false);
        }}
        position="right"
        size="xs"
        hiddenFrom="md"
      >
        <Drawer.Overlay />
        <Drawer.Content>
          <Drawer.Header {...{ component: 'div' }}>
            <Drawer.Title>{t('nav.menu')}</Drawer.Title>
            <Drawer.CloseButton aria-label={t('nav.closeMenu')} />
          </Drawer.Header>
          <Drawer.Body>
            <Stack gap="lg">
              <nav aria-label={t('nav.label')}>
                <NavLinks
                  items={items}
                  pathname={pathname}
                  vertical
                  onFollow={() => {
                    setOpened(false);
                  }}
                />
              </nav>
            </Stack>
          </Drawer.Body>
        </Drawer.Content>
      </Drawer.Root>
    </>
  );
}

/** The frame of every page: header with the navigation and the language switch, main, footer. */
export function Shell() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const me = useMe();
  const role = me.data?.role;
  // The console's, the service desk's, the OEM portal's and QA's tables need the width.
  const wide = ['/admin', '/desk', '/oem', '/qa'].some((area) => pathname.startsWith(area));
  const visible = navItems.filter((item) => !item.roles || (role !== undefined && item.roles.includes(role)));
  return (
    <div className="page">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Box component="header" className="site-header">
        {/* Always wide: a customer's five links, the language switch and their name fit on one line. */}
        <Container size="xl" py="sm">
          <Group justify="space-between" gap="md">
            <Group gap="lg">
              <Brand />
              <Box component="nav" aria-label={t('nav.label')} visibleFrom="md">
                <NavLinks items={visible} pathname={pathname} />
              </Box>
            </Group>
            <Group gap="sm">
              <HeaderSearch />
              <LanguageSwitch />
              <UserMenu />
              <PhoneMenu items={visible} pathname={pathname} />
            </Group>
          </Group>
        </Container>
      </Box>
      <Box component="main" id="main" tabIndex={-1} className="site-main">
        {/* The console's tables need the width; reading pages keep a comfortable line length. */}
        <Container size={wide ? 'xl' : 'lg'} py="xl">
          <Outlet />
        </Container>
      </Box>
      <Box component="footer" className="site-footer">
        <Container size={wide ? 'xl' : 'lg'} py="lg">
          <FooterLine />
        </Container>
      </Box>
    </div>
  );
}
