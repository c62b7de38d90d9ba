import { Box, Text, useMantineTheme } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  type BarShapeProps,
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  Rectangle,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { LotRate } from './qa-api.js';

/*
 * Each lot's defect rate as a bar with its 95 % Wilson interval, against the spare rate of its orders
 * (a line: the lowest rate among the orders that shipped from the lot). A flagged lot — the interval's
 * lower bound above that line — is drawn in red. The numbers are in the table beside the chart.
 */

type Point = {
  key: string;
  label: string;
  rate: number;
  spareRate: number;
  /** The 95 % Wilson interval's bounds, in percent, and the whiskers' lengths below and above the rate. */
  lower: number;
  upper: number;
  interval: [number, number];
  flagged: boolean;
};

/** Rates as percentages with at most two decimals, in the reader's digits. */
export function usePercent(): (fraction: number) => string {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
  return (fraction: number) => t('format.percent', { value: number.format(fraction * 100) });
}

export function LotRateChart({ lots, titleId }: { lots: readonly LotRate[]; titleId: string }) {
  const { t } = useTranslation();
  const theme = useMantineTheme();
  const percent = usePercent();
  const points: Point[] = lots.map((l) => ({
    key: `${l.product.id} ${l.lot}`,
    label: lots.some((o) => o.product.id !== l.product.id) ? `${l.product.sku} · ${l.lot}` : l.lot,
    rate: l.rate * 100,
    spareRate: (l.spareRateBps / 10_000) * 100,
    lower: l.lower * 100,
    upper: l.upper * 100,
    interval: [(l.rate - l.lower) * 100, (l.upper - l.rate) * 100],
    flagged: l.flagged,
  }));
  const flagged = lots.filter((l) => l.flagged).length;
  const red = theme.colors.red[7];
  const blue = theme.colors.blue[6];
  const orange = theme.colors.orange[9];
  return (
    <Box>
      {/* The picture is for the eye; its words say what it shows, the table has every number. */}
      <Box role="img" aria-labelledby={titleId} aria-describedby={`${titleId}-summary`} className="lot-chart">
        <ResponsiveContainer width="100%" height={340}>
          <ComposedChart
            accessibilityLayer={false}
            data={points}
            margin={{ top: 12, right: 16, bottom: 48, left: 8 }}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="label"
              angle={-30}
              textAnchor="end"
              interval={0}
              height={64}
              tick={{ fontSize: 12 }}
            />
            <YAxis
              tickFormatter={(v: number) => percent(v / 100)}
              width={64}
              tick={{ fontSize: 12 }}
              label={{
                value: t('oem.qa.rates.axis'),
                angle: -90,
                position: 'insideLeft',
                style: { fontSize: 12, textAnchor: 'middle' },
              }}
            />
            <Tooltip
              formatter={(value, name, item) => {
                const point = item.payload as Point | undefined;
                // The rate with its 95 % interval, as the bars' whiskers draw it.
                if (item.dataKey === 'rate' && point) {
                  return [
                    t('oem.qa.rates.rateAndInterval', {
                      rate: percent(point.rate / 100),
                      lower: percent(point.lower / 100),
                      upper: percent(point.upper / 100),
                    }),
                    String(name),
                  ];
                }
                return [percent(Number(value) / 100), String(name)];
              }}
              isAnimationActive={false}
              itemStyle={{ color: theme.colors.dark[9] }}
              labelStyle={{ color: theme.colors.dark[9], fontWeight: 600 }}
            />
            <Legend position="top" height={32} />
            <Bar
              dataKey="rate"
              name={t('oem.qa.rates.rate')}
              fill={blue}
              isAnimationActive={false}
              shape={(bar: BarShapeProps) => (
                <Rectangle {...bar} fill={(bar.payload as Point).flagged ? red : blue} />
              )}
            >
              <ErrorBar
                dataKey="interval"
                direction="y"
                width={8}
                strokeWidth={2}
                stroke={theme.colors.dark[7]}
                isAnimationActive={false}
              />
            </Bar>
            <Line
              type="step"
              dataKey="spareRate"
              name={t('oem.qa.rates.spareRate')}
              stroke={orange}
              strokeWidth={2}
              strokeDasharray="6 3"
              dot={{ r: 3 }}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </Box>
      <Text id={`${titleId}-summary`} size="sm" c="dark.6" mt="xs">
        {t('oem.qa.rates.chartSummary', { count: lots.length, flagged })}
      </Text>
    </Box>
  );
}
