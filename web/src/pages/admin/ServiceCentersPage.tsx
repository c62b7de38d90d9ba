import { Checkbox, Group, NativeSelect, SimpleGrid, Text, Textarea, TextInput } from '@mantine/core';
import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { isoWeekdays, serviceCenterKinds } from '../../../../src/domain/reference-data.js';
import { createServiceCenterRequestSchema } from '../../../../src/http/service-centers/schemas.js';
import { policyLanguage } from '../../i18n/index.js';
import { serviceCentersQuery } from '../../parties.js';
import {
  createServiceCenter,
  fetchServiceCenters,
  type ServiceCenter,
  updateServiceCenter,
} from '../../reference-data.js';
import { EntityAdmin, type FormProps } from './EntityAdmin.js';
import { numberOf, TimeZoneSelect } from './fields.js';

type Kind = (typeof serviceCenterKinds)[number];
type Draft = {
  kind: Kind;
  nameEn: string;
  nameZh: string;
  city: string;
  address: string;
  latitude: string;
  longitude: string;
  timeZone: string;
  committedServiceDays: string;
  businessDays: number[];
  /** As typed: dates one per line or separated by commas, parsed on save. */
  closedOn: string;
  openOn: string;
  email: string;
  phone: string;
};

const emptyDraft: Draft = {
  kind: 'center',
  nameEn: '',
  nameZh: '',
  city: '',
  address: '',
  latitude: '',
  longitude: '',
  timeZone: 'Asia/Shanghai',
  committedServiceDays: '5',
  businessDays: [1, 2, 3, 4, 5],
  closedOn: '',
  openOn: '',
  email: '',
  phone: '',
};

/** Monday…Sunday in the reader's language: 4 January 2021 was a Monday. */
function weekdayName(day: number, locale: string, width: 'long' | 'short'): string {
  return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' }).format(
    new Date(Date.UTC(2021, 0, 3 + day)),
  );
}

/** A pasted list of days, whatever separates them; the API checks each is a date. */
function daysOf(text: string): string[] {
  return text.split(/[\s,，、;；]+/).filter((day) => day !== '');
}

function ServiceCenterForm({ draft, onChange, errors }: FormProps<Draft>) {
  const { t, i18n } = useTranslation();
  const text = (key: Exclude<keyof Draft, 'kind' | 'businessDays' | 'closedOn' | 'openOn'>) => ({
    name: key,
    value: draft[key],
    error: errors[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      onChange({ ...draft, [key]: e.currentTarget.value });
    },
  });
  return (
    <>
      <NativeSelect
        name="kind"
        label={t('admin.serviceCenters.kind')}
        required
        value={draft.kind}
        onChange={(e) => {
          const kind = serviceCenterKinds.find((k) => k === e.currentTarget.value);
          if (kind) onChange({ ...draft, kind });
        }}
        data={serviceCenterKinds.map((k) => ({ value: k, label: t(`admin.serviceCenters.kinds.${k}`) }))}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('admin.fields.nameEn')} required lang="en" {...text('nameEn')} />
        <TextInput label={t('admin.fields.nameZh')} required lang="zh-CN" {...text('nameZh')} />
        <TextInput label={t('admin.fields.city')} required {...text('city')} />
        <TimeZoneSelect
          value={draft.timeZone}
          error={errors.timeZone}
          onChange={(timeZone) => {
            onChange({ ...draft, timeZone });
          }}
        />
      </SimpleGrid>
      <TextInput label={t('admin.fields.address')} required {...text('address')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('admin.serviceCenters.latitude')}
          description={t('admin.serviceCenters.latitudeHint')}
          inputMode="decimal"
          required
          {...text('latitude')}
        />
        <TextInput
          label={t('admin.serviceCenters.longitude')}
          description={t('admin.serviceCenters.longitudeHint')}
          inputMode="decimal"
          required
          {...text('longitude')}
        />
        <TextInput type="email" label={t('admin.fields.email')} required {...text('email')} />
        <TextInput type="tel" label={t('admin.fields.phone')} required {...text('phone')} />
      </SimpleGrid>
      <TextInput
        type="number"
        min={1}
        max={60}
        label={t('admin.serviceCenters.committedDays')}
        description={t('admin.serviceCenters.committedDaysHint')}
        required
        {...text('committedServiceDays')}
      />
      <Checkbox.Group
        label={t('admin.serviceCenters.businessDays')}
        description={t('admin.serviceCenters.businessDaysHint')}
        required
        error={errors.businessDays}
        value={draft.businessDays.map(String)}
        onChange={(values) => {
          onChange({ ...draft, businessDays: values.map(Number).sort((a, b) => a - b) });
        }}
      >
        <Group gap="md" mt="xs">
          {isoWeekdays.map((day) => (
            <Checkbox key={day} value={String(day)} label={weekdayName(day, i18n.language, 'short')} />
          ))}
        </Group>
      </Checkbox.Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {(['closedOn', 'openOn'] as const).map((key) => (
          <Textarea
            key={key}
            label={t(`admin.serviceCenters.${key}`)}
            description={t(`admin.serviceCenters.${key}Hint`)}
            autosize
            minRows={3}
            maxRows={8}
            name={key}
            value={draft[key]}
            error={errors[key]}
            onChange={(e) => {
              onChange({ ...draft, [key]: e.currentTarget.value });
            }}
          />
        ))}
      </SimpleGrid>
    </>
  );
}

