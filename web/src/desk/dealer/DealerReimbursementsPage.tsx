import { NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { reimbursementSchema, reimbursementStatuses } from '../../../../src/http/reimbursements/schemas.js';
import { type ListColumn, ListTable, pageSizeOf, useFilterParams } from '../../components/ListTable.js';
import type { Reimbursement } from '../desk-api.js';
import { Amount, Day, DayOf, PageHeader, ReimbursementStatusBadge } from '../ui.js';

/**
 * What the dealer asked Halotek to pay back for its counter remedies, and what support decided: newest
 * first, a page at a time, filtered by status and the days asked in the address, exported as CSV.
 */
export default function DealerReimbursementsPage() {
  const { t } = useTranslation();
  const { params, filter, setParam } = useFilterParams();
  const columns: ListColumn<Reimbursement>[] = [
    {
      key: 'performed',
      header: t('desk.fields.performedOn'),
      rowHeader: true,
      cell: (r) => <Day date={r.remedy.performedOn} />,
    },
    {
      key: 'remedy',
      header: t('desk.fields.remedy'),
      cell: (r) => (
        <>
          <Text size="sm" fw={600}>
            {t(`remedy.${r.remedy.kind}`)}
          </Text>
          <Text size="xs" c="dark.6">
            {[r.remedy.returnedSerial, r.remedy.replacementSerial].filter(Boolean).join(' → ')}
          </Text>
        </>
      ),
    },
    {
      key: 'amount',
      header: t('desk.fields.amount'),
      sort: 'amount',
      cell: (r) => <Amount money={r.amount} />,
    },
    {
      key: 'asked',
      header: t('desk.reimbursements.askedOn'),
      sort: 'createdAt',
      cell: (r) => <DayOf at={r.createdAt} />,
    },
    {
      key: 'status',
      header: t('desk.fields.status'),
      sort: 'status',
      cell: (r) => (
        <>
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
        </>
      ),
    },
    {
      key: 'reason',
      header: t('desk.fields.decisionReason'),
      cell: (r) => <Text size="sm">{r.reason ?? '—'}</Text>,
    },
  ];
  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.reimbursements.dealerTitle')} intro={t('desk.reimbursements.dealerIntro')} />
      <ListTable
        label={t('desk.reimbursements.dealerTitle')}
        path="/api/v1/reimbursements"
        item={reimbursementSchema}
        rowKey={(r) => r.id}
        columns={columns}
        params={{ status: filter('status'), from: filter('from'), to: filter('to') }}
        defaultSort="createdAt"
        defaultOrder="desc"
        empty={t('desk.reimbursements.none')}
        pageSize={pageSizeOf(params.get('per'))}
        minWidth={900}
        filters={
          <>
            <NativeSelect
              label={t('desk.fields.status')}
              value={filter('status')}
              onChange={(e) => {
                setParam('status', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('desk.claims.all') },
                ...reimbursementStatuses.map((s) => ({
                  value: s,
                  label: t(`desk.reimbursementStatus.${s}`),
                })),
              ]}
            />
            <TextInput
              type="date"
              label={t('desk.reimbursements.from')}
              value={filter('from')}
              onChange={(e) => {
                setParam('from', e.currentTarget.value);
              }}
            />
            <TextInput
              type="date"
              label={t('desk.reimbursements.to')}
              value={filter('to')}
              onChange={(e) => {
                setParam('to', e.currentTarget.value);
              }}
            />
          </>
        }
      />
    </Stack>
  );
}
