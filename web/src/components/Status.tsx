import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.js';

export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Group justify="center" py="xl">
      <Loader role="status" aria-label={t('common.loading')} />
    </Group>
  );
}

/**
 * A refusal from the API: its code in the reader's language when the interface knows it, and the
 * API's own message beneath, which names the particular case ("this invitation was already used").
 */
export function ApiErrorAlert({ error, fallbackTitle }: { error: Error; fallbackTitle?: string }) {
  const { t } = useTranslation();
  const code = error instanceof ApiError ? error.code : undefined;
  const known = code !== undefined ? t(`errors.${code}`, { defaultValue: '' }) : '';
  return (
    <Alert color="red" variant="light" role="alert" title={known || fallbackTitle || t('errors.generic')}>
      <Text size="sm">{error.message}</Text>
    </Alert>
  );
}

/** A page's data could not be loaded: the reason and a way to ask again. */
export function LoadError({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" title={t('errors.loadFailed')} role="alert">
      <Text size="sm">{error.message}</Text>
      <Button mt="sm" size="xs" variant="default" onClick={onRetry}>
        {t('common.retry')}
      </Button>
    </Alert>
  );
}
