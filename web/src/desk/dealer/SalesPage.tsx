import { Button, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ToneBadge } from '../../components/Badges.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { type Purchase, purchasesQuery } from '../desk-api.js';
import { formatDate } from '../../format.js';
import { Day, PageHeader, ProductCell, VerificationBadge } from '../ui.js';

function WarrantyCell({ warranty }: { warranty: Purchase['warranty'] }) {
  const { t, i18n } = useTranslation();
  if (!warranty) return <Text size="sm">{t('desk.dealerSales.noPolicy')}</Text>;
  return (
    <div>
      <ToneBadge tone={warranty.paid ? 'gray' : 'teal'}>{t(`window.${warranty.window}`)}</ToneBadge>
      <Text size="xs" c="dark.6" mt={4}>
        {t(
          warranty.window === 'expired' ? 'desk.dealerSales.warrantyEnded' : 'desk.dealerSales.warrantyEnds',
          {
            date: formatDate(warranty.warrantyEndsOn, i18n.language),
          },
        )}
      </Text>
    </div>
  );
}

/** A refunded sale: the buyer has their money back, and the warranty ended with it. */
function RefundedCell({ day }: { day: string }) {
  const { t, i18n } = useTranslation();
  return (
    <div>
      <ToneBadge tone="red">{t('desk.dealerSales.refunded')}</ToneBadge>
      <Text size="xs" c="dark.6" mt={4}>
        {t('desk.dealerSales.refundedOn', { date: formatDate(day, i18n.language) })}
      </Text>
    </div>
  );
}

/** A dealer's recorded sales, newest first, with where each stands under the warranty today. */
export default function SalesPage() {
  const { t } = useTranslation();
  const sales = useQuery(purchasesQuery);
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('desk.dealerSales.title')}
        intro={t('desk.dealerSales.intro')}
        action={
          <Button component={Link} to="/desk/dealer/record">
            {t('desk.dealer.nav.record')}
          </Button>
        }
      />
      {sales.isPending ? (
        <PageLoader />
      ) : sales.isError ? (
        <LoadError error={sales.error} onRetry={() => void sales.refetch()} />
      ) : sales.data.length === 0 ? (
        <Text c="dimmed">{t('desk.dealerSales.none')}</Text>
      ) : (
        <ScrollTable label={t('desk.dealerSales.title')} minWidth={820}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.fields.product')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.purchaseDate')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.buyer')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.warranty')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sales.data.map((sale) => (
                <Table.Tr key={sale.id}>
                  <Table.Td>
                    <ProductCell product={sale.product} serial={sale.serial} />
                    <VerificationBadge state={sale.verification.state} />
                  </Table.Td>
                  <Table.Td>
                    <Day date={sale.purchaseDate} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {sale.buyer.name ?? '—'}
                    </Text>
                    <Text size="xs" c="dark.6">
                      {[sale.buyer.email, sale.buyer.phone].filter(Boolean).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {sale.refundedOn ? (
                      <RefundedCell day={sale.refundedOn} />
                    ) : (
                      <WarrantyCell warranty={sale.warranty} />
                    )}
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
