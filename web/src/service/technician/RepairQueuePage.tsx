import { Anchor, Stack, Switch, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { CommitmentBadge, DateText, OrderStateBadge, PageHeading, useLanguages } from '../common.js';
import { type MaintenanceOrder, repairQueueQuery } from '../service-api.js';

/**
 * Nearest deadline first; orders not received yet (no due day) after them, oldest first. The server
 * sorts too: this keeps the order the page promises whatever the API does.
 */
function byDeadline(a: MaintenanceOrder, b: MaintenanceOrder): number {
  if (a.dueOn && b.dueOn) return a.dueOn.localeCompare(b.dueOn);
  if (a.dueOn) return -1;
  if (b.dueOn) return 1;
  return a.createdAt.localeCompare(b.createdAt);
}

export function RepairQueuePage() {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const [params, setParams] = useSearchParams();
  const mine = params.get('owner') === 'me';
  const orders = useQuery(repairQueueQuery(mine));
  const open = (orders.data ?? [])
    .filter((o) => o.state !== 'closed' && o.state !== 'cancelled')
    .sort(byDeadline);
  return (
    <Stack gap="lg">
      <PageHeading title={t('service.queue.title')} intro={t('service.queue.intro')} />
      <Switch
        label={t('work.owner.mine')}
        checked={mine}
        onChange={(e) => {
          setParams(e.currentTarget.checked ? { owner: 'me' } : {}, { replace: true });
        }}
      />
      {orders.isPending ? (
        <PageLoader />
      ) : orders.isError ? (
        <LoadError error={orders.error} onRetry={() => void orders.refetch()} />
      ) : open.length === 0 ? (
        <Text>{t('service.queue.none')}</Text>
      ) : (
        <ScrollTable label={t('service.queue.title')} minWidth={1000}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('service.fields.maintenanceNumber')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.product')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.customer')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.mode')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.state')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.dueOn')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.commitment')}</Table.Th>
                <Table.Th scope="col">{t('work.owner.column')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {open.map((order) => (
                <Table.Tr key={order.id}>
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/repairs/${order.id}`} fw={700} ff="monospace">
                      {order.maintenanceNumber}
                    </Anchor>
                  </Table.Th>
                  <Table.Td>{order.product.name[lang]}</Table.Td>
                  <Table.Td>{order.customer.name}</Table.Td>
                  <Table.Td>{t(`service.modeShort.${order.mode}`)}</Table.Td>
                  <Table.Td>
                    <OrderStateBadge state={order.state} />
                  </Table.Td>
                  <Table.Td>
                    <DateText date={order.dueOn} />
                  </Table.Td>
                  <Table.Td>
                    <CommitmentBadge status={order.commitment.status} />
                  </Table.Td>
                  <Table.Td>{order.owner?.name ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}
