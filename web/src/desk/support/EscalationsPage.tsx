import { Anchor, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { maintenanceStates } from '../../../../src/domain/maintenance/state-machine.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { serviceCentersQuery } from '../../parties.js';
import { type MaintenanceOrder, maintenanceOrdersQuery } from '../desk-api.js';
import { CommitmentBadge, Day, PageHeader, useApiLanguage } from '../ui.js';

const urgencies = ['all', 'missed', 'due_soon'] as const;
type Urgency = (typeof urgencies)[number];

const isUrgency = (v: string | null): v is Urgency => (urgencies as readonly (string | null)[]).includes(v);
const isState = (v: string | null): v is MaintenanceOrder['state'] =>
  (maintenanceStates as readonly (string | null)[]).includes(v);

/** Missed first, then the nearest deadline: what needs a call today is at the top. */
function byDeadline(a: MaintenanceOrder, b: MaintenanceOrder): number {
  const missed = Number(b.commitment.status === 'missed') - Number(a.commitment.status === 'missed');
  if (missed !== 0) return missed;
  return (a.commitment.dueOn ?? '9999').localeCompare(b.commitment.dueOn ?? '9999');
}

/**
 * Maintenance orders whose service commitment is due soon or already missed, across every center:
 * support calls the center (or the customer) before the promise is broken, or to mend it.
 */
export default function EscalationsPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const [params, setParams] = useSearchParams();
  const urgencyParam = params.get('urgency');
  const urgency: Urgency = isUrgency(urgencyParam) ? urgencyParam : 'all';
  const stateParam = params.get('state');
  const state = isState(stateParam) ? stateParam : undefined;
  const serviceCenterId = params.get('center') ?? undefined;
  // Both in parallel: the centers name the filter, the orders do not wait for them.
  const centers = useQuery(serviceCentersQuery);
  const orders = useQuery({
    ...maintenanceOrdersQuery({ state, serviceCenterId, open: true }),
    select: (rows) =>
      rows
        .filter((o) =>
          urgency === 'all'
            ? o.commitment.status === 'missed' || o.commitment.status === 'due_soon'
            : o.commitment.status === urgency,
        )
        .sort(byDeadline),
  });

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.escalations.title')} intro={t('desk.escalations.intro')} />
      <Group gap="md" align="flex-end" role="group" aria-label={t('desk.escalations.filters')}>
        <NativeSelect
          label={t('desk.escalations.urgency')}
          value={urgency}
          onChange={(e) => {
            setParam('urgency', e.currentTarget.value === 'all' ? '' : e.currentTarget.value);
          }}
          data={urgencies.map((u) => ({ value: u, label: t(`desk.escalations.urgencies.${u}`) }))}
        />
        <NativeSelect
          label={t('desk.fields.orderState')}
          value={state ?? ''}
          onChange={(e) => {
            setParam('state', e.currentTarget.value);
          }}
          data={[
            { value: '', label: t('desk.escalations.anyState') },
            ...maintenanceStates.map((s) => ({ value: s, label: t(`desk.orderState.${s}`) })),
          ]}
        />
        <NativeSelect
          label={t('desk.fields.serviceCenter')}
          value={serviceCenterId ?? ''}
          onChange={(e) => {
            setParam('center', e.currentTarget.value);
          }}
          data={[
            { value: '', label: t('desk.escalations.anyCenter') },
            ...(centers.data ?? []).map((c) => ({ value: c.id, label: lang === 'zh' ? c.nameZh : c.nameEn })),
          ]}
        />
      </Group>
      {orders.isPending ? (
        <PageLoader />
      ) : orders.isError ? (
        <LoadError error={orders.error} onRetry={() => void orders.refetch()} />
      ) : orders.data.length === 0 ? (
        <Text c="dimmed">{t('desk.escalations.none')}</Text>
      ) : (
        <ScrollTable label={t('desk.escalations.title')} minWidth={900}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.fields.maintenanceNumber')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.dueOn')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.serviceCenter')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.customer')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.orderState')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {orders.data.map((order) => (
                <Table.Tr key={order.id}>
                  <Table.Th scope="row">
                    <Anchor
                      component={Link}
                      to={`/desk/support/orders/${order.id}`}
                      size="sm"
                      className="nowrap"
                    >
                      {order.maintenanceNumber}
                    </Anchor>
                    <Text size="xs" c="dark.6">
                      {order.product.name[lang]}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    <Day date={order.commitment.dueOn} />
                    <div>
                      <CommitmentBadge status={order.commitment.status} />
                    </div>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{order.serviceCenter.name[lang]}</Text>
                    <Text size="xs" c="dark.6">
                      {order.serviceCenter.phone}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{order.customer.name}</Text>
                    <Text size="xs" c="dark.6">
                      {[order.customer.phone, order.customer.email].filter(Boolean).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`desk.orderState.${order.state}`)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}
