import { SimpleGrid, TextInput } from '@mantine/core';
import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { createDealerRequestSchema } from '../../../../src/http/dealers/schemas.js';
import { dealersQuery } from '../../parties.js';
import { createDealer, type Dealer, fetchDealers, updateDealer } from '../../reference-data.js';
import { EntityAdmin, type FormProps } from './EntityAdmin.js';
import { orNull, TimeZoneSelect } from './fields.js';

type Draft = { name: string; nameZh: string; city: string; email: string; phone: string; timeZone: string };

const emptyDraft: Draft = {
  name: '',
  nameZh: '',
  city: '',
  email: '',
  phone: '',
  timeZone: 'Asia/Shanghai',
};

function DealerForm({ draft, onChange, errors }: FormProps<Draft>) {
  const { t } = useTranslation();
  const text = (key: keyof Draft) => ({
    name: key,
    value: draft[key],
    error: errors[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      onChange({ ...draft, [key]: e.currentTarget.value });
    },
  });
  return (
    <>
      <TextInput label={t('admin.fields.name')} required maxLength={200} {...text('name')} />
      <TextInput
        label={t('admin.fields.nameZhOptional')}
        description={t('admin.fields.nameZhHint')}
        lang="zh-CN"
        maxLength={200}
        {...text('nameZh')}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('admin.fields.city')} required maxLength={100} {...text('city')} />
        <TimeZoneSelect
          value={draft.timeZone}
          error={errors.timeZone}
          onChange={(timeZone) => {
            onChange({ ...draft, timeZone });
          }}
        />
        <TextInput type="email" label={t('admin.fields.emailOptional')} {...text('email')} />
        <TextInput type="tel" label={t('admin.fields.phoneOptional')} {...text('phone')} />
      </SimpleGrid>
    </>
  );
}

export function DealersPage() {
  const { t } = useTranslation();
  return (
    <EntityAdmin<Dealer, Draft, z.infer<typeof createDealerRequestSchema>>
      title={t('admin.dealers.title')}
      intro={t('admin.dealers.intro')}
      queryKey={dealersQuery.queryKey}
      fetchRows={fetchDealers}
      rowName={(d) => d.name}
      columns={[
        { header: t('admin.fields.name'), cell: (d) => d.name },
        { header: t('admin.fields.nameZh'), cell: (d) => d.nameZh ?? '—' },
        { header: t('admin.fields.city'), cell: (d) => d.city },
        { header: t('admin.fields.email'), cell: (d) => d.email ?? '—' },
        { header: t('admin.fields.phone'), cell: (d) => d.phone ?? '—', nowrap: true },
        { header: t('admin.fields.timeZone'), cell: (d) => d.timeZone, nowrap: true },
      ]}
      emptyDraft={emptyDraft}
      draftOf={(d) => ({
        name: d.name,
        nameZh: d.nameZh ?? '',
        city: d.city,
        email: d.email ?? '',
        phone: d.phone ?? '',
        timeZone: d.timeZone,
      })}
      parse={(d) =>
        createDealerRequestSchema.safeParse({
          name: d.name,
          nameZh: orNull(d.nameZh),
          city: d.city,
          email: orNull(d.email),
          phone: orNull(d.phone),
          timeZone: d.timeZone,
        })
      }
      create={createDealer}
      update={updateDealer}
      Form={DealerForm}
    />
  );
}
