import {
  Button,
  Card,
  Grid,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  useMantineTheme,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { Amount, PageHeader } from '../../desk/ui.js';
import { policyLanguage } from '../../i18n/index.js';
import {
  filterKeys,
  type ServiceLevelFilter,
  type ServiceLevelReport,
  serviceLevelCsvUrl,
  serviceLevelsQuery,
} from '../insight-api.js';
import { InsightChart } from './InsightChart.js';

const ageBuckets = ['0-2', '3-5', '6-10', '11+'] as const;

function filterOf(params: URLSearchParams): ServiceLevelFilter {
  const filter: ServiceLevelFilter = {};
  for (const key of filterKeys) {
    const value = params.get(key);
    if (value) filter[key] = value;
  }
  return filter;
}

/**
 * The service-level dashboard (issue 19 item 1): per center and week, the open orders by age, the
 * claims per month by window and remedy, the dealers' refunds and replacements, and the customers'
 * ratings — each chart with its table beside it. The filters live in the address bar, so a view can be
 * shared and reloaded; the CSV export takes the same ones.
 */
export default function ServiceLevelsPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filter = filterOf(params);
  const report = useQuery(serviceLevelsQuery(filter));
  const lang = policyLanguage(i18n.language);
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('insight.serviceLevels.title')}
        intro={t('insight.serviceLevels.intro')}
        action={
          <Button
            component="a"
            href={serviceLevelCsvUrl(filter)}
            download="service-levels.csv"
            variant="default"
          >
            {t('insight.serviceLevels.download')}
          </Button>
        }
      />
      <Filters
        key={params.toString()}
        filter={filter}
        report={report.data}
        lang={lang}
        apply={(next) => {
          const search = new URLSearchParams();
          for (const key of filterKeys) {
            const value = next[key];
            if (value) search.set(key, value);
          }
          setParams(search);
        }}
      />
      {report.isPending ? (
        <PageLoader />
      ) : report.isError ? (
        <LoadError error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <Dashboard report={report.data} lang={lang} />
      )}
    </Stack>
  );
}

function Filters({
  filter,
  report,
  lang,
  apply,
}: {
  filter: ServiceLevelFilter;
  report: ServiceLevelReport | undefined;
  lang: 'en' | 'zh';
  apply: (filter: ServiceLevelFilter) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<ServiceLevelFilter>({
    from: filter.from ?? report?.period.from,
    to: filter.to ?? report?.period.to,
    productId: filter.productId,
    serviceCenterId: filter.serviceCenterId,
  });
  return (
    <Card withBorder padding="md" component="section" aria-label={t('insight.serviceLevels.filters')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          apply(draft);
        }}
      >
        <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="md">
          <TextInput
            type="date"
            name="from"
            label={t('insight.serviceLevels.from')}
            value={draft.from ?? report?.period.from ?? ''}
            onChange={(e) => {
              setDraft({ ...draft, from: e.currentTarget.value || undefined });
            }}
          />
          <TextInput
            type="date"
            name="to"
            label={t('insight.serviceLevels.to')}
            value={draft.to ?? report?.period.to ?? ''}
            onChange={(e) => {
              setDraft({ ...draft, to: e.currentTarget.value || undefined });
            }}
          />
          <NativeSelect
            name="productId"
            label={t('insight.serviceLevels.product')}
            value={draft.productId ?? ''}
            onChange={(e) => {
              setDraft({ ...draft, productId: e.currentTarget.value || undefined });
            }}
            data={[
              { value: '', label: t('insight.serviceLevels.allProducts') },
              ...(report?.products ?? []).map((p) => ({ value: p.id, label: `${p.sku} · ${p.name[lang]}` })),
            ]}
          />
          <NativeSelect
            name="serviceCenterId"
            label={t('insight.serviceLevels.center')}
            value={draft.serviceCenterId ?? ''}
            onChange={(e) => {
              setDraft({ ...draft, serviceCenterId: e.currentTarget.value || undefined });
            }}
            data={[
              { value: '', label: t('insight.serviceLevels.allCenters') },
              ...(report?.centers ?? []).map((c) => ({ value: c.id, label: c.name[lang] })),
            ]}
          />
          <Group align="flex-end">
            <Button type="submit" variant="default">
              {t('insight.serviceLevels.apply')}
            </Button>
          </Group>
        </SimpleGrid>
      </form>
    </Card>
  );
}

