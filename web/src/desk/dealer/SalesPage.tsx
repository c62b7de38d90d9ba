import { Button, NativeSelect, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { verificationStates } from '../../../../src/domain/purchases/verification.js';
import { purchaseSchema } from '../../../../src/http/purchases/schemas.js';
import { ToneBadge } from '../../components/Badges.js';
import {
  DayRangeFilter,
  type ListColumn,
  ListTable,
  pageSizeOf,
  useFilterParams,
} from '../../components/ListTable.js';
import { formatDate } from '../../format.js';
import { dealerName, dealersQuery } from '../../parties.js';
import { productsQuery } from '../../queries.js';
import type { Purchase } from '../desk-api.js';
import { Day, DayOf, PageHeader, ProductCell, useApiLanguage, VerificationBadge } from '../ui.js';

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

/**
 * A dealer's recorded sales (support: every purchase), newest purchase first, a page at a time, with
 * where each stands under the warranty today: filtered by check, product, dealer and purchase days in
 * the address, sorted by its headers, searched, exported as CSV.
 */
export default function SalesPage({ staff = false }: { staff?: boolean }) {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const { params, filter, setParam } = useFilterParams();
  const products = useQuery(productsQuery);
  const dealers = useQuery({ ...dealersQuery, enabled: staff });

  const columns: ListColumn<Purchase>[] = [
    {
      key: 'product',
      header: t('desk.fields.product'),
      rowHeader: true,
      cell: (sale) => (
        <>
          <ProductCell product={sale.product} serial={sale.serial} />
          <VerificationBadge state={sale.verification.state} />
        </>
      ),
    },
    {
      key: 'purchaseDate',
      header: t('desk.fields.purchaseDate'),
      sort: 'purchaseDate',
      cell: (sale) => <Day date={sale.purchaseDate} />,
    },
    ...(staff
      ? [
          {
            key: 'dealer',
            header: t('desk.fields.dealer'),
            cell: (sale: Purchase) => (
              <Text size="sm">{sale.dealer ? dealerName(sale.dealer, lang) : '—'}</Text>
            ),
          },
        ]
      : []),
    {
      key: 'buyer',
      header: t('desk.fields.buyer'),
      cell: (sale) => (
        <>
          <Text size="sm" fw={600}>
            {sale.buyer.name ?? '—'}
          </Text>
          <Text size="xs" c="dark.6">
            {[sale.buyer.email, sale.buyer.phone].filter(Boolean).join(' · ')}
          </Text>
        </>
      ),
    },
    {
      key: 'warranty',
      header: t('desk.fields.warranty'),
      cell: (sale) =>
        sale.refundedOn ? <RefundedCell day={sale.refundedOn} /> : <WarrantyCell warranty={sale.warranty} />,
    },
    {
      key: 'recorded',
      header: t('desk.fields.createdOn'),
      sort: 'createdAt',
      cell: (sale) => <DayOf at={sale.createdAt} />,
    },
  ];

  const title = t(staff ? 'desk.dealerSales.staffTitle' : 'desk.dealerSales.title');
  return (
    <Stack gap="lg">
      <PageHeader
        title={title}
        intro={t(staff ? 'desk.dealerSales.staffIntro' : 'desk.dealerSales.intro')}
        action={
          !staff && (
            <Button component={Link} to="/desk/dealer/record">
              {t('desk.dealer.nav.record')}
            </Button>
          )
        }
      />
      <ListTable
        label={title}
        path="/api/v1/purchases"
        item={purchaseSchema}
        rowKey={(p) => p.id}
        columns={columns}
        params={{
          verification: filter('verification'),
          sku: filter('sku'),
          dealerId: staff ? filter('dealerId') : undefined,
          from: filter('from'),
          to: filter('to'),
        }}
        defaultSort="purchaseDate"
        defaultOrder="desc"
        empty={t('desk.dealerSales.none')}
        pageSize={pageSizeOf(params.get('per'))}
        minWidth={staff ? 1080 : 900}
        filters={
          <>
            <NativeSelect
              label={t('desk.dealerSales.verification')}
              value={filter('verification')}
              onChange={(e) => {
                setParam('verification', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('desk.dealerSales.anyVerification') },
                ...verificationStates.map((v) => ({
                  value: v,
                  label: t(`desk.dealerSales.verificationState.${v}`),
                })),
              ]}
            />
            <NativeSelect
              label={t('desk.fields.product')}
              value={filter('sku')}
              onChange={(e) => {
                setParam('sku', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('list.anyProduct') },
                ...(products.data ?? []).map((p) => ({ value: p.sku, label: `${p.sku} · ${p.name[lang]}` })),
              ]}
            />
            {staff && (
              <NativeSelect
                label={t('desk.fields.dealer')}
                value={filter('dealerId')}
                onChange={(e) => {
                  setParam('dealerId', e.currentTarget.value);
                }}
                data={[
                  { value: '', label: t('list.anyDealer') },
                  ...(dealers.data ?? []).map((d) => ({ value: d.id, label: dealerName(d, lang) })),
                ]}
              />
            )}
            <DayRangeFilter
              filter={filter}
              setParam={setParam}
              fromLabel={t('desk.dealerSales.boughtFrom')}
              toLabel={t('desk.dealerSales.boughtTo')}
            />
          </>
        }
      />
    </Stack>
  );
}
