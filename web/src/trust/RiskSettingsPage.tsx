import { Button, Card, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultRiskSettings, riskSettingsSchema } from '../../../src/domain/risk/signals.js';
import { DocumentSettingsCard } from '../components/DocumentSettingsCard.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { amountText, currencies, parseAmount } from '../desk/money.js';
import { DeskErrorAlert, Done, PageHeader } from '../desk/ui.js';
import { useMe } from '../session.js';
import {
  fourEyesSettingsQuery,
  type RiskSettings,
  riskSettingsQuery,
  saveFourEyesSettings,
  saveRiskSettings,
} from './trust-api.js';

const fields = [
  'maxClaimsPer12Months',
  'lateRegistrationDays',
  'lateRegistrationRepeats',
  'outlierMinSample',
  'outlierFactorPercent',
] as const satisfies readonly (keyof RiskSettings)[];

function SettingsForm({ current, editable }: { current: RiskSettings; editable: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<keyof RiskSettings, number | string>>(current);
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const save = useMutation({
    mutationFn: saveRiskSettings,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: riskSettingsQuery.queryKey });
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = riskSettingsSchema.safeParse(
      Object.fromEntries(fields.map((f) => [f, typeof values[f] === 'number' ? values[f] : Number.NaN])),
    );
    if (!parsed.success) {
      setInvalid(new Set(parsed.error.issues.map((i) => String(i.path[0]))));
      return;
    }
    setInvalid(new Set());
    save.mutate(parsed.data);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {save.isError && <DeskErrorAlert error={save.error} />}
        {save.isSuccess && <Done title={t('trust.settings.saved')} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {fields.map((f) => (
            <NumberInput
              key={f}
              name={f}
              label={t(`trust.settings.field.${f}.label`)}
              description={t(`trust.settings.field.${f}.hint`, { value: defaultRiskSettings[f] })}
              allowDecimal={false}
              allowNegative={false}
              disabled={!editable}
              value={values[f]}
              error={invalid.has(f) ? t(`trust.settings.field.${f}.invalid`) : undefined}
              onChange={(v) => {
                setValues((old) => ({ ...old, [f]: v }));
                save.reset();
              }}
            />
          ))}
        </SimpleGrid>
        {editable ? (
          <Button
            type="submit"
            w="fit-content"
            loading={save.isPending}
            loaderProps={{ 'aria-label': t('common.working') }}
          >
            {t('trust.settings.save')}
          </Button>
        ) : (
          <Text size="sm" c="dark.6">
            {t('trust.settings.adminOnly')}
          </Text>
        )}
      </Stack>
    </form>
  );
}

/**
 * The four-eyes thresholds: a refund, reimbursement or credit above its currency's amount waits for a
 * second person. An amount left empty means every one in that currency does (the server's rule).
 */
function FourEyesForm({ current }: { current: Record<string, number> }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(currencies.map((c) => [c, current[c] === undefined ? '' : amountText(current[c], c)])),
  );
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const save = useMutation({
    mutationFn: saveFourEyesSettings,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: fourEyesSettingsQuery.queryKey });
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const thresholds: Record<string, number> = {};
    const wrong = new Set<string>();
    for (const c of currencies) {
      const text = values[c]?.trim() ?? '';
      if (text === '') continue;
      const minor = parseAmount(text, c);
      if (minor === undefined) wrong.add(c);
      else thresholds[c] = minor;
    }
    setInvalid(wrong);
    if (wrong.size === 0) save.mutate({ thresholds });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Title order={2} size="h4">
          {t('trust.settings.fourEyes.title')}
        </Title>
        <Text size="sm" c="dark.6">
          {t('trust.settings.fourEyes.intro')}
        </Text>
        {save.isError && <DeskErrorAlert error={save.error} />}
        {save.isSuccess && <Done title={t('trust.settings.fourEyes.saved')} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {currencies.map((c) => (
            <TextInput
              key={c}
              name={`fourEyes-${c}`}
              label={t('trust.settings.fourEyes.label', { currency: c })}
              description={t('trust.settings.fourEyes.hint')}
              inputMode="decimal"
              value={values[c] ?? ''}
              error={invalid.has(c) ? t('trust.settings.fourEyes.invalid') : undefined}
              onChange={(e) => {
                const text = e.currentTarget.value;
                setValues((old) => ({ ...old, [c]: text }));
                save.reset();
              }}
            />
          ))}
        </SimpleGrid>
        <Button
          type="submit"
          w="fit-content"
          loading={save.isPending}
          loaderProps={{ 'aria-label': t('common.working') }}
        >
          {t('trust.settings.fourEyes.save')}
        </Button>
      </Stack>
    </form>
  );
}

function FourEyesCard() {
  const settings = useQuery(fourEyesSettingsQuery);
  return (
    <Card withBorder padding="lg" maw={880}>
      {settings.isPending ? (
        <PageLoader />
      ) : settings.isError ? (
        <LoadError error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <FourEyesForm current={settings.data.thresholds} />
      )}
    </Card>
  );
}

/**
 * The settings that decide when money waits for a person: the fraud signals' thresholds (staff see
 * them in force, an admin sets them) and, for admins, the four-eyes thresholds. Both audited.
 */
export default function RiskSettingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const settings = useQuery(riskSettingsQuery);
  return (
    <Stack gap="lg">
      <PageHeader title={t('trust.settings.title')} intro={t('trust.settings.intro')} />
      {settings.isPending ? (
        <PageLoader />
      ) : settings.isError ? (
        <LoadError error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Card withBorder padding="lg" maw={880}>
          <SettingsForm current={settings.data} editable={me.data?.role === 'admin'} />
        </Card>
      )}
      {me.data?.role === 'admin' && <FourEyesCard />}
      {me.data?.role === 'admin' && <DocumentSettingsCard />}
    </Stack>
  );
}
