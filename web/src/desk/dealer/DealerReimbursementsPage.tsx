import { Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { reimbursementsQuery } from '../desk-api.js';
import { Amount, Day, DayOf, PageHeader, ReimbursementStatusBadge } from '../ui.js';

/** What the dealer asked Halotek to pay back for its counter remedies, and what support decided. */
export default function DealerReimbursementsPage() {
  const { t } = useTranslation();
  const rows = useQuery(reimbursementsQuery);
  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.reimbursements.dealerTitle')} intro={t('desk.reimbursements.dealerIntro')} />
      {rows.isPending ? (
        <PageLoader />
      ) : rows.isError ? (
        <LoadError error={rows.error} onRetry={() => void rows.refetch()} />
      ) : rows.data.length === 0 ? (
        <Text c="dimmed">{t('desk.reimbursements.none')}</Text>
      ) : (
        <ScrollTable label={t('desk.reimbursements.dealerTitle')} minWidth={820}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.fields.performedOn')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.remedy')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.amount')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.status')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.decisionReason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.data.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Day date={r.remedy.performedOn} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {t(`remedy.${r.remedy.kind}`)}
                    </Text>
                    <Text size="xs" c="dark.6">
                      {[r.remedy.returnedSerial, r.remedy.replacementSerial].filter(Boolean).join(' → ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Amount money={r.amount} />
                  </Table.Td>
                  <Table.Td>
                    <ReimbursementStatusBadge status={r.status} />
                    {r.remedy.approval === 'awaiting' && (
                      <Text size="xs" c="dark.6" mt={4}>
                        {t('desk.remedy.refundWaiting')}
                      </Text>
                    )}
                    {r.decidedAt && (
                      <Text size="xs" c="dark.6" mt={4}>
                        <DayOf at={r.decidedAt} />
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.reason ?? '—'}</Text>
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
