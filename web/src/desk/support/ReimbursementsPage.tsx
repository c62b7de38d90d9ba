import { Anchor, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { reimbursementStatuses } from '../../../../src/http/reimbursements/schemas.js';
import { ApiError } from '../../api.js';
import { type Decision, DecisionButtons, DecisionDialog } from '../../components/DecisionDialog.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import {
  decideReimbursement,
  type Reimbursement,
  type ReimbursementStatus,
  reimbursementsQuery,
} from '../desk-api.js';
import { dealerName } from '../../parties.js';
import {
  Amount,
  ConflictNotice,
  Day,
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
        await queryClient.invalidateQueries({ queryKey: reimbursementsQuery.queryKey });
      }}
      onConflict={async () => {
        await queryClient.invalidateQueries({ queryKey: reimbursementsQuery.queryKey });
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

/** What dealers ask back for their counter remedies: support approves, or rejects with a reason. */
export default function ReimbursementsPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  // Pending first: that is the work; the others are a record.
  const status: ReimbursementStatus | 'all' = raw === 'all' ? 'all' : isStatus(raw) ? raw : 'pending';
  const rows = useQuery({
    ...reimbursementsQuery,
    select: (all) => (status === 'all' ? all : all.filter((r) => r.status === status)),
  });
  const [deciding, setDeciding] = useState<{ row: Reimbursement; decision: Decision } | null>(null);
  const [conflict, setConflict] = useState(false);
  const [decided, setDecided] = useState<Reimbursement | null>(null);

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
      <NativeSelect
        label={t('desk.fields.status')}
        maw={240}
        value={status}
        onChange={(e) => {
          setParams({ status: e.currentTarget.value }, { replace: true });
        }}
        data={[
          ...reimbursementStatuses.map((s) => ({ value: s, label: t(`desk.reimbursementStatus.${s}`) })),
          { value: 'all', label: t('desk.claims.all') },
        ]}
      />
      {rows.isPending ? (
        <PageLoader />
      ) : rows.isError ? (
        <LoadError error={rows.error} onRetry={() => void rows.refetch()} />
      ) : rows.data.length === 0 ? (
        <Text c="dimmed">{t('desk.reimbursements.none')}</Text>
      ) : (
        <ScrollTable label={t('desk.reimbursements.title')} minWidth={920}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.fields.dealer')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.remedy')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.amount')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.status')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.data.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Th scope="row">
                    <Text size="sm" fw={600}>
                      {dealerName(r.dealer, lang)}
                    </Text>
                    <Text size="xs" c="dark.6">
                      <Day date={r.remedy.performedOn} />
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    <Anchor component={Link} to={`/desk/support/claims/${r.remedy.claimId}`} size="sm">
                      {t(`remedy.${r.remedy.kind}`)}
                    </Anchor>
                    <Text size="xs" c="dark.6">
                      {[r.remedy.returnedSerial, r.remedy.replacementSerial].filter(Boolean).join(' → ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Amount money={r.amount} />
                  </Table.Td>
                  <Table.Td>
                    <ReimbursementStatusBadge status={r.status} />
                    {r.reason && (
                      <Text size="xs" c="dark.6" mt={4}>
                        {r.reason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {r.status === 'pending' && (
                      <DecisionButtons
                        label={(decision) => t(`desk.reimbursements.action.${decision}`)}
                        namedLabel={(decision) =>
                          t(`desk.reimbursements.actionNamed.${decision}`, {
                            dealer: dealerName(r.dealer, lang),
                          })
                        }
                        onChoose={(decision) => {
                          setConflict(false);
                          setDecided(null);
                          setDeciding({ row: r, decision });
                        }}
                      />
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
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