export function ServiceCentersPage() {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  const days = (c: ServiceCenter) =>
    c.businessDays.map((d) => weekdayName(d, i18n.language, 'short')).join(t('format.list'));
  return (
    <EntityAdmin<ServiceCenter, Draft, z.infer<typeof createServiceCenterRequestSchema>>
      title={t('admin.serviceCenters.title')}
      intro={t('admin.serviceCenters.intro')}
      queryKey={serviceCentersQuery.queryKey}
      fetchRows={fetchServiceCenters}
      rowName={(c) => (lang === 'zh' ? c.nameZh : c.nameEn)}
      columns={[
        { header: t('admin.fields.name'), cell: (c) => (lang === 'zh' ? c.nameZh : c.nameEn) },
        {
          header: t('admin.serviceCenters.kind'),
          cell: (c) => t(`admin.serviceCenters.kinds.${c.kind}`),
          nowrap: true,
        },
        { header: t('admin.fields.address'), cell: (c) => c.address },
        { header: t('admin.fields.timeZone'), cell: (c) => c.timeZone, nowrap: true },
        {
          header: t('admin.serviceCenters.committedDaysShort'),
          cell: (c) => t('length.days', { count: c.committedServiceDays }),
          nowrap: true,
        },
        {
          header: t('admin.serviceCenters.businessDays'),
          cell: (c) => (
            <>
              {days(c)}
              <Text size="xs" c="dark.6">
                {c.closedOn.length + c.openOn.length === 0
                  ? t('admin.serviceCenters.calendarNone')
                  : t('admin.serviceCenters.calendarSummary', {
                      closed: c.closedOn.length,
                      open: c.openOn.length,
                    })}
              </Text>
            </>
          ),
        },
      ]}
      emptyDraft={emptyDraft}
      draftOf={(c) => ({
        kind: c.kind,
        nameEn: c.nameEn,
        nameZh: c.nameZh,
        city: c.city,
        address: c.address,
        latitude: String(c.latitude),
        longitude: String(c.longitude),
        timeZone: c.timeZone,
        committedServiceDays: String(c.committedServiceDays),
        businessDays: [...c.businessDays],
        closedOn: c.closedOn.join('\n'),
        openOn: c.openOn.join('\n'),
        email: c.email,
        phone: c.phone,
      })}
      parse={(d) =>
        createServiceCenterRequestSchema.safeParse({
          ...d,
          latitude: numberOf(d.latitude),
          longitude: numberOf(d.longitude),
          committedServiceDays: numberOf(d.committedServiceDays),
          closedOn: daysOf(d.closedOn),
          openOn: daysOf(d.openOn),
        })
      }
      create={createServiceCenter}
      update={updateServiceCenter}
      Form={ServiceCenterForm}
    />
  );
}
