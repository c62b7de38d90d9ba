import { Alert, Blockquote, Box, Grid, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { CostBadge, PerformerBadge, ToneBadge } from '../components/Badges.js';
import { formatDate, formatDayOf } from '../format.js';
import { policyLanguage } from '../i18n/index.js';
import { ApiError } from '../api.js';
import {
  type Claim,
  type ClaimStatus,
  type MaintenanceOrder,
  type Money,
  type ReimbursementStatus,
  refusingClause,
} from './desk-api.js';
import { formatMoney } from './money.js';

/** A section of a desk area: its path under the area and the key of its label. */
export type DeskSection = { path: string; key: string };

/**
 * Mantine's light alerts colour their title with a mid shade on a translucent tint, below AA contrast
 * for teal and orange: the tint becomes the lightest shade, and the title the darkest shade that stays
 * above 4.5:1 on it (teal 9; orange has none, so the title is near-black).
 */
export const readableTitle = (color: 'teal' | 'orange') => ({
  root: {
    backgroundColor: `var(--mantine-color-${color}-0)`,
    border: `1px solid var(--mantine-color-${color}-3)`,
  },
  label: { color: color === 'teal' ? 'var(--mantine-color-teal-9)' : 'var(--mantine-color-dark-9)' },
});

/** A desk area (dealer, support, sales): its sections beside the page, as the admin console does. */
export function DeskArea({
  base,
  titleKey,
  sections,
}: {
  base: string;
  titleKey: string;
  sections: readonly DeskSection[];
}) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, md: 3, lg: 2 }}>
        <Box component="nav" aria-labelledby="desk-nav-title" className="admin-nav">
          <Text id="desk-nav-title" fw={700} size="sm" c="dark.6" mb="xs" px="sm">
            {t(titleKey)}
          </Text>
          {sections.map((section) => {
            const to = `${base}/${section.path}`;
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

export function PageHeader({ title, intro, action }: { title: string; intro?: string; action?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" wrap="wrap">
      <div>
        <Title order={1}>{title}</Title>
        {intro && <Text mt="xs">{intro}</Text>}
      </div>
      {action}
    </Group>
  );
}

/** The language the API quotes clauses in, for the reader's interface language. */
export function useApiLanguage(): 'en' | 'zh' {
  const { i18n } = useTranslation();
  return policyLanguage(i18n.language);
}

/** A calendar date (YYYY-MM-DD) in the reader's long form. */
export function Day({ date }: { date: string | null }) {
  const { i18n } = useTranslation();
  if (!date) return <>—</>;
  return <span className="nowrap">{formatDate(date, i18n.language)}</span>;
}

/** The calendar day of a moment, in the store's calendar (format.ts). */
export function DayOf({ at }: { at: string | null }) {
  const { i18n } = useTranslation();
  if (!at) return <>—</>;
  return <span className="nowrap">{formatDayOf(at, i18n.language)}</span>;
}

export function Amount({ money }: { money: Money | null }) {
  const { i18n } = useTranslation();
  if (!money) return <>—</>;
  return <span className="nowrap">{formatMoney(money, i18n.language)}</span>;
}

const claimTone = {
  open: 'blue',
  remedy_chosen: 'grape',
  resolved: 'teal',
  withdrawn: 'gray',
} as const satisfies Record<ClaimStatus, string>;

export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  const { t } = useTranslation();
  return <ToneBadge tone={claimTone[status]}>{t(`desk.claimStatus.${status}`)}</ToneBadge>;
}

const reimbursementTone = {
  pending: 'blue',
  awaiting_approval: 'grape',
  approved: 'teal',
  rejected: 'red',
} as const satisfies Record<ReimbursementStatus, string>;

export function ReimbursementStatusBadge({ status }: { status: ReimbursementStatus }) {
  const { t } = useTranslation();
  return <ToneBadge tone={reimbursementTone[status]}>{t(`desk.reimbursementStatus.${status}`)}</ToneBadge>;
}

/**
 * A purchase not verified yet (a customer's own registration) or rejected: nothing is carried out on it.
 * Nothing is shown for a verified one, which is the usual case.
 */
export function VerificationBadge({ state }: { state: 'pending' | 'verified' | 'rejected' }) {
  const { t } = useTranslation();
  if (state === 'verified') return null;
  return (
    <ToneBadge tone={state === 'pending' ? 'grape' : 'red'} mt={4}>
      {t(`desk.verification.${state}`)}
    </ToneBadge>
  );
}

/** The product of a claim or sale in the reader's language, with its serial when there is one. */
export function ProductCell({
  product,
  serial,
}: {
  product: { sku: string; name: { en: string; zh: string } };
  serial: string | null;
}) {
  const lang = useApiLanguage();
  return (
    <div>
      <Text size="sm" fw={600}>
        {product.name[lang]}
      </Text>
      <Text size="xs" c="dark.6" className="nowrap">
        {serial ?? product.sku}
      </Text>
    </div>
  );
}

/** What the policy decided when the claim was reported: the window, the cost and every option's clause. */
export function ClaimDecision({ claim }: { claim: Claim }) {
  const { t } = useTranslation();
  const { decision } = claim;
  return (
    <Stack gap="sm">
      {claim.purchaseVerification !== 'verified' && (
        <Text size="sm" fw={600} role="note">
          {t(`desk.decision.provisional.${claim.purchaseVerification}`)}
        </Text>
      )}
      <Group gap="xs">
        <ToneBadge tone={decision.paid ? 'red' : 'teal'}>
          {decision.paid ? t('desk.decision.paid') : t('desk.decision.free')}
        </ToneBadge>
        <Text size="sm">
          {t(`window.${decision.window}`)} · {t('desk.decision.days', { count: decision.daysSincePurchase })}{' '}
          · {t('desk.decision.policy', { version: decision.policyVersion })}
        </Text>
      </Group>
      <Text size="sm">
        {t('desk.decision.warrantyEnds')} <Day date={decision.warrantyEndsOn} />
      </Text>
      <Box component="ul" className="remedy-list">
        {decision.remedies.map((remedy) => (
          <Box component="li" key={remedy.code} className="remedy">
            <Group justify="space-between" align="flex-start" gap="xs">
              <Text fw={700}>{t(`remedy.${remedy.code}`)}</Text>
              <Group gap={6}>
                <PerformerBadge performer={remedy.performedBy} />
                <CostBadge costBearer={remedy.costBearer} />
              </Group>
            </Group>
            <Text mt={4} size="sm">
              {remedy.clause}
            </Text>
          </Box>
        ))}
      </Box>
    </Stack>
  );
}

/** Someone else changed the object first: what is on screen now is the reloaded one. */
export function ConflictNotice({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="orange"
      variant="light"
      styles={readableTitle('orange')}
      role="alert"
      title={t('desk.conflict.title')}
      withCloseButton
      closeButtonLabel={t('common.close')}
      onClose={onClose}
    >
      <Text size="sm">{t('desk.conflict.body')}</Text>
    </Alert>
  );
}

/** A success said once, politely. */
export function Done({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Alert color="teal" variant="light" styles={readableTitle('teal')} role="status" title={title}>
      {children && <Text size="sm">{children}</Text>}
    </Alert>
  );
}

/**
 * A refusal from the API: its code in the reader's language (the desk's own codes first, then the
 * app's), the API's message beneath, and the clause a refused remedy quotes.
 */
export function DeskErrorAlert({ error }: { error: Error }) {
  const { t } = useTranslation();
  const code = error instanceof ApiError ? error.code : undefined;
  const title =
    code === undefined
      ? t('errors.generic')
      : t(`desk.errors.${code}`, {
          defaultValue: t(`errors.${code}`, { defaultValue: t('errors.generic') }),
        });
  const clause = refusingClause(error);
  return (
    <Alert color="red" variant="light" role="alert" title={title}>
      {/* The API's message ends with the clause; it is quoted apart, as a clause. */}
      <Text size="sm">{clause ? error.message.replace(clause, '').trim() : error.message}</Text>
      {clause && (
        <Blockquote color="red" mt="sm" p="sm" cite={t('desk.errors.clauseCite')}>
          {clause}
        </Blockquote>
      )}
    </Alert>
  );
}

/** A labelled fact of a record (a date, a name), in a grid of them. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dark.6" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

/** Where an order stands against its service commitment. */
export function CommitmentBadge({ status }: { status: MaintenanceOrder['commitment']['status'] }) {
  const { t } = useTranslation();
  const tone =
    status === 'missed' ? 'red' : status === 'due_soon' ? 'grape' : status === 'met' ? 'teal' : 'gray';
  return <ToneBadge tone={tone}>{t(`desk.commitment.${status}`)}</ToneBadge>;
}
