import { Anchor, Box, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ReturnLabelButton } from '../../components/Documents.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { maintenanceOrderQuery } from '../desk-api.js';
import { CommitmentBadge, Day, Fact, useApiLanguage } from '../ui.js';
import { MessageTable } from './messages-ui.js';
import { CustomerContextPanel } from '../../work/CustomerContextPanel.js';
import { OrderActions } from '../../work/OrderActions.js';
import { ClaimConversation } from '../../service/ClaimConversation.js';
import { OwnerPanel } from '../../work/OwnerPanel.js';
import { OrderWorkPanel } from '../../work/OrderWorkPanel.js';

/**
 * One maintenance order as support works it: where it is, the promise it is held to, whom to call, its
 * timeline, and the moves the access table lets support make (the technician's page offers the same).
 */
export default function OrderPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const { id = '' } = useParams();
  const order = useQuery(maintenanceOrderQuery(id));
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/desk/support/orders" size="sm">
        ← {t('desk.order.back')}
      </Anchor>
      {order.isPending ? (
        <PageLoader />
      ) : order.isError ? (
        <LoadError error={order.error} onRetry={() => void order.refetch()} />
      ) : (
        <>
          <Group justify="space-between" align="flex-end">
            <div>
              <Title order={1}>{t('desk.order.title', { number: order.data.maintenanceNumber })}</Title>
              <Text mt="xs">{order.data.product.name[lang]}</Text>
            </div>
            <CommitmentBadge status={order.data.commitment.status} />
          </Group>
          <OrderActions order={order.data} />
          <Group>
            <ReturnLabelButton order={order.data} />
          </Group>
          <OwnerPanel kind="order" id={order.data.id} owner={order.data.owner} />
          <OrderWorkPanel orderId={order.data.id} sku={order.data.product.sku} />
          <Card withBorder padding="lg" component="section" aria-labelledby="order-facts">
            <Title order={2} size="h4" id="order-facts" mb="sm">
              {t('desk.order.facts')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <Fact label={t('desk.fields.orderState')}>{t(`desk.orderState.${order.data.state}`)}</Fact>
              <Fact label={t('desk.fields.mode')}>{t(`desk.mode.${order.data.mode}`)}</Fact>
              <Fact label={t('desk.fields.dueOn')}>
                <Day date={order.data.commitment.dueOn} />
              </Fact>
              <Fact label={t('desk.fields.receivedOn')}>
                <Day date={order.data.receivedOn} />
              </Fact>
              <Fact label={t('desk.fields.contactedOn')}>
                <Day date={order.data.contactedOn} />
              </Fact>
              <Fact label={t('desk.fields.returnedOn')}>
                <Day date={order.data.returnedOn} />
              </Fact>
              <Fact label={t('desk.fields.serviceCenter')}>
                {order.data.serviceCenter.name[lang]}
                <Text size="xs" c="dark.6">
                  {order.data.serviceCenter.phone}
                </Text>
              </Fact>
              <Fact label={t('desk.fields.customer')}>
                {order.data.customer.name}
                <Text size="xs" c="dark.6">
                  {[order.data.customer.phone, order.data.customer.email].filter(Boolean).join(' · ')}
                </Text>
              </Fact>
              <Fact label={t('desk.fields.diagnosis')}>{order.data.diagnosis ?? '—'}</Fact>
            </SimpleGrid>
          </Card>
          <Card withBorder padding="lg" component="section" aria-labelledby="order-timeline">
            <Title order={2} size="h4" id="order-timeline" mb="sm">
              {t('desk.order.timeline')}
            </Title>
            <Box component="ol" className="remedy-list">
              {order.data.timeline.map((entry) => (
                <Box component="li" key={entry.at} className="remedy">
                  <Group justify="space-between">
                    <Text fw={600} size="sm">
                      {t(`desk.orderState.${entry.state}`)}
                    </Text>
                    <Text size="sm">
                      <Day date={entry.on} />
                    </Text>
                  </Group>
                  {entry.note && <Text size="sm">{entry.note}</Text>}
                </Box>
              ))}
            </Box>
          </Card>
          <ClaimConversation claimId={order.data.claimId} reader="staff" />
          <CustomerContextPanel kind="order" id={order.data.id} claimId={order.data.claimId} />
          <Card withBorder padding="lg" component="section" aria-labelledby="claim-messages">
            <Title order={2} size="h4" id="claim-messages" mb="sm">
              {t('desk.messages.claimTitle')}
            </Title>
            <MessageTable params={{ claimId: order.data.claimId }} label={t('desk.messages.claimTitle')} />
          </Card>
          <Anchor component={Link} to={`/desk/support/claims/${order.data.claimId}`}>
            {t('desk.order.claim')}
          </Anchor>
        </>
      )}
    </Stack>
  );
}
