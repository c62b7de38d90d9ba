import { Anchor, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { reimbursementSchema, reimbursementStatuses } from '../../../../src/http/reimbursements/schemas.js';
import { ApiError } from '../../api.js';
import { type Decision, DecisionButtons, DecisionDialog } from '../../components/DecisionDialog.js';
import { type ListColumn, ListTable, pageSizeOf, useFilterParams } from '../../components/ListTable.js';
import { dealerName, dealersQuery } from '../../parties.js';
import {
  decideReimbursement,
  type Reimbursement,
  reimbursementsListKey,
  type ReimbursementStatus,
} from '../desk-api.js';
import { currencies } from '../money.js';
import {
  Amount,
  ConflictNotice,
  Day,
  DayOf,
  Done,
  Fact,
  PageHeader,
  ReimbursementStatusBadge,
  useApiLanguage,
} from '../ui.js';

/** Another agent decided it first (a stale version, or already decided): the list is read again. */
const decidedElsewhere = (error: Error) =>
  error instanceof ApiError &&
  (error.code === 'VERSION_CONFLICT' || error.code === 'REIMBURSEMENT_ALREADY_DECIDED');

function DecideDialog({
  reimbursement,
  decision,
  onClose,
  onDecided,
  onConflict,
}: {
  reimbursement: Reimbursement;
  decision: Decision;
  onClose: () => void;
  onDecided: (r: Reimbursement) => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const queryClient = useQueryClient();
  return (
    <DecisionDialog
      title={t(`desk.reimbursements.dialog.${decision}`, { dealer: dealerName(reimbursement.dealer, lang) })}
      decision={decision}
      labels={{
        reason: t('desk.reimbursements.reason'),
        note: t('desk.reimbursements.note'),
        hint: t('desk.reimbursements.reasonHint'),
        required: t('desk.reimbursements.reasonRequired'),
        submit: t(`desk.reimbursements.submit.${decision}`),
      }}
      decide={(reason) =>
        decideReimbursement(reimbursement.id, { decision, reason, expectedVersion: reimbursement.version })
      }
      decidedElsewhere={decidedElsewhere}
      onClose={onClose}
      onDecided={async (decided) => {
        onDecided(decided);
        await queryClient.invalidateQueries({ queryKey: reimbursementsListKey });
      }}
      onConflict={async () => {
        await queryClient.invalidateQueries({ queryKey: reimbursementsListKey });
        onConflict();
      }}
    >
      <Group gap="xl">
        <Fact label={t('desk.fields.remedy')}>{t(`remedy.${reimbursement.remedy.kind}`)}</Fact>
        <Fact label={t('desk.fields.amount')}>
          <Amount money={reimbursement.amount} />
        </Fact>
        <Fact label={t('desk.fields.performedOn')}>
          <Day date={reimbursement.remedy.performedOn} />
        </Fact>
      </Group>
    </DecisionDialog>
  );
}

function isStatus(v: string | null): v is ReimbursementStatus {
  return (reimbursementStatuses as readonly (string | null)[]).includes(v);
}

/**
 * What dealers ask back for their counter remedies: support approves, or rejects with a reason. A page
 * at a time, waiting ones first by default; filtered by status, dealer, currency and the days asked in
 * the address so a filtered list can be shared; sorted by its headers, searched, exported as CSV.
 */
export default function ReimbursementsPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const { params, filter, setParam } = useFilterParams();
  const dealers = useQuery(dealersQuery);
  const raw = params.get('status');
  // Pending first: that is the work; the others are a record.
  const status: ReimbursementStatus | 'all' = raw === 'all' ? 'all' : isStatus(raw) ? raw : 'pending';
  const [deciding, setDeciding] = useState<{ row: Reimbursement; decision: Decision } | null>(null);
  const [conflict, setConflict] = useState(false);
  const [decided, setDecided] = useState<Reimbursement | null>(null);

  const columns: ListColumn<Reimbursement>[] = [
    {
      key: 'dealer',
      header: t('desk.fields.dealer'),
      rowHeader: true,
      cell: (r) => (
        <>
          <Text size="sm" fw={600}>
            {dealerName(r.dealer, lang)}
          </Text>
          <Text size="xs" c="dark.6">
            <Day date={r.remedy.performedOn} />
          </Text>
        </>
      ),
    },
    {
      key: 'remedy',
      header: t('desk.fields.remedy'),
      cell: (r) => (
        <>
          <Anchor component={Link} to={`/desk/support/claims/${r.remedy.claimId}`} size="sm">
            {t(`remedy.${r.remedy.kind}`)}
          </Anchor>
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
          {r.reason && (
            <Text size="xs" c="dark.6" mt={4}>
              {r.reason}
            </Text>
          )}
        </>
      ),
    },
    {
      key: 'actions',
      header: t('desk.fields.actions'),
      cell: (r) =>
        r.status === 'pending' && (
          <DecisionButtons
            label={(decision) => t(`desk.reimbursements.action.${decision}`)}
            namedLabel={(decision) =>
              t(`desk.reimbursements.actionNamed.${decision}`, { dealer: dealerName(r.dealer, lang) })
            }
            onChoose={(decision) => {
              setConflict(false);
              setDecided(null);
              setDeciding({ row: r, decision });
            }}
          />
        ),
    },
  ];

  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.reimbursements.title')} intro={t('desk.reimbursements.intro')} />
      {conflict && (
        <ConflictNotice
          onClose={() => {
            setConflict(false);
          }}
        />
      )}
      {decided && (
        <Done
          title={t(`desk.reimbursements.done.${decided.status}`, {
            dealer: dealerName(decided.dealer, lang),
          })}
        />
      )}
      <ListTable
        label={t('desk.reimbursements.title')}
        path="/api/v1/reimbursements"
        item={reimbursementSchema}
        rowKey={(r) => r.id}
        columns={columns}
        params={{
          status: status === 'all' ? undefined : status,
          dealerId: filter('dealer'),
          currency: filter('currency'),
          from: filter('from'),
          to: filter('to'),
        }}
        defaultSort="createdAt"
        defaultOrder="desc"
        empty={t('desk.reimbursements.none')}
        pageSize={pageSizeOf(params.get('per'))}
        minWidth={1000}
        filters={
          <>
            <NativeSelect
              label={t('desk.fields.status')}
              value={status}
              onChange={(e) => {
                setParam('status', e.currentTarget.value === 'pending' ? '' : e.currentTarget.value);
              }}
              data={[
                ...reimbursementStatuses.map((s) => ({
                  value: s,
                  label: t(`desk.reimbursementStatus.${s}`),
                })),
                { value: 'all', label: t('desk.claims.all') },
              ]}
            />
            <NativeSelect
              label={t('desk.fields.dealer')}
              value={filter('dealer')}
              onChange={(e) => {
                setParam('dealer', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('desk.reimbursements.anyDealer') },
                ...(dealers.data ?? []).map((d) => ({ value: d.id, label: dealerName(d, lang) })),
              ]}
            />
            <NativeSelect
              label={t('desk.reimbursements.currency')}
              value={filter('currency')}
              onChange={(e) => {
                setParam('currency', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('desk.reimbursements.anyCurrency') },
                ...currencies.map((c) => ({ value: c, label: c })),
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
      {deciding && (
        <DecideDialog
          reimbursement={deciding.row}
          decision={deciding.decision}
          onClose={() => {
            setDeciding(null);
          }}
          onDecided={(r) => {
            setDeciding(null);
            setDecided(r);
          }}
          onConflict={() => {
            setDeciding(null);
            setConflict(true);
          }}
        />
      )}
    </Stack>
  );
}
