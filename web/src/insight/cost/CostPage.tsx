import {
  Alert,
  Anchor,
  Box,
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
  UnstyledButton,
  useMantineTheme,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  costCategories,
  rowCategories,
  type RowCategory,
} from '../../../../src/domain/warranty-cost/report.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { Amount, Day, PageHeader } from '../../desk/ui.js';
import { formatMoney } from '../../desk/money.js';
import { policyLanguage } from '../../i18n/index.js';
import {
  type CostCellRef,
  type CostFilter,
  costCsvUrl,
  costReportQuery,
  type CostReport,
  costRowsQuery,
} from './cost-api.js';

/*
 * The cost of warranty per product and month (issue 19 item 2): a stacked bar chart of the months by
 * category, the numbers beside it, the per-product figures, and the rows behind any figure one clicks.
 * The filters and the figure opened live in the address, so a link shows the same thing to a colleague.
 */

const palette = ['red.7', 'orange.8', 'blue.7', 'cyan.8', 'grape.7', 'violet.7', 'teal.8', 'lime.9'] as const;

function useMoney(currency: string) {
  const { i18n } = useTranslation();
  return (amountMinor: number) => formatMoney({ amountMinor, currency }, i18n.language);
}

function CostChart({ report, titleId }: { report: CostReport; titleId: string }) {
  const { t } = useTranslation();
  const theme = useMantineTheme();
  const money = useMoney(report.currency);
  const color = (i: number) => {
    const [name, shade] = (palette[i % palette.length] ?? 'gray.7').split('.');
    return theme.colors[name ?? 'gray']?.[Number(shade)] ?? '#555';
  };
  const data = report.months.map((month) => {
    const point: Record<string, string | number> = { month };
    for (const c of costCategories) {
      point[c] =
        report.cells
          .filter((x) => x.month === month && x.category === c)
          .reduce((s, x) => s + x.amountMinor, 0) / 100;
    }
    return point;
  });
  return (
    <Box role="img" aria-labelledby={titleId} aria-describedby={`${titleId}-summary`}>
      <ResponsiveContainer width="100%" height={320}>
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tick={{ fontSize: 12 }} />
          <YAxis tick={{ fontSize: 12 }} width={72} />
          <Tooltip formatter={(value) => money(Math.round(Number(value) * 100))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {costCategories.map((c, i) => (
            <Bar key={c} dataKey={c} name={t(`insightCost.category.${c}`)} stackId="cost" fill={color(i)} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <Text id={`${titleId}-summary`} size="sm" c="dimmed">
        {t('insightCost.chartSummary', {
          total: money(report.totals.costMinor),
          months: report.months.length,
        })}
      </Text>
    </Box>
  );
}

export default function CostPage() {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  const [search, setSearch] = useSearchParams();
  const filter: CostFilter = {
    from: search.get('from') ?? undefined,
    to: search.get('to') ?? undefined,
    productId: search.get('productId') ?? undefined,
  };
  const openCategory = search.get('category') as RowCategory | null;
  const open: CostCellRef | null =
    openCategory && (rowCategories as readonly string[]).includes(openCategory)
      ? {
          category: openCategory,
          month: search.get('month') ?? undefined,
          productId: search.get('cellProduct') ?? undefined,
        }
      : null;
  const report = useQuery(costReportQuery(filter));
  const [from, setFrom] = useState(filter.from ?? '');
  const [to, setTo] = useState(filter.to ?? '');
  const update = (values: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(values)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setSearch(next);
  };
  const drill = (cell: CostCellRef) => {
    update({ category: cell.category, month: cell.month, cellProduct: cell.productId });
  };

  if (report.isPending) return <PageLoader />;
  if (report.isError) return <LoadError error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data;
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: r.currency }, i18n.language);
  const monthTotal = (month: string, category: RowCategory) =>
    r.cells
      .filter((c) => c.month === month && c.category === category)
      .reduce((s, c) => s + c.amountMinor, 0);
  const productName = (id: string) => {
    const p = r.products.find((x) => x.id === id);
    return p ? `${p.sku} · ${p.name[lang]}` : id;
  };
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('insightCost.title')}
        intro={t('insightCost.intro', { currency: r.currency })}
        action={
          <Button component="a" href={costCsvUrl(filter)} download="cost-of-warranty.csv" variant="default">
            {t('insightCost.download')}
          </Button>
        }
      />
      <Card withBorder padding="md" component="section" aria-label={t('insightCost.filters')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            update({ from: from || undefined, to: to || undefined });
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 4 }} spacing="md">
            <TextInput
              type="date"
              name="from"
              label={t('insightCost.from')}
              value={from}
              onChange={(e) => {
                setFrom(e.currentTarget.value);
              }}
            />
            <TextInput
              type="date"
              name="to"
              label={t('insightCost.to')}
              value={to}
              onChange={(e) => {
                setTo(e.currentTarget.value);
              }}
            />
            <NativeSelect
              name="productId"
              label={t('insightCost.product')}
              value={filter.productId ?? ''}
              onChange={(e) => {
                update({
                  productId: e.currentTarget.value || undefined,
                  category: undefined,
                  month: undefined,
                  cellProduct: undefined,
                });
              }}
              data={[
                { value: '', label: t('insightCost.allProducts') },
                ...r.products.map((p) => ({ value: p.id, label: `${p.sku} · ${p.name[lang]}` })),
              ]}
            />
            <Group align="flex-end">
              <Button type="submit">{t('insightCost.apply')}</Button>
            </Group>
          </SimpleGrid>
        </form>
        <Text size="sm" mt="sm" c="dimmed">
          {t('insightCost.range', { from: r.from, to: r.to })}
        </Text>
      </Card>
      {r.excluded.length > 0 && (
        <Alert color="orange" variant="light" title={t('insightCost.excludedTitle')}>
          {r.excluded.map((e) => t('insightCost.excluded', { rows: e.rows, currency: e.currency })).join(' ')}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
        {[
          [t('insightCost.totalCost'), money(r.totals.costMinor)],
          [t('insightCost.income'), money(r.totals.incomeMinor)],
          [t('insightCost.unitsSold'), r.totals.unitsSold.toLocaleString(i18n.language)],
          [t('insightCost.claims'), r.totals.claims.toLocaleString(i18n.language)],
        ].map(([label, value]) => (
          <Card key={label} withBorder padding="sm">
            <Text size="sm" c="dimmed">
              {label}
            </Text>
            <Text fw={700} size="lg">
              {value}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder padding="md" component="section" aria-labelledby="cost-chart-title">
            <Title order={2} size="h3" id="cost-chart-title" mb="sm">
              {t('insightCost.chartTitle')}
            </Title>
            <CostChart report={r} titleId="cost-chart-title" />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder padding="md" component="section" aria-labelledby="cost-month-title">
            <Title order={2} size="h3" id="cost-month-title" mb="sm">
              {t('insightCost.byMonth')}
            </Title>
            <ScrollTable label={t('insightCost.byMonth')} minWidth={900}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('insightCost.month')}</Table.Th>
                    {rowCategories.map((c) => (
                      <Table.Th scope="col" key={c}>
                        {t(`insightCost.category.${c}`)}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.months.map((month) => (
                    <Table.Tr key={month}>
                      <Table.Th scope="row">{month}</Table.Th>
                      {rowCategories.map((c) => {
                        const amount = monthTotal(month, c);
                        return (
                          <Table.Td key={c} className="nowrap">
                            {amount === 0 ? (
                              '—'
                            ) : (
                              <UnstyledButton
                                className="cost-cell"
                                aria-label={t('insightCost.openRows', {
                                  category: t(`insightCost.category.${c}`),
                                  month,
                                  amount: money(amount),
                                })}
                                onClick={() => {
                                  drill({ category: c, month, productId: filter.productId });
                                }}
                              >
                                {money(amount)}
                              </UnstyledButton>
                            )}
                          </Table.Td>
                        );
                      })}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          </Card>
        </Grid.Col>
      </Grid>
      <Card withBorder padding="md" component="section" aria-labelledby="cost-product-title">
        <Title order={2} size="h3" id="cost-product-title" mb="sm">
          {t('insightCost.byProduct')}
        </Title>
        <ScrollTable label={t('insightCost.byProduct')} minWidth={820}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('insightCost.product')}</Table.Th>
                <Table.Th scope="col">{t('insightCost.unitsSold')}</Table.Th>
                <Table.Th scope="col">{t('insightCost.claims')}</Table.Th>
                <Table.Th scope="col">{t('insightCost.claimsPerThousand')}</Table.Th>
                <Table.Th scope="col">{t('insightCost.totalCost')}</Table.Th>
                <Table.Th scope="col">{t('insightCost.costPerUnit')}</Table.Th>
                <Table.Th scope="col">{t('insightCost.costPerClaim')}</Table.Th>
                <Table.Th scope="col">{t('insightCost.income')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.figures.map((f) => (
                <Table.Tr key={f.productId}>
                  <Table.Th scope="row">{productName(f.productId)}</Table.Th>
                  <Table.Td>{f.unitsSold.toLocaleString(i18n.language)}</Table.Td>
                  <Table.Td>{f.claims.toLocaleString(i18n.language)}</Table.Td>
                  <Table.Td>
                    {f.claimsPerThousand === null ? '—' : f.claimsPerThousand.toLocaleString(i18n.language)}
                  </Table.Td>
                  <Table.Td className="nowrap">{money(f.costMinor)}</Table.Td>
                  <Table.Td className="nowrap">
                    {f.costPerUnitSoldMinor === null ? '—' : money(f.costPerUnitSoldMinor)}
                  </Table.Td>
                  <Table.Td className="nowrap">
                    {f.costPerClaimMinor === null ? '—' : money(f.costPerClaimMinor)}
                  </Table.Td>
                  <Table.Td className="nowrap">{money(f.incomeMinor)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      </Card>
      {open && (
        <CostRowsPanel
          filter={filter}
          cell={open}
          title={t('insightCost.rowsTitle', {
            category: t(`insightCost.category.${open.category}`),
            month: open.month ?? t('insightCost.wholeRange'),
          })}
          onClose={() => {
            update({ category: undefined, month: undefined, cellProduct: undefined });
          }}
        />
      )}
    </Stack>
  );
}

function CostRowsPanel({
  filter,
  cell,
  title,
  onClose,
}: {
  filter: CostFilter;
  cell: CostCellRef;
  title: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const rows = useQuery(costRowsQuery(filter, cell));
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="cost-rows-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3" id="cost-rows-title">
          {title}
        </Title>
        <Anchor component="button" type="button" onClick={onClose}>
          {t('common.close')}
        </Anchor>
      </Group>
      {rows.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {rows.isError && <LoadError error={rows.error} onRetry={() => void rows.refetch()} />}
      {rows.data && (
        <>
          <Text size="sm" mb="xs">
            {t('insightCost.rowsTotal', { count: rows.data.rows.length })} <Amount money={rows.data.total} />
            {rows.data.truncated && ` ${t('insightCost.truncated')}`}
          </Text>
          <ScrollTable label={t('insightCost.rowsTable')} minWidth={640}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('insightCost.day')}</Table.Th>
                  <Table.Th scope="col">{t('insightCost.source')}</Table.Th>
                  <Table.Th scope="col">{t('insightCost.reference')}</Table.Th>
                  <Table.Th scope="col">{t('insightCost.product')}</Table.Th>
                  <Table.Th scope="col">{t('insightCost.amount')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.data.rows.map((row) => (
                  <Table.Tr key={`${row.source} ${row.sourceId}`}>
                    <Table.Td>
                      <Day date={row.day} />
                    </Table.Td>
                    <Table.Td>{t(`insightCost.sources.${row.source}`)}</Table.Td>
                    <Table.Td className="nowrap">{row.reference ?? '—'}</Table.Td>
                    <Table.Td>{row.product.sku}</Table.Td>
                    <Table.Td className="nowrap">
                      <Amount money={row.amount} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </>
      )}
    </Card>
  );
}
