import {
  Box,
  Card,
  Group,
  List,
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
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { formatMoney } from '../../desk/money.js';
import { PageHeader, useApiLanguage } from '../../desk/ui.js';
import { storeToday } from '../../format.js';
import { type Reserve, type ReserveProduct, reserveQuery } from './reserve-api.js';

/**
 * The warranty reserve: what finance books for the claims still to come on units in warranty, per
 * product and in total with its 90 % interval; the claim rate by month of life of one product as a
 * chart with its table beside it; and the method in plain words (life table, Weibull, interval).
 */

/** Claims per 1,000 unit-months: rates of a few in a thousand read better than 0.0034. */
const PER = 1000;

function useFormat() {
  const { i18n } = useTranslation();
  const number = (value: number, digits = 1) =>
    new Intl.NumberFormat(i18n.language, { maximumFractionDigits: digits }).format(value);
  const money = (m: { amountMinor: number; currency: string }) => formatMoney(m, i18n.language);
  return { number, money };
}

function Totals({ reserve }: { reserve: Reserve }) {
  const { t } = useTranslation();
  const { number, money } = useFormat();
  const { total } = reserve;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="reserve-total-title">
      <Title order={2} size="h4" id="reserve-total-title">
        {t('reserve.total.title', { asOf: reserve.asOf })}
      </Title>
      <Group gap="xl" mt="sm" align="flex-start" wrap="wrap">
        <div>
          <Text size="sm" c="dark.6">
            {t('reserve.total.provision')}
          </Text>
          <Text fz={32} fw={700} data-testid="reserve-total">
            {money(total.provision)}
          </Text>
          <Text size="sm" c="dark.6">
            {t('reserve.total.interval', {
              level: Math.round(reserve.level * 100),
              low: money(total.interval.low),
              high: money(total.interval.high),
            })}
          </Text>
        </div>
        <div>
          <Text size="sm" c="dark.6">
            {t('reserve.total.unitsInForce')}
          </Text>
          <Text fz="xl" fw={600}>
            {number(total.unitsInForce, 0)}
          </Text>
        </div>
        <div>
          <Text size="sm" c="dark.6">
            {t('reserve.total.expectedClaims')}
          </Text>
          <Text fz="xl" fw={600}>
            {number(total.expectedClaims)}
          </Text>
        </div>
        <div>
          <Text size="sm" c="dark.6">
            {t('reserve.total.weibull')}
          </Text>
          <Text fz="xl" fw={600}>
            {money(total.weibullProvision)}
          </Text>
        </div>
      </Group>
    </Card>
  );
}

