import { NativeSelect, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type InvitableRole, scopeKeyOfRole } from '../../../../src/domain/access/access.js';
import type { Role } from '../../accounts.js';
import { policyLanguage } from '../../i18n/index.js';
import { type PartyOption, useParties } from '../../parties.js';

/*
 * A scoped role works for one party: a dealer for a dealer, a technician for a service center, an OEM
 * user for an OEM client. These pieces pick that party and name it.
 */

export type ScopeKey = 'dealerId' | 'serviceCenterId' | 'oemClientId';
export type ScopeValue = Record<ScopeKey, string | null>;

export const emptyScope: ScopeValue = { dealerId: null, serviceCenterId: null, oemClientId: null };

export function scopeKeyFor(role: Role): ScopeKey | undefined {
  if (role === 'customer' || !(role in scopeKeyOfRole)) return undefined;
  return scopeKeyOfRole[role as Exclude<keyof typeof scopeKeyOfRole, 'customer'>];
}

/** Only the scope the role takes: the API refuses any other. */
export function scopeOfRole(role: InvitableRole, value: ScopeValue): Partial<ScopeValue> {
  const key = scopeKeyFor(role);
  return key ? { [key]: value[key] } : {};
}

const scopeLabelKey: Record<ScopeKey, string> = {
  dealerId: 'admin.scopeDealer',
  serviceCenterId: 'admin.scopeServiceCenter',
  oemClientId: 'admin.scopeOemClient',
};

const partiesOf: Record<ScopeKey, 'dealers' | 'serviceCenters' | 'oemClients'> = {
  dealerId: 'dealers',
  serviceCenterId: 'serviceCenters',
  oemClientId: 'oemClients',
};

/** The party a role needs, chosen from the list of them; nothing for a role without a scope. */
export function ScopePicker({
  role,
  value,
  onChange,
}: {
  role: InvitableRole;
  value: ScopeValue;
  onChange: (value: ScopeValue) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  const parties = useParties();
  const key = scopeKeyFor(role);
  if (!key) return null;
  const list = parties[partiesOf[key]];
  const options: PartyOption[] = list.data ?? [];
  return (
    <NativeSelect
      label={t(scopeLabelKey[key])}
      name={key}
      required
      disabled={list.isPending}
      error={list.isError ? list.error.message : undefined}
      value={value[key] ?? ''}
      onChange={(e) => {
        const id = e.currentTarget.value;
        onChange({ ...value, [key]: id === '' ? null : id });
      }}
      data={[
        { value: '', label: list.isPending ? t('common.loading') : t('admin.choose') },
        ...options.map((o) => ({ value: o.id, label: o.label[lang] })),
      ]}
    />
  );
}

/** "Dealer: Shenzhen Huaqiang …" for a scoped account or invitation; a dash otherwise. */
export function ScopeText({ owner }: { owner: Partial<ScopeValue> & { role: Role } }) {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  const parties = useParties();
  const key = scopeKeyFor(owner.role);
  const id = key ? owner[key] : null;
  if (!key || !id) {
    return (
      <Text span c="dimmed">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">{t('admin.noScope')}</span>
      </Text>
    );
  }
  const party = parties[partiesOf[key]].data?.find((p) => p.id === id);
  return (
    <Text span size="sm">
      {party ? party.label[lang] : id}
    </Text>
  );
}
