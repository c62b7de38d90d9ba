import { Anchor, Button, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { quoteSchema } from '../../../../src/http/paid-service/schemas.js';
import { type ListColumn, ListTable, pageSizeOf, useFilterParams } from '../../components/ListTable.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { claimsQuery, maintenanceOrdersQuery, type Quote, quotesQuery } from '../desk-api.js';
import { serviceCentersQuery } from '../../parties.js';
import { useMe } from '../../session.js';
import { Amount, ClaimStatusBadge, Day, DayOf, PageHeader, ProductCell, useApiLanguage } from '../ui.js';
import { offersPaidService, QuoteStateBadge } from './quote-ui.js';

/** The newest quote of each claim. */
function latestQuotes(quotes: readonly Quote[]): Map<string, Quote> {
  const byClaim = new Map<string, Quote>();
  for (const quote of quotes) {
    const known = byClaim.get(quote.claimId);
    if (!known || known.createdAt < quote.createdAt) byClaim.set(quote.claimId, quote);
  }
  return byClaim;
}

/**
 * Maintenance orders whose inspection found misuse. Only roles that may read maintenance orders see them
 * (the sales role may not, by the permission table); their claims are quoted from the list above.
 */
function PaidServiceOrders() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const me = useMe();
  const mayRead = me.data?.role === 'admin' || me.data?.role === 'support';
  const orders = useQuery({ ...maintenanceOrdersQuery({ state: 'paidService' }), enabled: mayRead });
  if (!mayRead) return null;
  return (
    <Stack gap="sm" component="section" aria-labelledby="paid-orders-title">
      <Title order={2} size="h3" id="paid-orders-title">
        {t('desk.paid.ordersTitle')}
      </Title>
      {orders.isPending ? (
        <PageLoader />
      ) : orders.isError ? (
        <LoadError error={orders.error} onRetry={() => void orders.refetch()} />
      ) : orders.data.length === 0 ? (
        <Text c="dimmed">{t('desk.paid.noOrders')}</Text>
      ) : (
        <ScrollTable label={t('desk.paid.ordersTitle')} minWidth={640}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.fields.maintenanceNumber')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.serviceCenter')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.diagnosis')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.quote')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {orders.data.map((order) => (
                <Table.Tr key={order.id}>
                  <Table.Th scope="row">
                    <Text size="sm" fw={600}>
                      {order.maintenanceNumber}
                    </Text>
                    <Text size="xs" c="dark.6">
                      {order.product.name[lang]}
                    </Text>
                  </Table.Th>
                  <Table.Td>{order.serviceCenter.name[lang]}</Table.Td>
                  <Table.Td>{order.diagnosis ?? '—'}</Table.Td>
                  <Table.Td>
                    <Button
                      component={Link}
                      to={`/desk/sales/quotes/new?claim=${order.claimId}&order=${order.id}`}
                      size="compact-sm"
                      variant="default"
                      aria-label={t('desk.quotes.createNamed', { product: order.maintenanceNumber })}
                    >
                      {t('desk.quotes.create')}
                    </Button>
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

/**
 * Quotes sent and not yet answered, longest waiting first, a page at a time: whom to call (name and
 * phone) and for how much, by center (in the address). Sales record the answer on the quote's page.
 */
function QuotesToCall() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const { params, filter, setParam } = useFilterParams();
  const centers = useQuery(serviceCentersQuery);
  const columns: ListColumn<Quote>[] = [
    {
      key: 'customer',
      header: t('desk.fields.customer'),
      rowHeader: true,
      cell: (quote) => (
        <>
          <Text size="sm" fw={600}>
            {quote.customer.name}
          </Text>
          {quote.maintenanceNumber && (
            <Text size="xs" c="dark.6">
              {quote.maintenanceNumber}
            </Text>
          )}
        </>
      ),
    },
    {
      key: 'phone',
      header: t('desk.fields.phone'),
      cell: (quote) =>
        quote.customer.phone ? (
          <Anchor href={`tel:${quote.customer.phone}`} size="sm">
            {quote.customer.phone}
            <span className="visually-hidden"> ({t('desk.paid.call', { name: quote.customer.name })})</span>
          </Anchor>
        ) : (
          <Text size="sm">{quote.customer.email ?? '—'}</Text>
        ),
    },
    {
      key: 'sent',
      header: t('desk.paid.sentOn'),
      sort: 'sentAt',
      cell: (quote) => <DayOf at={quote.sentAt} />,
    },
    {
      key: 'quote',
      header: t('desk.fields.quote'),
      sort: 'total',
      cell: (quote) => (
        <Anchor component={Link} to={`/desk/sales/quotes/${quote.id}`} size="sm">
          <Amount money={quote.total} />
          <span className="visually-hidden">
            {' '}
            {t('desk.paid.openQuoteOf', { name: quote.customer.name })}
          </span>
        </Anchor>
      ),
    },
  ];
  return (
    <Stack gap="sm" component="section" aria-labelledby="to-call-title">
      <Title order={2} size="h3" id="to-call-title">
        {t('desk.paid.toCallTitle')}
      </Title>
      <Text size="sm" c="dark.6">
        {t('desk.paid.toCallIntro')}
      </Text>
      <ListTable
        label={t('desk.paid.toCallTitle')}
        path="/api/v1/quotes"
        item={quoteSchema}
        rowKey={(q) => q.id}
        columns={columns}
        params={{ toCall: 'true', serviceCenterId: filter('center') }}
        defaultSort="sentAt"
        defaultOrder="asc"
        empty={t('desk.paid.toCallNone')}
        pageSize={pageSizeOf(params.get('per'))}
        minWidth={640}
        filters={
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
        }
      />
    </Stack>
  );
}

/** Claims offered paid service, each with its quote or a way to write one. */
export default function PaidServicePage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  // Both lists at once: the page joins them, neither waits for the other.
  const claims = useQuery({ ...claimsQuery(lang), select: (all) => all.filter(offersPaidService) });
  const quotes = useQuery({ ...quotesQuery, select: latestQuotes });
  const failed = claims.error ?? quotes.error;
  const latest = quotes.data;

  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.paid.title')} intro={t('desk.paid.intro')} />
      {failed ? (
        <LoadError
          error={failed}
          onRetry={() => {
            void claims.refetch();
            void quotes.refetch();
          }}
        />
      ) : !claims.data || !quotes.data ? (
        <PageLoader />
      ) : claims.data.length === 0 ? (
        <Text c="dimmed">{t('desk.paid.none')}</Text>
      ) : (
        <ScrollTable label={t('desk.paid.title')} minWidth={860}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.fields.product')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.reportedOn')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.why')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.status')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.quote')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {claims.data.map((claim) => {
                const quote = latest?.get(claim.id);
                const product = claim.product.name[lang];
                return (
                  <Table.Tr key={claim.id}>
                    <Table.Td>
                      <ProductCell product={claim.product} serial={claim.serial} />
                    </Table.Td>
                    <Table.Td>
                      <Day date={claim.reportedOn} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {claim.cause === 'human_damage'
                          ? t('desk.cause.human_damage')
                          : t(`window.${claim.decision.window}`)}
                      </Text>
                      <Text size="xs" c="dark.6">
                        {t('desk.decision.days', { count: claim.decision.daysSincePurchase })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ClaimStatusBadge status={claim.status} />
                    </Table.Td>
                    <Table.Td>
                      {quote ? (
                        <Stack gap={4} align="flex-start">
                          <Anchor component={Link} to={`/desk/sales/quotes/${quote.id}`} size="sm">
                            <Amount money={quote.total} />
                            <span className="visually-hidden">
                              {' '}
                              {t('desk.quotes.openNamed', { product })}
                            </span>
                          </Anchor>
                          <QuoteStateBadge state={quote.state} />
                        </Stack>
                      ) : (
                        <Button
                          component={Link}
                          to={`/desk/sales/quotes/new?claim=${claim.id}`}
                          size="compact-sm"
                          aria-label={t('desk.quotes.createNamed', { product })}
                        >
                          {t('desk.quotes.create')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <QuotesToCall />
      <PaidServiceOrders />
    </Stack>
  );
}