/** A chart and its table, side by side on a wide screen and one under the other on a phone. */
function ChartWithTable({
  id,
  title,
  intro,
  chart,
  table,
  wide = false,
}: {
  id: string;
  title: string;
  intro?: string;
  /** Absent when there is nothing to draw: the table says so. */
  chart: ReactNode;
  table: ReactNode;
  /** A table of many columns: beside its chart only on a very wide screen. */
  wide?: boolean;
}) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb={intro ? 4 : 'sm'}>
        {title}
      </Title>
      {intro && (
        <Text size="sm" c="dark.6" mb="sm">
          {intro}
        </Text>
      )}
      <Grid gap="lg">
        {chart && <Grid.Col span={wide ? { base: 12, xl: 4 } : { base: 12, lg: 5 }}>{chart}</Grid.Col>}
        <Grid.Col span={chart ? (wide ? { base: 12, xl: 8 } : { base: 12, lg: 7 }) : 12}>{table}</Grid.Col>
      </Grid>
    </Card>
  );
}

function Dashboard({ report, lang }: { report: ServiceLevelReport; lang: 'en' | 'zh' }) {
  const { t, i18n } = useTranslation();
  const theme = useMantineTheme();
  const centerName = new Map(report.centers.map((c) => [c.id, c.name[lang]]));
  const nameOf = (id: string | null) => (id ? (centerName.get(id) ?? id) : '—');
  // A chart's axis names a center by its city; the table beside it by its name.
  const centerCity = new Map(report.centers.map((c) => [c.id, c.city]));
  const cityOf = (id: string) => centerCity.get(id) ?? nameOf(id);
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  const percent = (fraction: number | null) =>
    fraction === null ? '—' : t('format.percent', { value: number.format(fraction * 100) });
  const days = (value: number | null) =>
    value === null ? '—' : t('insight.serviceLevels.days', { count: value });

  // The weeks chart adds up the centers shown.
  const byWeek = new Map<string, { week: string; received: number; returned: number; misses: number }>();
  for (const w of report.weeks) {
    const row = byWeek.get(w.weekOf) ?? { week: w.weekOf, received: 0, returned: 0, misses: 0 };
    row.received += w.received;
    row.returned += w.returned;
    row.misses += w.misses;
    byWeek.set(w.weekOf, row);
  }
  const weekPoints = [...byWeek.values()].sort((a, b) => (a.week < b.week ? -1 : 1));
  const byMonth = new Map<string, Record<string, string | number>>();
  for (const c of report.claimsByMonth) {
    const row = byMonth.get(c.month) ?? { month: c.month };
    row[c.window] = Number(row[c.window] ?? 0) + c.claims;
    byMonth.set(c.month, row);
  }
  const windows = [...new Set(report.claimsByMonth.map((c) => c.window))].sort();
  const windowColors = [
    theme.colors.teal[7],
    theme.colors.blue[7],
    theme.colors.grape[7],
    theme.colors.gray[7],
  ];
  const totalClaims = report.claimsByMonth.reduce((n, c) => n + c.claims, 0);
  const totalReceived = report.weeks.reduce((n, w) => n + w.received, 0);
  const totalReturned = report.weeks.reduce((n, w) => n + w.returned, 0);
  const totalMisses = report.weeks.reduce((n, w) => n + w.misses, 0);
  const none = <Text c="dark.6">{t('insight.serviceLevels.none')}</Text>;

  return (
    <Stack gap="lg">
      <Text size="sm" c="dark.6">
        {t('insight.serviceLevels.period', {
          from: report.period.from,
          to: report.period.to,
          asOf: report.period.asOf,
        })}
      </Text>
      <ChartWithTable
        id="weeks-title"
        wide
        title={t('insight.serviceLevels.weeks.title')}
        intro={t('insight.serviceLevels.weeks.intro')}
        chart={
          weekPoints.length === 0 ? undefined : (
            <InsightChart
              titleId="weeks-title"
              data={weekPoints}
              xKey="week"
              series={[
                {
                  key: 'received',
                  name: t('insight.serviceLevels.weeks.received'),
                  color: theme.colors.blue[7],
                },
                {
                  key: 'returned',
                  name: t('insight.serviceLevels.weeks.returned'),
                  color: theme.colors.teal[8],
                },
                { key: 'misses', name: t('insight.serviceLevels.weeks.misses'), color: theme.colors.red[8] },
              ]}
              summary={t('insight.serviceLevels.weeks.summary', {
                received: totalReceived,
                returned: totalReturned,
                misses: totalMisses,
              })}
            />
          )
        }
        table={
          report.weeks.length === 0 ? (
            none
          ) : (
            <ScrollTable label={t('insight.serviceLevels.weeks.title')} minWidth={860}>
              <Table striped verticalSpacing="xs" fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('insight.serviceLevels.center')}</Table.Th>
                    <Table.Th scope="col">{t('insight.serviceLevels.weeks.weekOf')}</Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('insight.serviceLevels.weeks.received')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('insight.serviceLevels.weeks.returned')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('insight.serviceLevels.weeks.turnaround')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('insight.serviceLevels.weeks.within')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('insight.serviceLevels.weeks.firstContact')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('insight.serviceLevels.weeks.misses')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.weeks.map((w) => (
                    <Table.Tr key={`${w.centerId} ${w.weekOf}`}>
                      <Table.Th scope="row" fw={500}>
                        {nameOf(w.centerId)}
                      </Table.Th>
                      <Table.Td className="nowrap">{w.weekOf}</Table.Td>
                      <Table.Td ta="right">{w.received}</Table.Td>
                      <Table.Td ta="right">{w.returned}</Table.Td>
                      <Table.Td ta="right" className="nowrap">
                        {t('insight.serviceLevels.weeks.medianP90', {
                          median: days(w.medianTurnaroundDays),
                          p90: days(w.p90TurnaroundDays),
                        })}
                      </Table.Td>
                      <Table.Td ta="right">{percent(w.shareWithinCommitment)}</Table.Td>
                      <Table.Td ta="right">{days(w.medianFirstContactDays)}</Table.Td>
                      <Table.Td
                        ta="right"
                        c={w.misses > 0 ? 'red.9' : undefined}
                        fw={w.misses > 0 ? 700 : undefined}
                      >
                        {w.misses}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      />
      <ChartWithTable
        id="open-title"
        title={t('insight.serviceLevels.open.title')}
        intro={t('insight.serviceLevels.open.intro', { asOf: report.period.asOf })}
        chart={
          report.openByAge.length === 0 ? undefined : (
            <InsightChart
              titleId="open-title"
              stacked
              data={report.openByAge.map((o) => ({ ...o, center: cityOf(o.centerId) }))}
              xKey="center"
              series={ageBuckets.map((b, i) => ({
                key: b,
                name: t(`insight.serviceLevels.open.bucket.${b}`),
                color:
                  [theme.colors.teal[7], theme.colors.yellow[8], theme.colors.orange[8], theme.colors.red[8]][
                    i
                  ] ?? 'gray',
              }))}
              summary={t('insight.serviceLevels.open.summary', {
                count: report.openByAge.reduce((n, o) => n + o.total, 0),
              })}
            />
          )
        }
        table={
          report.openByAge.length === 0 ? (
            none
          ) : (
            <ScrollTable label={t('insight.serviceLevels.open.title')} minWidth={520}>
              <Table striped verticalSpacing="xs" fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('insight.serviceLevels.center')}</Table.Th>
                    {ageBuckets.map((b) => (
                      <Table.Th scope="col" ta="right" key={b}>
                        {t(`insight.serviceLevels.open.bucket.${b}`)}
                      </Table.Th>
                    ))}
                    <Table.Th scope="col" ta="right">
                      {t('insight.serviceLevels.open.total')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.openByAge.map((o) => (
                    <Table.Tr key={o.centerId}>
                      <Table.Th scope="row" fw={500}>
                        {nameOf(o.centerId)}
                      </Table.Th>
                      {ageBuckets.map((b) => (
                        <Table.Td ta="right" key={b}>
                          {o[b]}
                        </Table.Td>
                      ))}
                      <Table.Td ta="right" fw={600}>
                        {o.total}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      />
      <ChartWithTable
        id="claims-title"
        title={t('insight.serviceLevels.claims.title')}
        chart={
          report.claimsByMonth.length === 0 ? undefined : (
            <InsightChart
              titleId="claims-title"
              stacked
              data={[...byMonth.values()]}
              xKey="month"
              series={windows.map((w, i) => ({
                key: w,
                name: t(`window.${w}`),
                color: windowColors[i % windowColors.length] ?? 'gray',
              }))}
              summary={t('insight.serviceLevels.claims.summary', { count: totalClaims })}
            />
          )
        }
        table={
          report.claimsByMonth.length === 0 ? (
            none
          ) : (
            <ScrollTable label={t('insight.serviceLevels.claims.title')} minWidth={520}>
              <Table striped verticalSpacing="xs" fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('insight.serviceLevels.claims.month')}</Table.Th>
                    <Table.Th scope="col">{t('insight.serviceLevels.claims.window')}</Table.Th>
                    <Table.Th scope="col">{t('insight.serviceLevels.claims.remedy')}</Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('insight.serviceLevels.claims.claims')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.claimsByMonth.map((c) => (
                    <Table.Tr key={`${c.month} ${c.window} ${c.remedy ?? ''}`}>
                      <Table.Th scope="row" fw={500} className="nowrap">
                        {c.month}
                      </Table.Th>
                      <Table.Td>{t(`window.${c.window}`)}</Table.Td>
                      <Table.Td>
                        {c.remedy ? t(`remedy.${c.remedy}`) : t('insight.serviceLevels.claims.notChosen')}
                      </Table.Td>
                      <Table.Td ta="right">{c.claims}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      />
      <ChartWithTable
        id="dealers-title"
        title={t('insight.serviceLevels.dealers.title')}
        chart={
          report.dealerRemedies.length === 0 ? undefined : (
            <InsightChart
              titleId="dealers-title"
              data={report.dealerRemedies.map((d) => ({
                dealer: d.dealer.name,
                refunds: d.refunds,
                replacements: d.replacements,
              }))}
              xKey="dealer"
              series={[
                {
                  key: 'refunds',
                  name: t('insight.serviceLevels.dealers.refunds'),
                  color: theme.colors.orange[8],
                },
                {
                  key: 'replacements',
                  name: t('insight.serviceLevels.dealers.replacements'),
                  color: theme.colors.blue[7],
                },
              ]}
              summary={t('insight.serviceLevels.dealers.summary', { count: report.dealerRemedies.length })}
            />
          )
        }
        table={
          report.dealerRemedies.length === 0 ? (
            none
          ) : (
            <ScrollTable label={t('insight.serviceLevels.dealers.title')} minWidth={520}>
              <Table striped verticalSpacing="xs" fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('insight.serviceLevels.dealers.dealer')}</Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('insight.serviceLevels.dealers.refunds')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('insight.serviceLevels.dealers.refunded')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('insight.serviceLevels.dealers.replacements')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.dealerRemedies.map((d) => (
                    <Table.Tr key={d.dealer.id}>
                      <Table.Th scope="row" fw={500}>
                        {d.dealer.name}
                      </Table.Th>
                      <Table.Td ta="right">{d.refunds}</Table.Td>
                      <Table.Td ta="right">
                        {d.refunded.length === 0
                          ? '—'
                          : d.refunded.map((m, i) => (
                              <span key={m.currency}>
                                {i > 0 && ' · '}
                                <Amount money={m} />
                              </span>
                            ))}
                      </Table.Td>
                      <Table.Td ta="right">{d.replacements}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )
        }
      />
      <ChartWithTable
        id="ratings-title"
        title={t('insight.serviceLevels.ratings.title')}
        intro={t('insight.serviceLevels.ratings.intro')}
        chart={
          report.ratings.byCenter.length === 0 ? undefined : (
            <InsightChart
              titleId="ratings-title"
              data={report.ratings.byCenter.map((r) => ({ center: cityOf(r.centerId), average: r.average }))}
              xKey="center"
              format={(v) => number.format(v)}
              series={[
                {
                  key: 'average',
                  name: t('insight.serviceLevels.ratings.average'),
                  color: theme.colors.grape[7],
                },
              ]}
              summary={t('insight.serviceLevels.ratings.summary', {
                count: report.ratings.byCenter.reduce((n, r) => n + r.ratings, 0),
              })}
            />
          )
        }
        table={
          report.ratings.byCenter.length + report.ratings.byTechnician.length === 0 ? (
            none
          ) : (
            <Stack gap="md">
              <ScrollTable label={t('insight.serviceLevels.ratings.byCenter')} minWidth={420}>
                <Table striped verticalSpacing="xs" fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('insight.serviceLevels.center')}</Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('insight.serviceLevels.ratings.count')}
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('insight.serviceLevels.ratings.average')}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {report.ratings.byCenter.map((r) => (
                      <Table.Tr key={r.centerId}>
                        <Table.Th scope="row" fw={500}>
                          {nameOf(r.centerId)}
                        </Table.Th>
                        <Table.Td ta="right">{r.ratings}</Table.Td>
                        <Table.Td ta="right">{number.format(r.average)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
              <ScrollTable label={t('insight.serviceLevels.ratings.byTechnician')} minWidth={420}>
                <Table striped verticalSpacing="xs" fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('insight.serviceLevels.ratings.technician')}</Table.Th>
                      <Table.Th scope="col">{t('insight.serviceLevels.center')}</Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('insight.serviceLevels.ratings.count')}
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('insight.serviceLevels.ratings.average')}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {report.ratings.byTechnician.map((r) => (
                      <Table.Tr key={r.technician.id}>
                        <Table.Th scope="row" fw={500}>
                          {r.technician.name}
                        </Table.Th>
                        <Table.Td>{nameOf(r.centerId)}</Table.Td>
                        <Table.Td ta="right">{r.ratings}</Table.Td>
                        <Table.Td ta="right">{number.format(r.average)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            </Stack>
          )
        }
      />
    </Stack>
  );
}
