import { NativeSelect, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { quoteStates } from '../../../../src/domain/paid-service/quote.js';
import { quoteSchema } from '../../../../src/http/paid-service/schemas.js';
import {
  type ListColumn,
  ListTable,
  pageSizeOf,
  RowLink,
  useFilterParams,
} from '../../components/ListTable.js';
import { serviceCentersQuery } from '../../parties.js';
import type { Quote } from '../desk-api.js';
import { Amount, DayOf, PageHeader, useApiLanguage } from '../ui.js';
import { QuoteStateBadge } from './quote-ui.js';

/**
 * Every quote, newest first, a page at a time: filtered by status, center, the days it was created and
 * "waiting for an answer" in the address so a filtered list can be shared; sorted by its headers,
 * searched (invoice or maintenance number, serial, customer), exported as CSV.
 */
export default function QuotesPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const { params, filter, setParam } = useFilterParams();
  const centers = useQuery(serviceCentersQuery);
  const toCall = params.get('toCall') === 'true';

  const columns: ListColumn<Quote>[] = [
    {
      key: 'customer',
      header: t('desk.fields.customer'),
      rowHeader: true,
      cell: (quote) => (
        <>
          <RowLink to={`/desk/sales/quotes/${quote.id}`}>{quote.customer.name}</RowLink>
          <Text size="xs" c="dark.6">
            {quote.maintenanceNumber ?? quote.customer.phone ?? quote.customer.email ?? ''}
          </Text>
        </>
      ),
    },
    {
      key: 'created',
      header: t('desk.fields.createdOn'),
      sort: 'createdAt',
      cell: (quote) => <DayOf at={quote.createdAt} />,
    },
    {
      key: 'sent',
      header: t('desk.quotes.sentOn'),
      sort: 'sentAt',
      cell: (quote) => <DayOf at={quote.sentAt} />,
    },
    {
      key: 'total',
      header: t('desk.fields.total'),
      sort: 'total',
      cell: (quote) => <Amount money={quote.total} />,
    },
    {
      key: 'state',
      header: t('desk.fields.state'),
      sort: 'state',
      cell: (quote) => <QuoteStateBadge state={quote.state} />,
    },
    {
      key: 'invoice',
      header: t('desk.fields.invoiceNumber'),
      cell: (quote) => (
        <Text size="sm" className="nowrap">
          {quote.invoiceNumber ?? '—'}
        </Text>
      ),
    },
  ];

  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.quotes.title')} intro={t('desk.quotes.intro')} />
      <ListTable
        label={t('desk.quotes.title')}
        path="/api/v1/quotes"
        item={quoteSchema}
        rowKey={(q) => q.id}
        columns={columns}
        params={{
          state: filter('state'),
          toCall: toCall ? 'true' : undefined,
          serviceCenterId: filter('center'),
          from: filter('from'),
          to: filter('to'),
        }}
        defaultSort="createdAt"
        defaultOrder="desc"
        empty={t('desk.quotes.none')}
        pageSize={pageSizeOf(params.get('per'))}
        minWidth={900}
        filters={
          <>
            <NativeSelect
              label={t('desk.fields.state')}
              value={filter('state')}
              onChange={(e) => {
                setParam('state', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('desk.quotes.anyState') },
                ...quoteStates.map((s) => ({ value: s, label: t(`desk.quoteState.${s}`) })),
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
            <TextInput
              type="date"
              label={t('desk.quotes.from')}
              value={filter('from')}
              onChange={(e) => {
                setParam('from', e.currentTarget.value);
              }}
            />
            <TextInput
              type="date"
              label={t('desk.quotes.to')}
              value={filter('to')}
              onChange={(e) => {
                setParam('to', e.currentTarget.value);
              }}
            />
            <Switch
              label={t('desk.quotes.toCall')}
              checked={toCall}
              onChange={(e) => {
                setParam('toCall', e.currentTarget.checked ? 'true' : '');
              }}
              mb={6}
            />
          </>
        }
      />
    </Stack>
  );
}
