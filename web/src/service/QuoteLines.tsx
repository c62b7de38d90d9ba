import { Card, Group, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { ScrollTable } from '../components/ScrollTable.js';
import { formatMoney, useLanguages } from './common.js';

type Money = { amountMinor: number; currency: string };
type Line = {
  kind: 'part' | 'labour';
  description: string;
  quantity: number;
  unitPrice: Money;
  /** Unit price × quantity rounded half up to the minor unit, as the server computed it. */
  lineTotal: Money;
};

/** Phones get the lines as cards: a table wider than the screen hid the prices behind a sideways scroll. */
const NARROW = '(max-width: 40em)';

/** A quote's parts and labour, each line's amount, and the total. */
export function QuoteLines({ lines, total }: { lines: readonly Line[]; total: Money }) {
  const { t } = useTranslation();
  const { locale } = useLanguages();
  const narrow = useMediaQuery(NARROW, false, { getInitialValueInEffect: false });
  const quantity = (line: Line) => line.quantity.toLocaleString(locale, { maximumFractionDigits: 1 });
  if (narrow) {
    return (
      <Stack gap="xs" component="ul" aria-label={t('service.quote.lines')} className="quote-line-cards">
        {lines.map((line, index) => (
          <Card key={index} component="li" withBorder padding="sm">
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
              <div>
                <Text fw={600}>{line.description}</Text>
                <Text size="sm" c="dimmed">
                  {t(`service.quote.kinds.${line.kind}`)} ·{' '}
                  {t('service.quote.quantityTimesPrice', {
                    quantity: quantity(line),
                    price: formatMoney(line.unitPrice, locale),
                  })}
                </Text>
              </div>
              <Text fw={600} style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(line.lineTotal, locale)}
              </Text>
            </Group>
          </Card>
        ))}
        <Group component="li" justify="space-between" px="sm" className="quote-line-total">
          <Text fw={700}>{t('service.quote.total')}</Text>
          <Text fw={700} size="lg" data-testid="quote-total">
            {formatMoney(total, locale)}
          </Text>
        </Group>
      </Stack>
    );
  }
  return (
    <ScrollTable label={t('service.quote.lines')} minWidth={520}>
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('service.quote.item')}</Table.Th>
            <Table.Th scope="col">{t('service.quote.kind')}</Table.Th>
            <Table.Th scope="col" ta="end">
              {t('service.quote.quantity')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('service.quote.unitPrice')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('service.quote.amount')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((line, index) => (
            <Table.Tr key={index}>
              <Table.Td>{line.description}</Table.Td>
              <Table.Td>{t(`service.quote.kinds.${line.kind}`)}</Table.Td>
              <Table.Td ta="end">{quantity(line)}</Table.Td>
              <Table.Td ta="end">{formatMoney(line.unitPrice, locale)}</Table.Td>
              <Table.Td ta="end">{formatMoney(line.lineTotal, locale)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row" colSpan={4} ta="end">
              {t('service.quote.total')}
            </Table.Th>
            <Table.Td ta="end" fw={700} data-testid="quote-total">
              {formatMoney(total, locale)}
            </Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </ScrollTable>
  );
}
