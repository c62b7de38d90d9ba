import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type InboxResponse, inboxSchema } from '../../../src/http/inbox/schemas.js';
import { request } from '../api.js';
import { useMe } from '../session.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { formatMoment } from '../format.js';

/* "Waiting for me" (issue 15): what waits on the signed-in person's role, oldest first, one page. */

export const inboxQuery = queryOptions({
  queryKey: ['inbox'],
  queryFn: () => request(inboxSchema, '/api/v1/inbox'),
  // The count in the header stays current while someone works.
  refetchInterval: 60_000,
});

type Item = InboxResponse['items'][number];

/** Where each kind is worked, for the role reading it. */
function linkOf(role: string, item: Item): string {
  const desk = role === 'dealer' ? 'dealer' : role === 'sales' ? 'sales' : 'support';
  switch (item.kind) {
    case 'conversation':
      if (role === 'technician')
        return item.maintenanceOrderId ? `/repairs/${item.maintenanceOrderId}` : '/repairs';
      if (desk === 'support') return `/desk/support/claims/${item.claimId ?? ''}`;
      return `/desk/${desk}/conversations/${item.claimId ?? ''}`;
    case 'maintenance_order':
      return `/repairs/${item.id}`;
    case 'verification':
      return `/desk/${desk}/verifications`;
    case 'reimbursement':
      return '/desk/support/reimbursements';
    case 'approval':
      return `/desk/${desk}/approvals`;
  }
}

/** The number waiting, beside the header's link to this page. */
export function InboxCount() {
  const { t } = useTranslation();
  const inbox = useQuery(inboxQuery);
  if (!inbox.data) return null;
  const total = inbox.data.counts.reduce((sum, c) => sum + c.count, 0);
  const more = inbox.data.counts.some((c) => c.more);
  if (total === 0) return null;
  return (
    <Badge ml={6} size="sm" color="red" variant="filled" component="span">
      {more ? t('desk.inbox.more', { count: total }) : total}
    </Badge>
  );
}

export default function InboxPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const inbox = useQuery(inboxQuery);
  if (inbox.isPending) return <PageLoader />;
  if (inbox.isError) return <LoadError error={inbox.error} onRetry={() => void inbox.refetch()} />;
  const role = me.data?.role ?? '';
  return (
    <Stack gap="lg">
      <Title order={1}>{t('desk.inbox.title')}</Title>
      <Text>{t('desk.inbox.intro')}</Text>
      <Group gap="xs" role="list" aria-label={t('desk.inbox.countsLabel')}>
        {inbox.data.counts.map((c) => (
          <Badge key={c.kind} role="listitem" variant="light" size="lg" color="blue">
            {t(`desk.inbox.kinds.${c.kind}`)}: {c.more ? t('desk.inbox.more', { count: c.count }) : c.count}
          </Badge>
        ))}
      </Group>
      {inbox.data.items.length === 0 ? (
        <Text>{t('desk.inbox.empty')}</Text>
      ) : (
        <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {inbox.data.items.map((item) => (
            <li key={`${item.kind}:${item.id}`}>
              <Card withBorder padding="md">
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Text size="sm" fw={600}>
                    {t(`desk.inbox.kinds.${item.kind}`)}
                  </Text>
                  <Text size="sm">
                    {t('desk.inbox.since', { when: formatMoment(item.since, i18n.language) })}
                  </Text>
                </Group>
                <Anchor
                  component={Link}
                  to={linkOf(role, item)}
                  fw={600}
                  mt={4}
                  style={{ overflowWrap: 'anywhere' }}
                >
                  {item.subject}
                  {item.detail ? ` · ${item.detail}` : ''}
                </Anchor>
              </Card>
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
