import { Anchor, Button, NativeSelect, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { oemOrderStates } from '../../../src/domain/oem/order-state.js';
import { oemOrderSummarySchema } from '../../../src/http/oem-orders/schemas.js';
import {
  DayRangeFilter,
  type ListColumn,
  ListTable,
  pageSizeOf,
  useFilterParams,
} from '../components/ListTable.js';
import { Day, PageHeader, ProductCell, useApiLanguage } from '../desk/ui.js';
import { oemClientsQuery } from '../parties.js';
import { productsQuery } from '../queries.js';
import type { OemOrderSummary } from './oem-api.js';
import { oemStaff, orderCreators, OrderStateBadge, SpareRate, Units, useHasRole } from './ui.js';

/**
 * The client's OEM orders (staff: every client's), newest first, a page at a time: quantity, spares,
 * delivery and lots; filtered by state, client, product and order days in the address, sorted by its
 * headers, searched, exported as CSV.
 */
export default function OrdersPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const staff = useHasRole(oemStaff);
  const mayCreate = useHasRole(orderCreators);
  const { params, filter, setParam } = useFilterParams();
  const products = useQuery(productsQuery);
  const clients = useQuery({ ...oemClientsQuery, enabled: staff });

  const columns: ListColumn<OemOrderSummary>[] = [
    {
      key: 'number',
      header: t('oem.fields.orderNumber'),
      sort: 'orderNumber',
      rowHeader: true,
      cell: (order) => (
        <Anchor component={Link} to={`/oem/orders/${order.id}`} ff="monospace" size="sm">
          {order.orderNumber}
        </Anchor>
      ),
    },
    ...(staff
      ? [
          {
            key: 'client',
            header: t('oem.fields.client'),
            cell: (order: OemOrderSummary) => <Text size="sm">{order.client.name}</Text>,
          },
        ]
      : []),
    {
      key: 'product',
      header: t('oem.fields.product'),
      cell: (order) => <ProductCell product={order.product} serial={null} />,
    },
    {
      key: 'quantity',
      header: t('oem.fields.quantity'),
      cell: (order) => <Units count={order.quantity} />,
    },
    {
      key: 'state',
      header: t('oem.fields.state'),
      cell: (order) => <OrderStateBadge state={order.state} />,
    },
    {
      key: 'spares',
      header: t('oem.fields.spares'),
      cell: (order) =>
        order.state === 'confirmed' ? (
          <>
            <Text size="sm" fw={600}>
              <Units count={order.spareUnits} />
            </Text>
            <Text size="xs" c="dark.6">
              <SpareRate bps={order.spareRateBps} />
            </Text>
          </>
        ) : (
          '—'
        ),
    },
    {
      key: 'orderedOn',
      header: t('oem.orders.orderedOn'),
      sort: 'orderedOn',
      cell: (order) => <Day date={order.orderedOn} />,
    },
    {
      key: 'delivery',
      header: t('oem.fields.deliveryDate'),
      sort: 'deliveryDate',
      cell: (order) => <Day date={order.deliveryDate} />,
    },
    {
      key: 'lots',
      header: t('oem.fields.lots'),
      cell: (order) => (
        <Text size="sm" ff="monospace">
          {order.lots.map((l) => l.lot).join(', ') || '—'}
        </Text>
      ),
    },
  ];

  return (
    <Stack gap="lg">
      <PageHeader
        title={t('oem.orders.title')}
        intro={t(staff ? 'oem.orders.introStaff' : 'oem.orders.intro')}
        action={
          mayCreate && (
            <Button component={Link} to="/oem/new-order">
              {t('oem.portal.nav.newOrder')}
            </Button>
          )
        }
      />
      <ListTable
        label={t('oem.orders.title')}
        path="/api/v1/oem-orders"
        item={oemOrderSummarySchema}
        rowKey={(o) => o.id}
        columns={columns}
        params={{
          state: filter('state'),
          clientId: staff ? filter('clientId') : undefined,
          sku: filter('sku'),
          from: filter('from'),
          to: filter('to'),
        }}
        defaultSort="createdAt"
        defaultOrder="desc"
        empty={t('oem.orders.none')}
        pageSize={pageSizeOf(params.get('per'))}
        minWidth={staff ? 1120 : 980}
        filters={
          <>
            <NativeSelect
              label={t('oem.fields.state')}
              value={filter('state')}
              onChange={(e) => {
                setParam('state', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('list.anyState') },
                ...oemOrderStates.map((s) => ({ value: s, label: t(`oem.orderState.${s}`) })),
              ]}
            />
            {staff && (
              <NativeSelect
                label={t('oem.fields.client')}
                value={filter('clientId')}
                onChange={(e) => {
                  setParam('clientId', e.currentTarget.value);
                }}
                data={[
                  { value: '', label: t('list.anyClient') },
                  ...(clients.data ?? []).map((c) => ({ value: c.id, label: c.name })),
                ]}
              />
            )}
            <NativeSelect
              label={t('oem.fields.product')}
              value={filter('sku')}
              onChange={(e) => {
                setParam('sku', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('list.anyProduct') },
                ...(products.data ?? []).map((p) => ({ value: p.sku, label: `${p.sku} · ${p.name[lang]}` })),
              ]}
            />
            <DayRangeFilter
              filter={filter}
              setParam={setParam}
              fromLabel={t('oem.orders.orderedFrom')}
              toLabel={t('oem.orders.orderedTo')}
            />
          </>
        }
      />
    </Stack>
  );
}
