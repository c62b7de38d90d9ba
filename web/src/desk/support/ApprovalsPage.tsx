import { Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { approvalStates } from '../../../../src/domain/approvals/four-eyes.js';
import { ApiError } from '../../api.js';
import { type Decision, DecisionButtons, DecisionDialog } from '../../components/DecisionDialog.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { ToneBadge } from '../../components/Badges.js';
import { useMe } from '../../session.js';
import {
  type Approval,
  type ApprovalState,
  approvalsQuery,
  decideApproval,
  reimbursementsListKey,
} from '../desk-api.js';
import { Amount, ConflictNotice, DayOf, Done, Fact, PageHeader, useApiLanguage } from '../ui.js';

/** The summary's line in the reader's language: English first, then Chinese. */
function summaryIn(summary: string, lang: 'en' | 'zh'): string {
  const [en, zh] = summary.split('\n');
  return (lang === 'zh' ? zh : en) ?? summary;
}

/** Someone else decided first: the list is read again. */
const decidedElsewhere = (error: Error) =>
  error instanceof ApiError &&
  (error.code === 'VERSION_CONFLICT' || error.code === 'APPROVAL_ALREADY_DECIDED');

function DecideDialog({
  approval,
  decision,
  onClose,
  onDecided,
  onConflict,
}: {
  approval: Approval;
  decision: Decision;
  onClose: () => void;
  onDecided: (a: Approval) => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['desk', 'approvals'] }),
      queryClient.invalidateQueries({ queryKey: reimbursementsListKey }),
    ]);
  return (
    <DecisionDialog
      title={t(`desk.approvals.dialog.${decision}`)}
      decision={decision}
      labels={{
        reason: t('desk.approvals.reason'),
        note: t('desk.approvals.note'),
        hint: t('desk.approvals.reasonHint'),
        required: t('desk.approvals.reasonRequired'),
        submit: t(`desk.approvals.submit.${decision}`),
      }}
      decide={(reason) =>
        decideApproval(approval.id, { decision, reason, expectedVersion: approval.version })
      }
      decidedElsewhere={decidedElsewhere}
      onClose={onClose}
      onDecided={async (decided) => {
        onDecided(decided);
        await refresh();
      }}
      onConflict={async () => {
        await refresh();
        onConflict();
      }}
    >
      <Text size="sm">{summaryIn(approval.summary, lang)}</Text>
      <Group gap="xl">
        <Fact label={t('desk.approvals.kind')}>{t(`desk.approvals.kinds.${approval.kind}`)}</Fact>
        <Fact label={t('desk.fields.amount')}>
          <Amount money={approval.amount} />
        </Fact>
        <Fact label={t('desk.approvals.requestedBy')}>
          {approval.requestedByName ?? approval.requestedBy}
        </Fact>
      </Group>
    </DecisionDialog>
  );
}

function isState(v: string | null): v is ApprovalState {
  return (approvalStates as readonly (string | null)[]).includes(v);
}

/**
 * The approvals room: money above the four-eyes threshold (or with no price to bound it) waits here for a
 * second person. The requester never decides their own request; the server refuses it too.
 */
export default function ApprovalsPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const raw = params.get('state');
  const state: ApprovalState | 'all' = raw === 'all' ? 'all' : isState(raw) ? raw : 'pending';
  const rows = useQuery(approvalsQuery(state));
  const [deciding, setDeciding] = useState<{ row: Approval; decision: Decision } | null>(null);
  const [conflict, setConflict] = useState(false);
  const [decided, setDecided] = useState<Approval | null>(null);
  const myId = me.data?.id;
  const myRole = me.data?.role;

  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.approvals.title')} intro={t('desk.approvals.intro')} />
      {conflict && (
        <ConflictNotice
          onClose={() => {
            setConflict(false);
          }}
        />
      )}
      {decided && <Done title={t(`desk.approvals.done.${decided.state}`)} />}
      <NativeSelect
        label={t('desk.fields.status')}
        maw={240}
        value={state}
        onChange={(e) => {
          setParams({ state: e.currentTarget.value }, { replace: true });
        }}
        data={[
          ...approvalStates.map((s) => ({ value: s, label: t(`desk.approvals.states.${s}`) })),
          { value: 'all', label: t('desk.claims.all') },
        ]}
      />
      {rows.isPending ? (
        <PageLoader />
      ) : rows.isError ? (
        <LoadError error={rows.error} onRetry={() => void rows.refetch()} />
      ) : rows.data.length === 0 ? (
        <Text c="dimmed">{t('desk.approvals.none')}</Text>
      ) : (
        <ScrollTable label={t('desk.approvals.title')} minWidth={960}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.approvals.kind')}</Table.Th>
                <Table.Th scope="col">{t('desk.approvals.requestedBy')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.amount')}</Table.Th>
                <Table.Th scope="col">{t('desk.approvals.why')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.status')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.data.map((a) => {
                const mine = a.requestedByUserId === myId;
                const mayDecide = myRole !== undefined && a.approverRoles.includes(myRole);
                return (
                  <Table.Tr key={a.id}>
                    <Table.Th scope="row">
                      <Text size="sm" fw={600}>
                        {t(`desk.approvals.kinds.${a.kind}`)}
                      </Text>
                      <Text size="xs" c="dark.6" maw={320}>
                        {summaryIn(a.summary, lang)}
                      </Text>
                    </Table.Th>
                    <Table.Td>
                      <Text size="sm">{a.requestedByName ?? a.requestedBy}</Text>
                      <Text size="xs" c="dark.6">
                        <DayOf at={a.createdAt} />
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Amount money={a.amount} />
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        {a.reasons.map((r) => (
                          <Text key={r} size="xs">
                            {t(`desk.approvals.reasons.${r}`)}
                          </Text>
                        ))}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <ToneBadge
                        tone={a.state === 'pending' ? 'grape' : a.state === 'approved' ? 'teal' : 'red'}
                      >
                        {t(`desk.approvals.states.${a.state}`)}
                      </ToneBadge>
                      {a.reason && (
                        <Text size="xs" c="dark.6" mt={4}>
                          {a.reason}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {a.state === 'pending' &&
                        (mine ? (
                          <Text size="xs" c="dark.6">
                            {t('desk.approvals.yours')}
                          </Text>
                        ) : mayDecide ? (
                          <DecisionButtons
                            label={(decision) => t(`desk.approvals.action.${decision}`)}
                            namedLabel={(decision) =>
                              t(`desk.approvals.actionNamed.${decision}`, {
                                kind: t(`desk.approvals.kinds.${a.kind}`),
                                who: a.requestedByName ?? a.requestedBy,
                              })
                            }
                            onChoose={(decision) => {
                              setConflict(false);
                              setDecided(null);
                              setDeciding({ row: a, decision });
                            }}
                          />
                        ) : (
                          <Text size="xs" c="dark.6">
                            {t('desk.approvals.notYourKind')}
                          </Text>
                        ))}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {deciding && (
        <DecideDialog
          approval={deciding.row}
          decision={deciding.decision}
          onClose={() => {
            setDeciding(null);
          }}
          onDecided={(a) => {
            setDeciding(null);
            setDecided(a);
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
