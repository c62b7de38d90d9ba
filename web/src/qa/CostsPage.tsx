import {
  Button,
  Card,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollTable } from '../components/ScrollTable.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { Amount, Day, PageHeader } from '../desk/ui.js';
import { Units } from '../oem/ui.js';
import { type CostFilter, costCsvUrl, costLedgerQuery } from './qa-api.js';

function uniqueBy<T extends { id: string }>(rows: readonly T[]): T[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}

/**
 * The maker's cost ledger of batch defects (policy clause OEM 2: the maker bears the total cost): the
 * remade units and the air freight of every remake, totalled per client, product and lot, and the same
 * entries as a CSV file for accounting.
 */
export default function CostsPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<CostFilter>({});
  const [lot, setLot] = useState('');
  const ledger = useQuery(costLedgerQuery(filter));
  // The filters offer the clients and products that have costs at all.
  const all = useQuery(costLedgerQuery({}));
  const clients = uniqueBy((all.data?.totals ?? []).map((r) => r.client));
  const products = uniqueBy((all.data?.totals ?? []).map((r) => r.product));
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('oem.qa.costs.title')}
        intro={t('oem.qa.costs.intro')}
        action={
          <Button component="a" href={costCsvUrl(filter)} download="maker-costs.csv" variant="default">
            {t('oem.qa.costs.download')}
          </Button>
        }
      />
      <Card withBorder padding="md" component="section" aria-label={t('oem.qa.costs.filters')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setFilter({ ...filter, lot: lot.trim() || undefined });
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 4 }} spacing="md">
            <NativeSelect
              name="clientId"
              label={t('oem.fields.client')}
              value={filter.clientId ?? ''}
              onChange={(e) => {
                setFilter({ ...filter, clientId: e.currentTarget.value || undefined });
              }}
              data={[
                { value: '', label: t('oem.qa.costs.allClients') },
                ...clients.map((c) => ({ value: c.id, label: c.name })),
              ]}
            />
            <NativeSelect
              name="productId"
              label={t('oem.fields.product')}
              value={filter.productId ?? ''}
              onChange={(e) => {
                setFilter({ ...filter, productId: e.currentTarget.value || undefined });
              }}
              data={[
                { value: '', label: t('oem.qa.costs.allProducts') },
                ...products.map((p) => ({ value: p.id, label: p.sku })),
              ]}
            />
            <TextInput
              name="lot"
              label={t('oem.fields.lot')}
              value={lot}
              onChange={(e) => {
                setLot(e.currentTarget.value);
              }}
              autoComplete="off"
            />
            <Group align="flex-end">
              <Button type="submit" variant="default">
                {t('oem.qa.costs.apply')}
              </Button>
            </Group>
          </SimpleGrid>
        </form>
      </Card>
      {ledger.isPending ? (
        <PageLoader />
      ) : ledger.isError ? (
        <LoadError error={ledger.error} onRetry={() => void ledger.refetch()} />
      ) : ledger.data.entries.length === 0 ? (
        <Text c="dimmed">{t('oem.qa.costs.none')}</Text>
      ) : (
        <>
          <Card withBorder padding="lg" component="section" aria-labelledby="cost-totals">
            <Group justify="space-between" align="baseline" mb="sm">
              <Title order={2} size="h4" id="cost-totals">
                {t('oem.qa.costs.totalsTitle')}
              </Title>
              <Text fw={700}>
                {t('oem.qa.costs.grandTotal')}{' '}
                {ledger.data.total.map((m, i) => (
                  <span key={m.currency}>
                    {i > 0 && ' · '}
                    <Amount money={m} />
                  </span>
                ))}
              </Text>
            </Group>
            <ScrollTable label={t('oem.qa.costs.totalsTitle')} minWidth={720}>
              <Table striped verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('oem.fields.client')}</Table.Th>
                    <Table.Th scope="col">{t('oem.fields.product')}</Table.Th>
                    <Table.Th scope="col">{t('oem.fields.lot')}</Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('oem.qa.costs.unitsRemade')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('oem.qa.costs.total')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {ledger.data.totals.map((row) => (
                    <Table.Tr key={`${row.client.id} ${row.product.id} ${row.lot} ${row.currency}`}>
                      <Table.Th scope="row" fw={500}>
                        {row.client.name}
                      </Table.Th>
                      <Table.Td>{row.product.sku}</Table.Td>
                      <Table.Td ff="monospace">{row.lot}</Table.Td>
                      <Table.Td ta="right">
                        <Units count={row.units} />
                      </Table.Td>
                      <Table.Td ta="right" fw={600}>
                        <Amount money={{ amountMinor: row.amountMinor, currency: row.currency }} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          </Card>
          <Card withBorder padding="lg" component="section" aria-labelledby="cost-entries">
            <Title order={2} size="h4" id="cost-entries" mb="sm">
              {t('oem.qa.costs.entriesTitle')}
            </Title>
            <ScrollTable label={t('oem.qa.costs.entriesTitle')} minWidth={920}>
              <Table striped verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('oem.qa.costs.bookedOn')}</Table.Th>
                    <Table.Th scope="col">{t('oem.fields.remakeNumber')}</Table.Th>
                    <Table.Th scope="col">{t('oem.fields.client')}</Table.Th>
                    <Table.Th scope="col">{t('oem.fields.lot')}</Table.Th>
                    <Table.Th scope="col">{t('oem.qa.costs.kind')}</Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('oem.fields.units')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('oem.qa.costs.amount')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {ledger.data.entries.map((e) => (
                    <Table.Tr key={e.id}>
                      <Table.Td>
                        <Day date={e.bookedOn} />
                      </Table.Td>
                      <Table.Th scope="row" ff="monospace" fw={500}>
                        {e.remakeOrder.remakeNumber}
                      </Table.Th>
                      <Table.Td>{e.client.name}</Table.Td>
                      <Table.Td ff="monospace">
                        {e.product.sku} · {e.lot}
                      </Table.Td>
                      <Table.Td>
                        {t(`oem.qa.costKind.${e.kind}`)}
                        {e.note && (
                          <Text size="xs" c="dark.6">
                            {e.note}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{e.units === null ? '—' : <Units count={e.units} />}</Table.Td>
                      <Table.Td ta="right">
                        <Amount money={e.amount} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          </Card>
        </>
      )}
    </Stack>
  );
}
