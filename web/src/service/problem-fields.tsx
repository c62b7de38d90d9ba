import { Radio, Stack, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Cause } from '../api.js';

/** What happened: a quality problem, or damage caused by misuse (which makes the repair paid). */
export function CauseField({ value, onChange }: { value: Cause; onChange: (cause: Cause) => void }) {
  const { t } = useTranslation();
  return (
    <Radio.Group
      name="cause"
      label={t('coverage.cause')}
      required
      value={value}
      onChange={(v) => {
        onChange(v === 'human_damage' ? 'human_damage' : 'quality');
      }}
    >
      <Stack gap="sm" mt="xs">
        <Radio
          value="quality"
          label={t('coverage.causeQuality')}
          description={t('coverage.causeQualityHint')}
        />
        <Radio
          value="human_damage"
          label={t('coverage.causeHumanDamage')}
          description={t('coverage.causeHumanDamageHint')}
        />
      </Stack>
    </Radio.Group>
  );
}

export function DescriptionField({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const { t } = useTranslation();
  return (
    <Textarea
      name="description"
      label={t('service.report.description')}
      description={t('service.report.descriptionHint')}
      required
      minLength={5}
      maxLength={4000}
      autosize
      minRows={4}
      value={value}
      onChange={(e) => {
        onChange(e.currentTarget.value);
      }}
    />
  );
}
