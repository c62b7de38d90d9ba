import { Anchor, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ReturnLabelButton } from '../../components/Documents.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import {
  CommitmentBadge,
  DateText,
  Facts,
  OrderStateBadge,
  Section,
  ServiceCenterFacts,
  Timeline,
  useLanguages,
} from '../common.js';
import { maintenanceOrderQuery } from '../service-api.js';
import { ClaimConversation } from '../ClaimConversation.js';
import { CustomerContextPanel } from '../../work/CustomerContextPanel.js';
import { OrderActions } from '../../work/OrderActions.js';
import { OwnerPanel } from '../../work/OwnerPanel.js';
import { OrderWorkPanel } from '../../work/OrderWorkPanel.js';

/** The order as the center works it: the facts, the timeline, and a button for each allowed move. */
export function OrderDetailPage() {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const { id = '' } = useParams();
  const order = useQuery(maintenanceOrderQuery(id));

  if (order.isPending) return <PageLoader />;
  if (order.isError) return <LoadError error={order.error} onRetry={() => void order.refetch()} />;
  const o = order.data;
  return (
    <Stack gap="lg">
      <div>
        <Anchor component={Link} to="/repairs" size="sm">
          {t('service.queue.back')}
        </Anchor>
        <Group justify="space-between" align="flex-end" mt="xs">
          <div>
            <Text size="sm" c="dimmed">
              {t('service.fields.maintenanceNumber')}
            </Text>
            <Title order={1} className="maintenance-number">
              {o.maintenanceNumber}
            </Title>
          </div>
          <Group gap="sm">
            <OrderStateBadge state={o.state} />
            <CommitmentBadge status={o.commitment.status} />
          </Group>
        </Group>
      </div>
      <OrderActions order={o} slip />
      <Group>
        <ReturnLabelButton order={o} />
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Section id="order-facts" title={t('service.order.details')}>
            <Facts
              items={[
                [t('service.fields.product'), `${o.product.name[lang]} (${o.product.sku})`],
                [t('service.fields.customer'), o.customer.name],
                [
                  t('service.fields.contact'),
                  [o.customer.phone, o.customer.email].filter(Boolean).join(' · ') || '—',
                ],
                [t('service.fields.mode'), t(`service.modeShort.${o.mode}`)],
                [t('service.fields.receivedOn'), <DateText key="r" date={o.receivedOn} />],
                [t('service.fields.dueOn'), <DateText key="d" date={o.dueOn} />],
                [t('service.fields.diagnosis'), o.diagnosis ?? '—'],
                [t('service.fields.humanDamage'), o.humanDamageFound ? t('common.yes') : t('common.no')],
                [t('service.fields.returnedOn'), <DateText key="ret" date={o.returnedOn} />],
                [t('service.fields.returnTracking'), o.returnTracking ?? '—'],
              ]}
            />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Section id="timeline-title" title={t('service.order.timeline')}>
            <Timeline entries={o.timeline} />
          </Section>
        </Grid.Col>
      </Grid>
      <OrderWorkPanel orderId={o.id} sku={o.product.sku} />
      <ClaimConversation claimId={o.claimId} reader="staff" />
      <OwnerPanel kind="order" id={o.id} owner={o.owner} />
      <CustomerContextPanel kind="order" id={o.id} claimId={o.claimId} />
      <Section id="center-title" title={t('service.center.title')}>
        <ServiceCenterFacts center={o.serviceCenter} />
      </Section>
    </Stack>
  );
}