function ProductTable({ reserve }: { reserve: Reserve }) {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const { number, money } = useFormat();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="reserve-products-title">
      <Title order={2} size="h4" id="reserve-products-title" mb="xs">
        {t('reserve.products.title')}
      </Title>
      <ScrollTable label={t('reserve.products.title')} minWidth={980}>
        <Table striped verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('reserve.products.product')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('reserve.products.unitsInForce')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('reserve.products.claimsObserved')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('reserve.products.expectedClaims')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('reserve.products.costPerClaim')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('reserve.products.provision')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('reserve.products.weibull')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {reserve.products.map((p) => (
              <Table.Tr key={p.product.id}>
                <Table.Th scope="row">
                  <Text size="sm" fw={600}>
                    {p.product.name[lang]}
                  </Text>
                  <Text size="xs" c="dark.6">
                    {p.product.sku} · {t('reserve.products.warranty', { count: p.warrantyMonths })}
                  </Text>
                </Table.Th>
                <Table.Td ta="right">{number(p.unitsInForce, 0)}</Table.Td>
                <Table.Td ta="right">{number(p.claimsObserved, 0)}</Table.Td>
                <Table.Td ta="right">{number(p.expectedClaims)}</Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{money(p.costPerClaim)}</Text>
                  {p.costPerClaim.basis === 'all_products' && (
                    <Text size="xs" c="dark.6">
                      {t('reserve.products.allProducts')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" fw={700}>
                    {money(p.provision)}
                  </Text>
                  <Text size="xs" c="dark.6" className="nowrap">
                    {t('format.range', { min: money(p.interval.low), max: money(p.interval.high) })}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  {p.weibull ? (
                    <>
                      <Text size="sm">{money(p.weibull.provision)}</Text>
                      <Text size="xs" c="dark.6" className="nowrap">
                        {t('reserve.products.shapeScale', {
                          shape: number(p.weibull.shape, 2),
                          scale: number(p.weibull.scaleMonths, 0),
                        })}
                      </Text>
                    </>
                  ) : (
                    <Text size="sm" c="dark.6">
                      {t('reserve.products.noFit')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Card>
  );
}

function RateChart({ product, titleId }: { product: ReserveProduct; titleId: string }) {
  const { t } = useTranslation();
  const theme = useMantineTheme();
  const { number } = useFormat();
  const points = product.lifeTable.map((r) => ({
    age: r.ageMonths + 1,
    rate: r.rate === null ? null : r.rate * PER,
    weibull: r.weibullRate === null ? null : r.weibullRate * PER,
  }));
  return (
    <Box>
      <Box role="img" aria-labelledby={titleId} aria-describedby={`${titleId}-summary`}>
        <ResponsiveContainer width="100%" height={300}>
          <ComposedChart
            accessibilityLayer={false}
            data={points}
            margin={{ top: 8, right: 8, bottom: 24, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="age"
              tick={{ fontSize: 12 }}
              label={{
                value: t('reserve.chart.xAxis'),
                position: 'insideBottom',
                offset: -12,
                style: { fontSize: 12 },
              }}
            />
            <YAxis
              width={64}
              tick={{ fontSize: 12 }}
              tickFormatter={(v: number) => number(v, 1)}
              label={{
                value: t('reserve.chart.yAxis'),
                angle: -90,
                position: 'insideLeft',
                style: { fontSize: 12, textAnchor: 'middle' },
              }}
            />
            <Tooltip
              formatter={(value, name) => [number(Number(value), 2), String(name)]}
              labelFormatter={(label) =>
                t('reserve.chart.month', { month: typeof label === 'number' ? String(label) : '' })
              }
              isAnimationActive={false}
              itemStyle={{ color: theme.colors.dark[9] }}
              labelStyle={{ color: theme.colors.dark[9], fontWeight: 600 }}
            />
            <Legend position="top" height={28} />
            <Bar
              dataKey="rate"
              name={t('reserve.chart.lifeTable')}
              fill={theme.colors.blue[6]}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="weibull"
              name={t('reserve.chart.weibull')}
              stroke={theme.colors.orange[9]}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </Box>
      <Text id={`${titleId}-summary`} size="sm" c="dark.6" mt="xs">
        {t('reserve.chart.summary', { months: product.lifeTable.length })}
      </Text>
    </Box>
  );
}

function RateTable({ product }: { product: ReserveProduct }) {
  const { t } = useTranslation();
  const { number } = useFormat();
  return (
    <ScrollTable label={t('reserve.rates.title')} minWidth={420}>
      <Table striped verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('reserve.rates.month')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('reserve.rates.unitMonths')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('reserve.rates.claims')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('reserve.rates.rate')}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t('reserve.rates.weibull')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {product.lifeTable.map((r) => (
            <Table.Tr key={r.ageMonths}>
              <Table.Th scope="row">{r.ageMonths + 1}</Table.Th>
              <Table.Td ta="right">{number(r.unitMonths, 1)}</Table.Td>
              <Table.Td ta="right">{number(r.claims, 0)}</Table.Td>
              <Table.Td ta="right">
                {r.rate === null ? t('reserve.rates.notSeen') : number(r.rate * PER, 2)}
              </Table.Td>
              <Table.Td ta="right">{r.weibullRate === null ? '—' : number(r.weibullRate * PER, 2)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function Method({ product }: { product: ReserveProduct | undefined }) {
  const { t } = useTranslation();
  const { number } = useFormat();
  const fit = product?.weibull;
  const shapeWords = !fit
    ? null
    : fit.shape < 0.9
      ? t('reserve.method.shapeEarly')
      : fit.shape > 1.1
        ? t('reserve.method.shapeWear')
        : t('reserve.method.shapeFlat');
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="reserve-method-title">
      <Title order={2} size="h4" id="reserve-method-title" mb="xs">
        {t('reserve.method.title')}
      </Title>
      <Stack gap="xs">
        <Text size="sm">{t('reserve.method.lifeTable')}</Text>
        <Text size="sm">{t('reserve.method.weibull')}</Text>
        {fit && (
          <Text size="sm" fw={600}>
            {t('reserve.method.fitted', {
              product: product.product.sku,
              shape: number(fit.shape, 2),
              scale: number(fit.scaleMonths, 0),
            })}{' '}
            {shapeWords}
          </Text>
        )}
        <Text size="sm">{t('reserve.method.provision')}</Text>
        <Text size="sm">{t('reserve.method.interval')}</Text>
        <Text size="sm">{t('reserve.method.cost')}</Text>
        <List size="sm">
          <List.Item>{t('reserve.method.costReimbursements')}</List.Item>
          <List.Item>{t('reserve.method.costMaker')}</List.Item>
          <List.Item>{t('reserve.method.costOem')}</List.Item>
        </List>
      </Stack>
    </Card>
  );
}

export default function ReservePage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const today = storeToday();
  const [asOf, setAsOf] = useState<string>('');
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(asOf) && asOf <= today ? asOf : undefined;
  const reserve = useQuery(reserveQuery(valid));
  const [chosen, setChosen] = useState<string | undefined>();
  const chartTitle = useId();
  const products = reserve.data?.products ?? [];
  const product =
    products.find((p) => p.product.id === chosen) ??
    [...products].sort((a, b) => b.provision.amountMinor - a.provision.amountMinor)[0];
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('reserve.title')}
        intro={t('reserve.intro')}
        action={
          <TextInput
            type="date"
            label={t('reserve.asOf')}
            description={t('reserve.asOfHint')}
            value={asOf}
            max={today}
            onChange={(e) => {
              setAsOf(e.currentTarget.value);
            }}
          />
        }
      />
      {reserve.isPending ? (
        <PageLoader />
      ) : reserve.isError ? (
        <LoadError error={reserve.error} onRetry={() => void reserve.refetch()} />
      ) : reserve.data.products.length === 0 ? (
        <Text c="dimmed">{t('reserve.none')}</Text>
      ) : (
        <>
          <Totals reserve={reserve.data} />
          <ProductTable reserve={reserve.data} />
          {product && (
            <Card withBorder padding="lg" component="section" aria-labelledby={chartTitle}>
              <Group justify="space-between" align="flex-end" wrap="wrap" mb="sm">
                <Title order={2} size="h4" id={chartTitle}>
                  {t('reserve.chart.title', { product: product.product.name[lang] })}
                </Title>
                <NativeSelect
                  label={t('reserve.chart.choose')}
                  value={product.product.id}
                  data={products.map((p) => ({
                    value: p.product.id,
                    label: `${p.product.sku} · ${p.product.name[lang]}`,
                  }))}
                  onChange={(e) => {
                    setChosen(e.currentTarget.value);
                  }}
                />
              </Group>
              <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
                <RateChart product={product} titleId={chartTitle} />
                <RateTable product={product} />
              </SimpleGrid>
            </Card>
          )}
          <Method product={product} />
        </>
      )}
    </Stack>
  );
}
