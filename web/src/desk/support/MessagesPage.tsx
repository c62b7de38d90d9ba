import { NativeSelect, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { messageStatusFilters } from '../../../../src/http/messages/schemas.js';
import type { MessageStatusFilter } from '../desk-api.js';
import { PageHeader } from '../ui.js';
import { MessageTable } from './messages-ui.js';

function isFilter(v: string | null): v is MessageStatusFilter {
  return (messageStatusFilters as readonly (string | null)[]).includes(v);
}

/**
 * The outbox as support works it: by default the messages no machine delivers (failed e-mails, and
 * customers who gave only a phone number), then every message with its delivery.
 */
export default function MessagesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status: MessageStatusFilter | 'all' = raw === 'all' ? 'all' : isFilter(raw) ? raw : 'attention';
  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.messages.title')} intro={t('desk.messages.intro')} />
      <NativeSelect
        label={t('desk.fields.status')}
        maw={320}
        value={status}
        onChange={(e) => {
          setParams({ status: e.currentTarget.value }, { replace: true });
        }}
        data={[
          { value: 'attention', label: t('desk.messages.filter.attention') },
          { value: 'all', label: t('desk.messages.filter.all') },
          ...messageStatusFilters
            .filter((s) => s !== 'attention')
            .map((s) => ({ value: s, label: t(`desk.messages.status.${s}`) })),
        ]}
      />
      <MessageTable
        filter={{ status: status === 'all' ? undefined : status }}
        label={t('desk.messages.title')}
      />
    </Stack>
  );
}
