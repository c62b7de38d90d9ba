import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LoadError, PageLoader } from '../components/Status.js';
import { formatMoment } from '../format.js';
import { useLanguages } from './common.js';
import { type WaitingConversation, waitingConversationsQuery } from './conversation-api.js';

/** Where each role answers: support and the technician on their claim or order page, others on the claim's conversation. */
export type QueueArea = 'support' | 'technician' | 'dealer' | 'sales';

function linkOf(area: QueueArea, c: WaitingConversation): string {
  switch (area) {
    case 'support':
      return `/desk/support/claims/${c.claimId}`;
    case 'technician':
      return c.maintenanceOrderId ? `/repairs/${c.maintenanceOrderId}` : '/repairs';
    case 'dealer':
      return `/desk/dealer/conversations/${c.claimId}`;
    case 'sales':
      return `/desk/sales/conversations/${c.claimId}`;
  }
}

/** Conversations whose customer waits for an answer, the longest waiting first. */
export default function ConversationQueuePage({ area = 'support' }: { area?: QueueArea }) {
  const { t } = useTranslation();
  const { locale, lang } = useLanguages();
  const waiting = useQuery(waitingConversationsQuery);
  if (waiting.isPending) return <PageLoader />;
  if (waiting.isError) return <LoadError error={waiting.error} onRetry={() => void waiting.refetch()} />;
  const items = waiting.data.items;
  return (
    <Stack gap="lg">
      <Title order={1}>{t('service.conversation.queue.title')}</Title>
      {items.length === 0 ? (
        <Text>{t('service.conversation.queue.empty')}</Text>
      ) : (
        <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((c) => (
            <li key={c.id}>
              <Card withBorder padding="md">
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Anchor component={Link} to={linkOf(area, c)} fw={600}>
                    {c.customerName} · {c.product[lang]}
                    {c.maintenanceNumber ? ` · ${c.maintenanceNumber}` : ''}
                  </Anchor>
                  <Text size="sm">
                    {t('service.conversation.queue.since')}: {formatMoment(c.waitingSince, locale)}
                  </Text>
                </Group>
                <Text mt={6} size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {c.excerpt}
                </Text>
              </Card>
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
