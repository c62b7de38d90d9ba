import { NativeSelect, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  messageChannels,
  messageKinds,
  messageStatusFilters,
} from '../../../../src/http/messages/schemas.js';
import { DayRangeFilter, useFilterParams } from '../../components/ListTable.js';
import type { MessageStatusFilter } from '../desk-api.js';
import { PageHeader } from '../ui.js';
import { MessageTable } from './messages-ui.js';

function isFilter(v: string | null): v is MessageStatusFilter {
  return (messageStatusFilters as readonly (string | null)[]).includes(v);
}

/**
 * The outbox as support works it: by default the messages no machine delivers (failed e-mails, and
 * customers who gave only a phone number), then every message with its delivery; filtered by status,
 * kind, channel and day in the address, searched by recipient or subject, exported as CSV.
 */
export default function MessagesPage() {
  const { t } = useTranslation();
  const { params, filter, setParam } = useFilterParams();
  const raw = params.get('status');
  const status: MessageStatusFilter | 'all' = raw === 'all' ? 'all' : isFilter(raw) ? raw : 'attention';
  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.messages.title')} intro={t('desk.messages.intro')} />
      <MessageTable
        params={{
          status: status === 'all' ? undefined : status,
          topic: filter('topic'),
          channel: filter('channel'),
          from: filter('from'),
          to: filter('to'),
        }}
        label={t('desk.messages.title')}
        filters={
          <>
            <NativeSelect
              label={t('desk.fields.status')}
              value={status}
              onChange={(e) => {
                setParam('status', e.currentTarget.value);
              }}
              data={[
                { value: 'attention', label: t('desk.messages.filter.attention') },
                { value: 'all', label: t('desk.messages.filter.all') },
                ...messageStatusFilters
                  .filter((s) => s !== 'attention')
                  .map((s) => ({ value: s, label: t(`desk.messages.status.${s}`) })),
              ]}
            />
            <NativeSelect
              label={t('desk.messages.kind')}
              value={filter('topic')}
              onChange={(e) => {
                setParam('topic', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('desk.messages.anyKind') },
                ...messageKinds.map((k) => ({ value: k, label: t(`desk.messages.kinds.${k}`) })),
              ]}
            />
            <NativeSelect
              label={t('desk.messages.channelFilter')}
              value={filter('channel')}
              onChange={(e) => {
                setParam('channel', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('desk.messages.anyChannel') },
                ...messageChannels.map((c) => ({ value: c, label: t(`desk.messages.channel.${c}`) })),
              ]}
            />
            <DayRangeFilter
              filter={filter}
              setParam={setParam}
              fromLabel={t('desk.messages.madeFrom')}
              toLabel={t('desk.messages.madeTo')}
            />
          </>
        }
      />
    </Stack>
  );
}
