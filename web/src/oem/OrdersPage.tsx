import { Anchor, Button, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ScrollTable } from '../components/ScrollTable.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { Day, PageHeader, ProductCell } from '../desk/ui.js';
import { ordersQuery } from './oem-api.js';
import { oemStaff, orderCreators, OrderStateBadge, SpareRate, Units, useHasRole } from './ui.js';

/** The client's OEM orders, newest first: quantity, spares, delivery and lots; staff see every client's. */
export default function OrdersPage() {
  const { t } = useTranslation();
  const orders = useQuery(ordersQuery);
  const staff = useHasRole(oemStaff);
  const mayCreate = useHasRole(orderCreators);
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
      {orders.isPending ? (
        <PageLoader />
      ) : orders.isError ? (
        <LoadError error={orders.error} onRetry={() => void orders.refetch()} />
      ) : orders.data.length === 0 ? (
        <Text c="dimmed">{t('oem.orders.none')}</Text>
      ) : (
        <ScrollTable label={t('oem.orders.title')} minWidth={staff ? 960 : 820}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('oem.fields.orderNumber')}</Table.Th>
                {staff && <Table.Th scope="col">{t('oem.fields.client')}</Table.Th>}
                <Table.Th scope="col">{t('oem.fields.product')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('oem.fields.quantity')}
                </Table.Th>
                <Table.Th scope="col">{t('oem.fields.state')}</Table.Th>
                <Table.Th scope="col">{t('oem.fields.spares')}</Table.Th>
                <Table.Th scope="col">{t('oem.fields.deliveryDate')}</Table.Th>
                <Table.Th scope="col">{t('oem.fields.lots')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {orders.data.map((order) => (
                <Table.Tr key={order.id}>
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/oem/orders/${order.id}`} ff="monospace" size="sm">
                      {order.orderNumber}
                    </Anchor>
                  </Table.Th>
                  {staff && (
                    <Table.Td>
                      <Text size="sm">{order.client.name}</Text>
                    </Table.Td>
                  )}
                  <Table.Td>
                    <ProductCell product={order.product} serial={null} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Units count={order.quantity} />
                  </Table.Td>
                  <Table.Td>
                    <OrderStateBadge state={order.state} />
                  </Table.Td>
                  <Table.Td>
                    {order.state === 'confirmed' ? (
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
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Day date={order.deliveryDate} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {order.lots.map((l) => l.lot).join(', ')}
                    </Text>
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
