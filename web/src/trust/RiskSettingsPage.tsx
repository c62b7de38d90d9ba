import { Button, Card, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultRiskSettings, riskSettingsSchema } from '../../../src/domain/risk/signals.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { DeskErrorAlert, Done, PageHeader } from '../desk/ui.js';
import { useMe } from '../session.js';
import { type RiskSettings, riskSettingsQuery, saveRiskSettings } from './trust-api.js';

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

/** The fraud signals' thresholds: what staff see in force, and what an admin sets (audited). */
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
    </Stack>
  );
}
