import { Anchor, Button, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ToneBadge } from '../components/Badges.js';
import { ScrollTable } from '../components/ScrollTable.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { PageHeader, useApiLanguage } from '../desk/ui.js';
import { OemErrorAlert, SpareRate, Units } from '../oem/ui.js';
import { LotRateChart, usePercent } from './LotRateChart.js';
import { type LotRate, lotRatesQuery, openInvestigation } from './qa-api.js';
import { InvestigationStateBadge } from './ui.js';

/**
 * The early warning: every lot's defect rate with its 95 % interval against the spare rate of the
 * orders that shipped it. A lot whose interval lies wholly above that rate is flagged, before clients
 * run out of spares; QA opens an investigation over it from here.
 */
export default function LotRatesPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const percent = usePercent();
  const chartTitle = useId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const rates = useQuery(lotRatesQuery);
  const open = useMutation({
    mutationFn: (lot: LotRate) => openInvestigation({ productId: lot.product.id, lots: [lot.lot] }),
    onSuccess: async (investigation) => {
      await queryClient.invalidateQueries({ queryKey: ['qa'] });
      await navigate(`/qa/investigations/${investigation.id}`, { state: { opened: true } });
    },
  });
  const flagged = rates.data?.filter((r) => r.flagged) ?? [];
  return (
    <Stack gap="lg">
      <PageHeader title={t('oem.qa.rates.title')} intro={t('oem.qa.rates.intro')} />
      {rates.isPending ? (
        <PageLoader />
      ) : rates.isError ? (
        <LoadError error={rates.error} onRetry={() => void rates.refetch()} />
      ) : rates.data.length === 0 ? (
        <Text c="dimmed">{t('oem.qa.rates.none')}</Text>
      ) : (
        <>
          <Card withBorder padding="lg" component="section" aria-labelledby={chartTitle}>
            <Title order={2} size="h4" id={chartTitle} mb="xs">
              {t('oem.qa.rates.chartTitle')}
            </Title>
            <LotRateChart lots={rates.data} titleId={chartTitle} />
          </Card>
          {flagged.length > 0 && (
            <Text size="sm" fw={600} c="red.9" role="status">
              {t('oem.qa.rates.flaggedCount', { count: flagged.length })}
            </Text>
          )}
          {open.isError && <OemErrorAlert error={open.error} />}
          <Card withBorder padding="lg" component="section" aria-labelledby="lot-table-title">
            <Title order={2} size="h4" id="lot-table-title" mb="xs">
              {t('oem.qa.rates.tableTitle')}
            </Title>
            <Text size="sm" c="dark.6" mb="sm">
              {t('oem.qa.rates.rule')}
            </Text>
            <ScrollTable label={t('oem.qa.rates.tableTitle')} minWidth={900}>
              <Table striped verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('oem.fields.lot')}</Table.Th>
                    <Table.Th scope="col">{t('oem.fields.product')}</Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('oem.qa.rates.shipped')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('oem.qa.rates.defects')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('oem.qa.rates.rateWithInterval')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('oem.qa.rates.spareRate')}
                    </Table.Th>
                    <Table.Th scope="col">{t('oem.qa.rates.signal')}</Table.Th>
                    <Table.Th scope="col">{t('oem.qa.rates.investigation')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rates.data.map((r) => (
                    <Table.Tr key={`${r.product.id} ${r.lot}`}>
                      <Table.Th scope="row" ff="monospace" fw={600} className="nowrap">
                        {r.lot}
                      </Table.Th>
                      <Table.Td>
                        <Text size="sm">{r.product.name[lang]}</Text>
                        <Text size="xs" c="dark.6">
                          {r.product.sku} · {t('oem.qa.rates.orders', { count: r.orders })}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Units count={r.unitsShipped} />
                      </Table.Td>
                      <Table.Td ta="right">
                        <Units count={r.defects} />
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm" fw={700}>
                          {percent(r.rate)}
                        </Text>
                        <Text size="xs" c="dark.6" className="nowrap">
                          {t('format.range', { min: percent(r.lower), max: percent(r.upper) })}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <SpareRate bps={r.spareRateBps} />
                      </Table.Td>
                      <Table.Td>
                        {r.flagged ? (
                          <ToneBadge tone="red">{t('oem.qa.rates.flagged')}</ToneBadge>
                        ) : (
                          <ToneBadge tone="gray">{t('oem.qa.rates.withinSpares')}</ToneBadge>
                        )}
                        {r.flagged && (
                          <Text size="xs" c="dark.6" mt={2}>
                            {t('oem.qa.rates.lowerAbove', { lower: percent(r.lower) })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {r.investigation ? (
                          <Stack gap={2} align="flex-start">
                            <InvestigationStateBadge state={r.investigation.state} />
                            <Anchor
                              component={Link}
                              to={`/qa/investigations/${r.investigation.id}`}
                              size="sm"
                            >
                              {t('oem.qa.rates.see')}
                            </Anchor>
                          </Stack>
                        ) : (
                          <Button
                            size="xs"
                            variant={r.flagged ? 'filled' : 'default'}
                            loading={open.isPending && open.variables.lot === r.lot}
                            loaderProps={{ 'aria-label': t('common.working') }}
                            aria-label={t('oem.qa.rates.openFor', { lot: r.lot })}
                            onClick={() => {
                              open.mutate(r);
                            }}
                          >
                            {t('oem.qa.rates.investigate')}
                          </Button>
                        )}
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
