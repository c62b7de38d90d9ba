import { NativeSelect, Stack, Switch, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { slaFilterValues } from '../../../../src/app/lists/sorts.js';
import { maintenanceStates } from '../../../../src/domain/maintenance/state-machine.js';
import { maintenanceOrderSchema } from '../../../../src/http/maintenance/schemas.js';
import {
  type ListColumn,
  ListTable,
  pageSizeOf,
  RowLink,
  useFilterParams,
} from '../../components/ListTable.js';
import { serviceCentersQuery } from '../../parties.js';
import type { MaintenanceOrder } from '../desk-api.js';
import { CommitmentBadge, Day, PageHeader, useApiLanguage } from '../ui.js';

const ages = ['', '3', '7', '14', '30'] as const;

/**
 * Support's maintenance-order queue across every center: filtered by state, center, where the service
 * commitment stands, age and product; each order opens on its page, where support moves it as the
 * access table allows.
 */
export default function OrdersPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const { params, filter, setParam } = useFilterParams();
  const centers = useQuery(serviceCentersQuery);
  const mine = params.get('owner') === 'me';
  const view = filter('view') || 'open';

  const columns: ListColumn<MaintenanceOrder>[] = [
    {
      key: 'number',
      header: t('desk.fields.maintenanceNumber'),
      sort: 'maintenanceNumber',
      rowHeader: true,
      cell: (o) => (
        <>
          <RowLink to={`/desk/support/orders/${o.id}`}>{o.maintenanceNumber}</RowLink>
          <Text size="xs" c="dark.6">
            {o.product.name[lang]}
          </Text>
        </>
      ),
    },
    {
      key: 'due',
      header: t('desk.fields.dueOn'),
      sort: 'dueOn',
      cell: (o) => (
        <>
          <Day date={o.commitment.dueOn} />
          <div>
            <CommitmentBadge status={o.commitment.status} />
          </div>
        </>
      ),
    },
    {
      key: 'state',
      header: t('desk.fields.orderState'),
      sort: 'state',
      cell: (o) => <Text size="sm">{t(`desk.orderState.${o.state}`)}</Text>,
    },
    {
      key: 'center',
      header: t('desk.fields.serviceCenter'),
      cell: (o) => (
        <>
          <Text size="sm">{o.serviceCenter.name[lang]}</Text>
          <Text size="xs" c="dark.6">
            {o.serviceCenter.phone}
          </Text>
        </>
      ),
    },
    {
      key: 'customer',
      header: t('desk.fields.customer'),
      cell: (o) => (
        <>
          <Text size="sm">{o.customer.name}</Text>
          <Text size="xs" c="dark.6">
            {o.customer.phone ?? o.customer.email ?? ''}
          </Text>
        </>
      ),
    },
    {
      key: 'created',
      header: t('desk.fields.createdOn'),
      sort: 'createdAt',
      cell: (o) => <Day date={o.createdAt.slice(0, 10)} />,
    },
    {
      key: 'owner',
      header: t('work.owner.column'),
      cell: (o) => <Text size="sm">{o.owner?.name ?? '—'}</Text>,
    },
  ];

  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.orders.title')} intro={t('desk.orders.intro')} />
      <ListTable
        label={t('desk.orders.title')}
        path="/api/v1/maintenance-orders"
        item={maintenanceOrderSchema}
        rowKey={(o) => o.id}
        columns={columns}
        params={{
          open: view === 'open' ? 'true' : undefined,
          finished: view === 'finished' ? 'true' : undefined,
          state: filter('state'),
          serviceCenterId: filter('center'),
          sla: filter('sla'),
          minAgeDays: filter('age'),
          owner: mine ? 'me' : undefined,
        }}
        defaultSort="dueOn"
        defaultOrder="asc"
        empty={t('desk.orders.none')}
        pageSize={pageSizeOf(params.get('per'))}
        minWidth={1080}
        filters={
          <>
            <NativeSelect
              label={t('desk.orders.view')}
              value={view}
              onChange={(e) => {
                setParam('view', e.currentTarget.value === 'open' ? '' : e.currentTarget.value);
              }}
              data={(['open', 'finished', 'all'] as const).map((v) => ({
                value: v,
                label: t(`desk.orders.views.${v}`),
              }))}
            />
            <NativeSelect
              label={t('desk.fields.orderState')}
              value={filter('state')}
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
              value={filter('center')}
              onChange={(e) => {
                setParam('center', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('desk.escalations.anyCenter') },
                ...(centers.data ?? []).map((c) => ({
                  value: c.id,
                  label: lang === 'zh' ? c.nameZh : c.nameEn,
                })),
              ]}
            />
            <NativeSelect
              label={t('desk.orders.sla')}
              value={filter('sla')}
              onChange={(e) => {
                setParam('sla', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('desk.orders.anySla') },
                ...slaFilterValues.map((s) => ({ value: s, label: t(`desk.commitment.${s}`) })),
              ]}
            />
            <NativeSelect
              label={t('desk.orders.age')}
              value={filter('age')}
              onChange={(e) => {
                setParam('age', e.currentTarget.value);
              }}
              data={ages.map((a) => ({
                value: a,
                label: a ? t('desk.orders.olderThan', { count: Number(a) }) : t('desk.orders.anyAge'),
              }))}
            />
            <Switch
              label={t('work.owner.mine')}
              checked={mine}
              onChange={(e) => {
                setParam('owner', e.currentTarget.checked ? 'me' : '');
              }}
              mb={6}
            />
          </>
        }
      />
    </Stack>
  );
}
