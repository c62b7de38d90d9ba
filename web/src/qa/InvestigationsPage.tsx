import { Anchor, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ScrollTable } from '../components/ScrollTable.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { DayOf, PageHeader, useApiLanguage } from '../desk/ui.js';
import { Units } from '../oem/ui.js';
import { investigationsQuery } from './qa-api.js';
import { InvestigationStateBadge } from './ui.js';

/** Batch-defect investigations, newest first: the lots, where each stands, its cause and its remakes. */
export default function InvestigationsPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const list = useQuery(investigationsQuery);
  return (
    <Stack gap="lg">
      <PageHeader title={t('oem.qa.investigations.title')} intro={t('oem.qa.investigations.intro')} />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <Text c="dimmed">{t('oem.qa.investigations.none')}</Text>
      ) : (
        <ScrollTable label={t('oem.qa.investigations.title')} minWidth={860}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('oem.fields.lots')}</Table.Th>
                <Table.Th scope="col">{t('oem.fields.product')}</Table.Th>
                <Table.Th scope="col">{t('oem.fields.status')}</Table.Th>
                <Table.Th scope="col">{t('oem.qa.fields.rootCause')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('oem.qa.fields.remade')}
                </Table.Th>
                <Table.Th scope="col">{t('oem.qa.fields.openedOn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((inv) => (
                <Table.Tr key={inv.id}>
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/qa/investigations/${inv.id}`} ff="monospace" size="sm">
                      {inv.lots.join(', ')}
                    </Anchor>
                  </Table.Th>
                  <Table.Td>
                    <Text size="sm">{inv.product.name[lang]}</Text>
                    <Text size="xs" c="dark.6">
                      {inv.product.sku}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <InvestigationStateBadge state={inv.state} />
                  </Table.Td>
                  <Table.Td>{inv.rootCause ? t(`rootCause.${inv.rootCause}`) : '—'}</Table.Td>
                  <Table.Td ta="right">
                    <Units count={inv.remakeOrders.reduce((s, r) => s + r.units, 0)} />
                  </Table.Td>
                  <Table.Td>
                    <DayOf at={inv.createdAt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}
