import { Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ScrollTable } from '../components/ScrollTable.js';
import { formatMoney, useLanguages } from './common.js';

type Money = { amountMinor: number; currency: string };
type Line = { kind: 'part' | 'labour'; description: string; quantity: number; unitPrice: Money };

/** A quote's parts and labour, each line's amount, and the total. */
export function QuoteLines({ lines, total }: { lines: readonly Line[]; total: Money }) {
  const { t } = useTranslation();
  const { locale } = useLanguages();
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
              <Table.Td ta="end">{line.quantity}</Table.Td>
              <Table.Td ta="end">{formatMoney(line.unitPrice, locale)}</Table.Td>
              <Table.Td ta="end">
                {formatMoney(
                  {
                    amountMinor: line.unitPrice.amountMinor * line.quantity,
                    currency: line.unitPrice.currency,
                  },
                  locale,
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row" colSpan={4} ta="end">
              {t('service.quote.total')}
            </Table.Th>
            <Table.Td ta="end" fw={700}>
              {formatMoney(total, locale)}
            </Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </ScrollTable>
  );
}
