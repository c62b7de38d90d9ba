import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Every IANA zone the browser knows, plus the current value should it know fewer than the server. */
function timeZones(current: string): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}

export function TimeZoneSelect({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (zone: string) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      name="timeZone"
      label={t('admin.fields.timeZone')}
      description={t('admin.fields.timeZoneHint')}
      required
      value={value}
      error={error}
      onChange={(e) => {
        onChange(e.currentTarget.value);
      }}
      data={timeZones(value)}
    />
  );
}

/** '' for an empty input, which optional fields send as null. */
export const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** A number typed in an input; NaN (refused by the schema) when it is not one. */
export const numberOf = (value: string): number => (value.trim() === '' ? Number.NaN : Number(value));
