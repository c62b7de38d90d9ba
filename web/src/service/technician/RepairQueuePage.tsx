import { NativeSelect, Stack, Switch } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { maintenanceOrderSchema } from '../../../../src/http/maintenance/schemas.js';
import { type ListColumn, ListTable, RowLink, useFilterParams } from '../../components/ListTable.js';
import { CommitmentBadge, DateText, OrderStateBadge, PageHeading, useLanguages } from '../common.js';
import type { MaintenanceOrder } from '../service-api.js';

const views = ['open', 'finished', 'all'] as const;
type View = (typeof views)[number];
const isView = (v: string | null): v is View => (views as readonly (string | null)[]).includes(v);

/**
 * The center's queue, nearest deadline first (orders not received yet after them), a page at a time:
 * the open work by default, the returned and closed orders as its history.
 */
export function RepairQueuePage() {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const { params, setParam } = useFilterParams();
  const raw = params.get('view');
  const view: View = isView(raw) ? raw : 'open';
  const mine = params.get('owner') === 'me';
  const columns: ListColumn<MaintenanceOrder>[] = [
    {
      key: 'number',
      header: t('service.fields.maintenanceNumber'),
      sort: 'maintenanceNumber',
      rowHeader: true,
      cell: (o) => <RowLink to={`/repairs/${o.id}`}>{o.maintenanceNumber}</RowLink>,
    },
    { key: 'product', header: t('service.fields.product'), cell: (o) => o.product.name[lang] },
    { key: 'customer', header: t('service.fields.customer'), cell: (o) => o.customer.name },
    { key: 'mode', header: t('service.fields.mode'), cell: (o) => t(`service.modeShort.${o.mode}`) },
    {
      key: 'state',
      header: t('service.fields.state'),
      sort: 'state',
      cell: (o) => <OrderStateBadge state={o.state} />,
    },
    {
      key: 'due',
      header: t('service.fields.dueOn'),
      sort: 'dueOn',
      cell: (o) => <DateText date={o.dueOn} />,
    },
    {
      key: 'commitment',
      header: t('service.fields.commitment'),
      cell: (o) => <CommitmentBadge status={o.commitment.status} />,
    },
    { key: 'owner', header: t('work.owner.column'), cell: (o) => o.owner?.name ?? '—' },
  ];
  return (
    <Stack gap="lg">
      <PageHeading title={t('service.queue.title')} intro={t('service.queue.intro')} />
      <ListTable
        label={t('service.queue.title')}
        path="/api/v1/maintenance-orders"
        item={maintenanceOrderSchema}
        rowKey={(o) => o.id}
        columns={columns}
        params={{
          open: view === 'open' ? 'true' : undefined,
          finished: view === 'finished' ? 'true' : undefined,
          owner: mine ? 'me' : undefined,
        }}
        defaultSort="dueOn"
        defaultOrder="asc"
        empty={view === 'open' ? t('service.queue.none') : t('service.queue.noneHere')}
        minWidth={1000}
        filters={
          <>
            <NativeSelect
              label={t('service.queue.view')}
              value={view}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setParam('view', value === 'open' ? '' : value);
              }}
              data={views.map((v) => ({ value: v, label: t(`service.queue.views.${v}`) }))}
            />
            <Switch
              label={t('work.owner.mine')}
              checked={mine}
              onChange={(e) => {
                setParam('owner', e.currentTarget.checked ? 'me' : '');
              }}
            />
          </>
        }
      />
    </Stack>
  );
}
