import { Button, Card, Checkbox, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DocumentSettings, documentSettingsSchema } from '../../../src/http/documents/schemas.js';
import { request, send } from '../api.js';
import { DeskErrorAlert, Done } from '../desk/ui.js';
import { LoadError, PageLoader } from './Status.js';

/*
 * What the printable documents say about the maker, and the tax on them (admins; audited). The rate is
 * typed as a percentage with at most two decimals and sent in basis points, without floating point.
 */

const documentSettingsQuery = queryOptions({
  queryKey: ['settings', 'documents'],
  queryFn: () => request(documentSettingsSchema, '/api/v1/settings/documents'),
});

/** "13" → 1300, "6.5" → 650, "0.25" → 25; anything else undefined. */
export function basisPointsOf(percent: string): number | undefined {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(percent.trim());
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function percentOf(bps: number): string {
  const rest = bps % 100;
  return rest === 0
    ? String(bps / 100)
    : `${Math.floor(bps / 100)}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

type Field = 'nameEn' | 'nameZh' | 'addressEn' | 'addressZh' | 'phone' | 'email' | 'taxId' | 'rate';

function Form({ current }: { current: DocumentSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<Field, string>>({
    nameEn: current.maker.name.en,
    nameZh: current.maker.name.zh,
    addressEn: current.maker.address.en,
    addressZh: current.maker.address.zh,
    phone: current.maker.phone,
    email: current.maker.email,
    taxId: current.maker.taxId,
    rate: percentOf(current.tax.rateBasisPoints),
  });
  const [included, setIncluded] = useState(current.tax.pricesIncludeTax);
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const save = useMutation({
    mutationFn: (body: DocumentSettings) =>
      send(documentSettingsSchema, 'PUT', '/api/v1/settings/documents', body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: documentSettingsQuery.queryKey });
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const rate = basisPointsOf(values.rate);
    const parsed = documentSettingsSchema.safeParse({
      maker: {
        name: { en: values.nameEn, zh: values.nameZh },
        address: { en: values.addressEn, zh: values.addressZh },
        phone: values.phone,
        email: values.email,
        taxId: values.taxId,
      },
      tax: { rateBasisPoints: rate ?? -1, pricesIncludeTax: included },
    });
    const wrong = new Set<string>();
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [a, b, c] = issue.path.map(String);
        if (a === 'tax') wrong.add('rate');
        else if (b === 'name' || b === 'address') wrong.add(`${b}${c === 'zh' ? 'Zh' : 'En'}`);
        else if (b) wrong.add(b);
      }
    }
    setInvalid(wrong);
    if (parsed.success && wrong.size === 0) save.mutate(parsed.data);
  };
  const field = (f: Field, props: { inputMode?: 'decimal' } = {}) => (
    <TextInput
      key={f}
      name={`documents-${f}`}
      label={t(`documents.settings.${f}`)}
      value={values[f]}
      error={invalid.has(f) ? t('documents.settings.invalid') : undefined}
      onChange={(e) => {
        const text = e.currentTarget.value;
        setValues((old) => ({ ...old, [f]: text }));
        save.reset();
      }}
      {...props}
    />
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Title order={2} size="h4">
          {t('documents.settings.title')}
        </Title>
        <Text size="sm" c="dark.6">
          {t('documents.settings.intro')}
        </Text>
        {save.isError && <DeskErrorAlert error={save.error} />}
        {save.isSuccess && <Done title={t('documents.settings.saved')} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {field('nameEn')}
          {field('nameZh')}
          {field('addressEn')}
          {field('addressZh')}
          {field('phone')}
          {field('email')}
          {field('taxId')}
          {field('rate', { inputMode: 'decimal' })}
        </SimpleGrid>
        <Checkbox
          name="documents-included"
          label={t('documents.settings.included')}
          checked={included}
          onChange={(e) => {
            setIncluded(e.currentTarget.checked);
            save.reset();
          }}
        />
        <Button
          type="submit"
          w="fit-content"
          loading={save.isPending}
          loaderProps={{ 'aria-label': t('common.working') }}
        >
          {t('documents.settings.save')}
        </Button>
      </Stack>
    </form>
  );
}

/** The documents' settings, for admins in the settings room. */
export function DocumentSettingsCard() {
  const settings = useQuery(documentSettingsQuery);
  return (
    <Card withBorder padding="lg" maw={880}>
      {settings.isPending ? (
        <PageLoader />
      ) : settings.isError ? (
        <LoadError error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Form current={settings.data} />
      )}
    </Card>
  );
}
