import { Anchor, List, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { riskReviewStatuses } from '../../../src/http/risk-reviews/schemas.js';
import { ApiError } from '../api.js';
import { type Decision, DecisionButtons, DecisionDialog } from '../components/DecisionDialog.js';
import { ScrollTable } from '../components/ScrollTable.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { ToneBadge } from '../components/Badges.js';
import { ConflictNotice, DayOf, Done, PageHeader } from '../desk/ui.js';
import { decideRiskReview, type RiskReview, type RiskReviewStatus, riskReviewsQuery } from './trust-api.js';

/** Facts that are rates in [0, 1], shown as percentages. */
const rateFacts = new Set(['rate', 'lowerBound', 'peersRate']);

function shownFacts(facts: Record<string, number | string>, locale: string): Record<string, string> {
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const whole = new Intl.NumberFormat(locale);
  return Object.fromEntries(
    Object.entries(facts).map(([k, v]) => [
      k,
      typeof v === 'number' ? (rateFacts.has(k) ? percent.format(v) : whole.format(v)) : v,
    ]),
  );
}

/** Each signal in words, with the numbers the rule saw: a reviewer can check the arithmetic. */
export function SignalList({ review }: { review: RiskReview }) {
  const { t, i18n } = useTranslation();
  return (
    <List size="sm" spacing={4}>
      {review.signals.map((s) => (
        <List.Item key={s.code}>
          <Text size="sm" fw={600} span>
            {t(`trust.signal.${s.code}.title`)}
          </Text>
          {' — '}
          <Text size="sm" span>
            {t(`trust.signal.${s.code}.explain`, shownFacts(s.facts, i18n.language))}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

const statusTone = { pending: 'blue', approved: 'teal', rejected: 'red' } as const satisfies Record<
  RiskReviewStatus,
  string
>;

/** Where the held object is seen in full, for the kinds that have a page. */
function subjectLink(review: RiskReview): string | null {
  if (review.subjectKind === 'claim') return `/desk/support/claims/${review.subjectId}`;
  if (review.subjectKind === 'reimbursement') return '/desk/support/reimbursements';
  return null;
}

const decidedElsewhere = (error: Error) =>
  error instanceof ApiError &&
  (error.code === 'VERSION_CONFLICT' || error.code === 'RISK_REVIEW_ALREADY_DECIDED');

function DecideDialog({
  review,
  decision,
  onClose,
  onDecided,
  onConflict,
}: {
  review: RiskReview;
  decision: Decision;
  onClose: () => void;
  onDecided: (r: RiskReview) => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['trust', 'reviews'] });
  return (
    <DecisionDialog
      title={t(`trust.reviews.dialog.${decision}`, { what: t(`trust.subject.${review.subjectKind}`) })}
      decision={decision}
      labels={{
        reason: t('trust.reviews.reason'),
        note: t('trust.reviews.note'),
        hint: t('trust.reviews.reasonHint'),
        required: t('trust.reviews.reasonRequired'),
        submit: t(`trust.reviews.action.${decision}`),
      }}
      decide={(reason) => decideRiskReview(review.id, { decision, reason, expectedVersion: review.version })}
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
      <SignalList review={review} />
      <Text size="sm">{t(`trust.reviews.effect.${decision}`)}</Text>
    </DecisionDialog>
  );
}

function isStatus(v: string | null): v is RiskReviewStatus {
  return (riskReviewStatuses as readonly (string | null)[]).includes(v);
}

/**
 * What fraud signals hold before it pays out — claims and dealers' reimbursements for support, OEM
 * credits for QA (the API narrows the list to the reader's kinds) — oldest first, each with the
 * signals in words. Approve and it may pay out; decline with a reason the party reads.
 */
export default function ReviewsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status: RiskReviewStatus | 'all' = raw === 'all' ? 'all' : isStatus(raw) ? raw : 'pending';
  const rows = useQuery(riskReviewsQuery(status));
  const [deciding, setDeciding] = useState<{ row: RiskReview; decision: Decision } | null>(null);
  const [conflict, setConflict] = useState(false);
  const [decided, setDecided] = useState<RiskReview | null>(null);

  return (
    <Stack gap="lg">
      <PageHeader title={t('trust.reviews.title')} intro={t('trust.reviews.intro')} />
      {conflict && (
        <ConflictNotice
          onClose={() => {
            setConflict(false);
          }}
        />
      )}
      {decided && <Done title={t(`trust.reviews.done.${decided.status}`)} />}
      <NativeSelect
        label={t('trust.reviews.status')}
        maw={240}
        value={status}
        onChange={(e) => {
          setParams({ status: e.currentTarget.value }, { replace: true });
        }}
        data={[
          ...riskReviewStatuses.map((s) => ({ value: s, label: t(`trust.status.${s}`) })),
          { value: 'all', label: t('trust.reviews.all') },
        ]}
      />
      {rows.isPending ? (
        <PageLoader />
      ) : rows.isError ? (
        <LoadError error={rows.error} onRetry={() => void rows.refetch()} />
      ) : rows.data.length === 0 ? (
        <Text c="dimmed">{t('trust.reviews.none')}</Text>
      ) : (
        <ScrollTable label={t('trust.reviews.title')} minWidth={880}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('trust.reviews.held')}</Table.Th>
                <Table.Th scope="col">{t('trust.reviews.signals')}</Table.Th>
                <Table.Th scope="col">{t('trust.reviews.status')}</Table.Th>
                <Table.Th scope="col">{t('trust.reviews.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.data.map((r) => {
                const link = subjectLink(r);
                const what = t(`trust.subject.${r.subjectKind}`);
                return (
                  <Table.Tr key={r.id}>
                    <Table.Th scope="row">
                      {link ? (
                        <Anchor component={Link} to={link} size="sm" fw={600}>
                          {what}
                        </Anchor>
                      ) : (
                        <Text size="sm" fw={600}>
                          {what}
                        </Text>
                      )}
                      <Text size="xs" c="dark.6">
                        <DayOf at={r.createdAt} />
                      </Text>
                    </Table.Th>
                    <Table.Td>
                      <SignalList review={r} />
                    </Table.Td>
                    <Table.Td>
                      <ToneBadge tone={statusTone[r.status]}>{t(`trust.status.${r.status}`)}</ToneBadge>
                      {r.reason && (
                        <Text size="xs" c="dark.6" mt={4}>
                          {r.reason}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {r.status === 'pending' && (
                        <DecisionButtons
                          label={(decision) => t(`trust.reviews.action.${decision}`)}
                          namedLabel={(decision) => t(`trust.reviews.actionNamed.${decision}`, { what })}
                          onChoose={(decision) => {
                            setConflict(false);
                            setDecided(null);
                            setDeciding({ row: r, decision });
                          }}
                        />
                      )}
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
          review={deciding.row}
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
