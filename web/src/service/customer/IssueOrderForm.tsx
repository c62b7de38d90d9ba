import { Alert, Button, Group, NativeSelect, Radio, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cities } from '../../../../src/domain/geo/cities.js';
import type { MaintenanceMode } from '../../../../src/domain/maintenance/state-machine.js';
import { ChangeError, isStale, Section, useLanguages } from '../common.js';
import { type Claim, issueMaintenanceOrder } from '../service-api.js';

type Where = 'city' | 'here';
type Position = { latitude: number; longitude: number };

/**
 * Issuing the maintenance order: walk-in or mail-in (as the decision offers), and where the customer
 * is, by a city from the list or the browser's position. The nearest center gets the order.
 */
export function IssueOrderForm({
  claim,
  modes,
  initial,
  onCancel,
}: {
  claim: Claim;
  modes: readonly MaintenanceMode[];
  initial?: MaintenanceMode | undefined;
  /** Back to the list of remedies, when the form was opened by choosing one. */
  onCancel?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<MaintenanceMode>(
    initial ?? (modes.includes('mail_in') ? 'mail_in' : 'walk_in'),
  );
  const [where, setWhere] = useState<Where>('city');
  const [cityId, setCityId] = useState('');
  const [position, setPosition] = useState<Position | null>(null);
  const [locating, setLocating] = useState(false);
  const [locateError, setLocateError] = useState<string | null>(null);
  const sortedCities = [...cities].sort((a, b) => a.name[lang].localeCompare(b.name[lang], lang));

  const issue = useMutation({
    mutationFn: () => {
      const location = where === 'here' && position ? position : { cityId };
      return issueMaintenanceOrder(claim.id, { mode, location });
    },
    onSettled: async (_order, error) => {
      // After a conflict the claim or its order changed: both are read again.
      if (!error || isStale(error)) {
        await queryClient.invalidateQueries({ queryKey: ['service'] });
      }
    },
  });

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setLocateError(t('service.issue.locateUnsupported'));
      return;
    }
    setLocating(true);
    setLocateError(null);
    navigator.geolocation.getCurrentPosition(
      (found) => {
        setLocating(false);
        setPosition({ latitude: found.coords.latitude, longitude: found.coords.longitude });
      },
      () => {
        setLocating(false);
        setLocateError(t('service.issue.locateFailed'));
      },
      { maximumAge: 10 * 60_000, timeout: 15_000 },
    );
  };

  const ready = where === 'city' ? cityId !== '' : position !== null;
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (ready && !issue.isPending) issue.mutate();
  };

  return (
    <Section id="issue-title" title={t('service.issue.title')}>
      <Text>{t('service.issue.intro')}</Text>
      <form onSubmit={submit}>
        <Stack gap="md">
          {issue.isError && <ChangeError error={issue.error} object="claim" />}
          <Radio.Group
            name="mode"
            label={t('service.issue.mode')}
            required
            value={mode}
            onChange={(value) => {
              setMode(value === 'walk_in' ? 'walk_in' : 'mail_in');
            }}
          >
            <Stack gap="sm" mt="xs">
              {modes.map((m) => (
                <Radio
                  key={m}
                  value={m}
                  label={t(`service.mode.${m}`)}
                  description={t(`service.issue.modeHint.${m}`)}
                />
              ))}
            </Stack>
          </Radio.Group>
          <Radio.Group
            name="where"
            label={t('service.issue.where')}
            required
            value={where}
            onChange={(value) => {
              setWhere(value === 'here' ? 'here' : 'city');
            }}
          >
            <Stack gap="sm" mt="xs">
              <Radio value="city" label={t('service.issue.byCity')} />
              <Radio value="here" label={t('service.issue.byPosition')} />
            </Stack>
          </Radio.Group>
          {where === 'city' ? (
            <NativeSelect
              name="city"
              label={t('service.issue.city')}
              required
              value={cityId}
              onChange={(e) => {
                setCityId(e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('service.issue.chooseCity') },
                ...sortedCities.map((c) => ({ value: c.id, label: c.name[lang] })),
              ]}
            />
          ) : (
            <Group gap="sm">
              <Button variant="default" onClick={locate} loading={locating}>
                {t('service.issue.locate')}
              </Button>
              <Text size="sm" role="status">
                {position ? t('service.issue.located') : ''}
              </Text>
            </Group>
          )}
          {locateError && (
            <Alert color="orange" variant="light" role="alert" className="service-alert-warn">
              {locateError}
            </Alert>
          )}
          <Group gap="sm">
            <Button
              type="submit"
              disabled={!ready}
              loading={issue.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('service.issue.submit')}
            </Button>
            {onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t('common.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
