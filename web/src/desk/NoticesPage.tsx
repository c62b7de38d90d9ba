import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MessageTable } from './support/messages-ui.js';
import { PageHeader } from './ui.js';

/**
 * The notices the service sends a team rather than a person — a lot flagged to QA, an OEM order past
 * its spares to sales — newest first. The API gives each role its own inbox.
 */
export default function NoticesPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.notices.title')} intro={t('desk.notices.intro')} />
      <MessageTable params={{}} label={t('desk.notices.title')} />
    </Stack>
  );
}
