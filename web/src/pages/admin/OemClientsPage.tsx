import { NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { countryCodes } from '../../../../src/domain/reference-data.js';
import { createOemClientRequestSchema } from '../../../../src/http/oem-clients/schemas.js';
import { oemClientsQuery } from '../../parties.js';
import { createOemClient, fetchOemClients, type OemClient, updateOemClient } from '../../reference-data.js';
import { EntityAdmin, type FormProps } from './EntityAdmin.js';
import { orNull } from './fields.js';

type Draft = { name: string; country: string; contactName: string; email: string; phone: string };

const emptyDraft: Draft = { name: '', country: '', contactName: '', email: '', phone: '' };

function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function OemClientForm({ draft, onChange, errors }: FormProps<Draft>) {
  const { t, i18n } = useTranslation();
  const text = (key: keyof Draft) => ({
    name: key,
    value: draft[key],
    error: errors[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      onChange({ ...draft, [key]: e.currentTarget.value });
    },
  });
  const collator = new Intl.Collator(i18n.language);
  const countries = [...countryCodes]
    .map((code) => ({ value: code, label: `${countryName(code, i18n.language)} (${code})` }))
    .sort((a, b) => collator.compare(a.label, b.label));
  return (
    <>
      <TextInput label={t('admin.fields.name')} required maxLength={200} {...text('name')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          name="country"
          label={t('admin.oemClients.country')}
          required
          value={draft.country}
          error={errors.country}
          onChange={(e) => {
            onChange({ ...draft, country: e.currentTarget.value });
          }}
          data={[{ value: '', label: t('admin.choose') }, ...countries]}
        />
        <TextInput label={t('admin.oemClients.contactName')} {...text('contactName')} />
        <TextInput type="email" label={t('admin.fields.emailOptional')} {...text('email')} />
        <TextInput type="tel" label={t('admin.fields.phoneOptional')} {...text('phone')} />
      </SimpleGrid>
    </>
  );
}

export function OemClientsPage() {
  const { t, i18n } = useTranslation();
  return (
    <EntityAdmin<OemClient, Draft, z.infer<typeof createOemClientRequestSchema>>
      title={t('admin.oemClients.title')}
      intro={t('admin.oemClients.intro')}
      queryKey={oemClientsQuery.queryKey}
      fetchRows={fetchOemClients}
      rowName={(c) => c.name}
      columns={[
        { header: t('admin.fields.name'), cell: (c) => c.name },
        { header: t('admin.oemClients.country'), cell: (c) => countryName(c.country, i18n.language) },
        { header: t('admin.oemClients.contactName'), cell: (c) => c.contactName ?? '—' },
        { header: t('admin.fields.email'), cell: (c) => c.email ?? '—' },
        { header: t('admin.fields.phone'), cell: (c) => c.phone ?? '—', nowrap: true },
      ]}
      emptyDraft={emptyDraft}
      draftOf={(c) => ({
        name: c.name,
        country: c.country,
        contactName: c.contactName ?? '',
        email: c.email ?? '',
        phone: c.phone ?? '',
      })}
      parse={(d) =>
        createOemClientRequestSchema.safeParse({
          name: d.name,
          country: d.country,
          contactName: orNull(d.contactName),
          email: orNull(d.email),
          phone: orNull(d.phone),
        })
      }
      create={createOemClient}
      update={updateOemClient}
      Form={OemClientForm}
    />
  );
}
