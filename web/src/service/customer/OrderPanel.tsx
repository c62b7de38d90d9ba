import { Anchor, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ReturnLabelButton } from '../../components/Documents.js';
import type { MaintenanceState } from '../../../../src/domain/maintenance/state-machine.js';
import {
  CommitmentBadge,
  DateText,
  Facts,
  OrderStateBadge,
  Section,
  ServiceCenterFacts,
  Timeline,
} from '../common.js';
import type { MaintenanceOrder, MaintenanceOrderDetail } from '../service-api.js';

/** What the customer does now, by mode and state: bring it, send it, wait, or collect it. */
function nextStepKey(order: MaintenanceOrder): string {
  const waiting: readonly MaintenanceState[] = ['issued', 'awaitingParts'];
  if (waiting.includes(order.state)) return `service.order.next.${order.mode}`;
  if (order.state === 'paidService') return 'service.order.next.paidService';
  if (order.state === 'returned' || order.state === 'closed') {
    return order.mode === 'mail_in' ? 'service.order.next.returnedMail' : 'service.order.next.returnedWalkIn';
  }
  if (order.state === 'cancelled') return 'service.order.next.cancelled';
  return 'service.order.next.inRepair';
}

/** The customer's maintenance order: its number, the center, the next step, the commitment, the history. */
export function OrderPanel({ order }: { order: MaintenanceOrder | MaintenanceOrderDetail }) {
  const { t } = useTranslation();
  const timeline = 'timeline' in order ? order.timeline : null;
  return (
    <Section id="order-title" title={t('service.order.title')}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Text size="sm" c="dimmed">
            {t('service.fields.maintenanceNumber')}
          </Text>
          <Text className="maintenance-number" data-testid="maintenance-number">
            {order.maintenanceNumber}
          </Text>
        </div>
        <Stack gap={6} align="flex-end">
          <OrderStateBadge state={order.state} />
          <Anchor component={Link} to={`/maintenance-orders/${order.id}/slip`}>
            {t('service.slip.open')}
          </Anchor>
        </Stack>
      </Group>
      <Text fw={600}>{t(nextStepKey(order), { number: order.maintenanceNumber })}</Text>
      {order.mode === 'mail_in' && (
        <Group gap="sm">
          <ReturnLabelButton order={order} />
          <Text size="sm">{t('documents.returnLabelHint')}</Text>
        </Group>
      )}
      <Text fw={700} component="h3">
        {t('service.center.title')}
      </Text>
      <ServiceCenterFacts center={order.serviceCenter} />
      <Facts
        items={[
          [t('service.fields.mode'), t(`service.modeShort.${order.mode}`)],
          [t('service.fields.receivedOn'), <DateText key="r" date={order.receivedOn} />],
          [
            t('service.fields.commitment'),
            order.dueOn ? (
              <Group key="c" gap="xs">
                <span>
                  {t('service.order.dueBy')} <DateText date={order.dueOn} />
                </span>
                <CommitmentBadge status={order.commitment.status} />
              </Group>
            ) : (
              t('service.order.commitmentStartsOnReceipt')
            ),
          ],
          ...(order.returnTracking
            ? [[t('service.fields.returnTracking'), order.returnTracking] as [string, string]]
            : []),
        ]}
      />
      {timeline && timeline.length > 0 && (
        <>
          <Text fw={700} component="h3">
            {t('service.order.timeline')}
          </Text>
          <Timeline entries={timeline} />
        </>
      )}
    </Section>
  );
}
