import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LoadError, PageLoader } from '../components/Status.js';
import { formatMoment } from '../format.js';
import { useLanguages } from './common.js';
import { waitingConversationsQuery } from './conversation-api.js';

/** Conversations whose customer waits for an answer, the longest waiting first. */
export default function ConversationQueuePage() {
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
                  <Anchor component={Link} to={`/desk/support/claims/${c.claimId}`} fw={600}>
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
