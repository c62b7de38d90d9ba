import { Anchor, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { claimsQuery, quotesQuery } from '../desk-api.js';
import { Amount, DayOf, PageHeader, useApiLanguage } from '../ui.js';
import { QuoteStateBadge } from './quote-ui.js';

/** Every quote, newest first, named by the product of its claim. */
export default function QuotesPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const quotes = useQuery(quotesQuery);
  // The claims name the products; fetched beside the quotes, not after them.
  const claims = useQuery({
    ...claimsQuery(lang),
    select: (all) => new Map(all.map((c) => [c.id, c])),
  });
  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.quotes.title')} intro={t('desk.quotes.intro')} />
      {quotes.isPending ? (
        <PageLoader />
      ) : quotes.isError ? (
        <LoadError error={quotes.error} onRetry={() => void quotes.refetch()} />
      ) : quotes.data.length === 0 ? (
        <Text c="dimmed">{t('desk.quotes.none')}</Text>
      ) : (
        <ScrollTable label={t('desk.quotes.title')} minWidth={820}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.fields.product')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.createdOn')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.total')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.state')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.invoiceNumber')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {quotes.data.map((quote) => {
                const claim = claims.data?.get(quote.claimId);
                return (
                  <Table.Tr key={quote.id}>
                    <Table.Th scope="row">
                      <Anchor component={Link} to={`/desk/sales/quotes/${quote.id}`} size="sm" fw={600}>
                        {claim ? claim.product.name[lang] : t('desk.quotes.quote')}
                      </Anchor>
                      <Text size="xs" c="dark.6">
                        {claim?.serial ?? quote.maintenanceNumber ?? ''}
                      </Text>
                    </Table.Th>
                    <Table.Td>
                      <DayOf at={quote.createdAt} />
                    </Table.Td>
                    <Table.Td>
                      <Amount money={quote.total} />
                    </Table.Td>
                    <Table.Td>
                      <QuoteStateBadge state={quote.state} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" className="nowrap">
                        {quote.invoiceNumber ?? '—'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}
