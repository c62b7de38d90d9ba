import { Alert, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../accounts.js';
import { ApiError } from '../api.js';
import { ToneBadge } from '../components/Badges.js';
import { formatBasisPoints } from '../format.js';
import { Amount, DeskArea, type DeskSection } from '../desk/ui.js';
import { useMe } from '../session.js';
import type { ExcessResolution, LedgerLine, OrderRef } from './oem-api.js';
import './oem.css';

/*
 * What the OEM portal's and the QA console's pages share: their areas (sections by role), counts of
 * units, spare rates, ledger statuses and the API's refusals in the reader's language.
 */

/** A section of an area shown only to the roles that can use it (all when `roles` is absent). */
export type RoleSection = DeskSection & { roles?: readonly Role[] };

export function RoleArea({
  base,
  titleKey,
  sections,
}: {
  base: string;
  titleKey: string;
  sections: readonly RoleSection[];
}) {
  const me = useMe();
  const role = me.data?.role;
  const visible = sections.filter((s) => !s.roles || (role !== undefined && s.roles.includes(role)));
  return <DeskArea base={base} titleKey={titleKey} sections={visible} />;
}

/** Whether the signed-in user has one of the roles (false while unknown). */
export function useHasRole(roles: readonly Role[]): boolean {
  const me = useMe();
  return me.data ? roles.includes(me.data.role) : false;
}

/** Who may book orders, report defects, choose a remedy: as the API's permission table has it. */
export const orderCreators: readonly Role[] = ['oem', 'sales', 'admin'];
export const defectReporters: readonly Role[] = ['oem', 'support', 'admin'];
export const excessResolvers: readonly Role[] = ['oem', 'sales', 'admin'];
/** QA ships remake orders (by air); sales ship replacement shipments. */
export const remakeShippers: readonly Role[] = ['qa', 'admin'];
export const replacementShippers: readonly Role[] = ['sales', 'admin'];
/** Staff see every client's orders, with the client's name. */
export const oemStaff: readonly Role[] = ['sales', 'admin', 'support', 'qa'];
/** Sales confirm requests at the contract price and keep the price list. */
export const orderConfirmers: readonly Role[] = ['sales', 'admin'];
/** QA and sales record lots and ship them to orders. */
export const lotKeepers: readonly Role[] = ['qa', 'sales', 'admin'];

const stateTone = { requested: 'blue', confirmed: 'teal', declined: 'gray' } as const;

export function OrderStateBadge({ state }: { state: keyof typeof stateTone }) {
  const { t } = useTranslation();
  return <ToneBadge tone={stateTone[state]}>{t(`oem.orderState.${state}`)}</ToneBadge>;
}

/** "12 units" / "12 件", in the reader's digits. */
export function Units({ count }: { count: number }) {
  const { t, i18n } = useTranslation();
  return (
    <span className="nowrap">
      {t('oem.units', { count, formatted: count.toLocaleString(i18n.language) })}
    </span>
  );
}

/** 50 basis points → "0.5 %". */
export function SpareRate({ bps }: { bps: number }) {
  const { t, i18n } = useTranslation();
  return <span className="nowrap">{formatBasisPoints(bps, t, i18n.language)}</span>;
}

const lineTone = {
  covered_by_spares: 'teal',
  partly_excess: 'grape',
  excess: 'red',
  awaiting_qa: 'grape',
  rejected: 'gray',
  covered_by_remake: 'blue',
  out_of_window: 'gray',
} as const satisfies Record<LedgerLine['status'], string>;

export function LedgerStatusBadge({ status }: { status: LedgerLine['status'] }) {
  const { t } = useTranslation();
  return <ToneBadge tone={lineTone[status]}>{t(`oem.ledger.status.${status}`)}</ToneBadge>;
}

/** Air freight, as the policy promises for a remake. */
export function ShippingBadge({ mode }: { mode: string }) {
  const { t } = useTranslation();
  return (
    <ToneBadge tone={mode === 'air' ? 'blue' : 'gray'}>
      {t(`shipping.${mode}`, { defaultValue: mode })}
    </ToneBadge>
  );
}

export function OrderNumber({ order }: { order: OrderRef }) {
  return (
    <Text span ff="monospace" size="sm" className="nowrap">
      {order.orderNumber}
    </Text>
  );
}

/**
 * A refusal from the API: its code in the reader's language (the portal's own codes first, then the
 * app's), with the API's message beneath, which names the case.
 */
export function OemErrorAlert({ error, title }: { error: Error; title?: string }) {
  const { t } = useTranslation();
  const code = error instanceof ApiError ? error.code : undefined;
  const known =
    code === undefined
      ? ''
      : t(`oem.errors.${code}`, { defaultValue: t(`errors.${code}`, { defaultValue: '' }) });
  return (
    <Alert color="red" variant="light" role="alert" title={known || title || t('errors.generic')}>
      <Text size="sm">{error.message}</Text>
    </Alert>
  );
}

/** A figure of the ledger: its number large, its label beneath, a tone when it matters. */
export function Figure({
  label,
  value,
  tone,
  hint,
}: {
  label: string;
  value: ReactNode;
  tone?: 'red' | 'teal' | 'blue' | undefined;
  hint?: string | undefined;
}) {
  return (
    <div className={`figure${tone ? ` figure-${tone}` : ''}`}>
      <Text size="xs" fw={600} c="dark.6">
        {label}
      </Text>
      <Group gap={4} align="baseline">
        <Text fz={26} fw={700} lh={1.2} c={tone ? `${tone}.9` : 'dark.9'}>
          {value}
        </Text>
      </Group>
      {hint && (
        <Text size="xs" c="dark.6">
          {hint}
        </Text>
      )}
    </div>
  );
}

/** What a credit is worth: units of the product, or money at the order's unit price. */
export function CreditValue({ credit }: { credit: ExcessResolution['credit'] }) {
  if (!credit) return <>—</>;
  return credit.kind === 'money' ? <Amount money={credit.amount} /> : <Units count={credit.units} />;
}
