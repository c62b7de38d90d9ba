import { Box, Text, useMantineTheme } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export type Series = { key: string; name: string; color: string };

/**
 * Bars of a few series over one axis (weeks, months, centers, dealers), as the QA console draws its
 * chart: the picture is for the eye, its summary says what it shows, the table beside has every number.
 */
export function InsightChart({
  data,
  xKey,
  series,
  stacked = false,
  titleId,
  summary,
  format,
}: {
  data: readonly Record<string, string | number>[];
  xKey: string;
  series: readonly Series[];
  stacked?: boolean;
  titleId: string;
  summary: string;
  format?: (value: number) => string;
}) {
  const theme = useMantineTheme();
  return (
    <Box>
      <Box role="img" aria-labelledby={titleId} aria-describedby={`${titleId}-summary`}>
        <ResponsiveContainer width="100%" height={280}>
          <BarChart
            accessibilityLayer={false}
            data={[...data]}
            margin={{ top: 8, right: 8, bottom: 32, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey={xKey}
              angle={-30}
              textAnchor="end"
              interval="preserveStartEnd"
              height={56}
              tick={{ fontSize: 12 }}
            />
            <YAxis
              width={48}
              tick={{ fontSize: 12 }}
              tickFormatter={format}
              allowDecimals={format !== undefined}
            />
            <Tooltip
              isAnimationActive={false}
              formatter={(value) => (format ? format(Number(value)) : String(value))}
              itemStyle={{ color: theme.colors.dark[9] }}
              labelStyle={{ color: theme.colors.dark[9], fontWeight: 600 }}
            />
            <Legend height={28} />
            {series.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.name}
                fill={s.color}
                stackId={stacked ? 'stack' : undefined}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </Box>
      <Text id={`${titleId}-summary`} size="sm" c="dark.6" mt="xs">
        {summary}
      </Text>
    </Box>
  );
}
