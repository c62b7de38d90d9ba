import {
  Anchor,
  Button,
  Card,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LoadError, PageLoader } from '../components/Status.js';
import { Day, Fact, PageHeader } from '../desk/ui.js';
import {
  requestReturn,
  reviewQueueQuery,
  type ReviewQueueItem,
  reviewReport,
  uploadUrl,
} from '../oem/oem-api.js';
import { OemErrorAlert, Units } from '../oem/ui.js';

const count = (text: string): number | undefined =>
  text.trim() === '' ? 0 : /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : undefined;

/** One report waiting: what it claims, what the spares took, and QA's decision on the rest. */
function ReviewCard({ item }: { item: ReviewQueueItem }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [accept, setAccept] = useState(String(item.awaitingQa));
  const [reject, setReject] = useState('0');
  const [basis, setBasis] = useState<'evidence' | 'returned_units' | ''>(
    item.evidenceUploadIds.length > 0 ? 'evidence' : item.review.rmaNumber ? 'returned_units' : '',
  );
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['oem'] });
  };
  const decide = useMutation({
    mutationFn: (body: Parameters<typeof reviewReport>[1]) => reviewReport(item.id, body),
    onSuccess: refresh,
  });
  const askBack = useMutation({
    mutationFn: () => requestReturn(item.id, { expectedVersion: item.orderVersion }),
    onSuccess: refresh,
  });
  const titleId = `review-${item.id}`;
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const a = count(accept);
    const r = count(reject);
    if (a === undefined || r === undefined || a + r === 0) {
      setProblem(t('oem.review.unitsInvalid'));
      return;
    }
    if (r > 0 && !reason.trim()) {
      setProblem(t('oem.review.reasonRequired'));
      return;
    }
    setProblem(undefined);
    decide.mutate({
      acceptUnits: a,
      rejectUnits: r,
      basis: a > 0 && basis ? basis : undefined,
      reason: r > 0 ? reason.trim() : undefined,
      expectedVersion: item.orderVersion,
    });
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Title order={2} size="h4" id={titleId}>
            {t('oem.review.cardTitle', { number: item.order.orderNumber, lot: item.lot })}
          </Title>
          <Anchor component={Link} to={`/oem/orders/${item.order.id}`} size="sm">
            {t('oem.review.openOrder')}
          </Anchor>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="md">
          <Fact label={t('oem.fields.client')}>{item.client.name}</Fact>
          <Fact label={t('oem.fields.reportedOn')}>
            <Day date={item.reportedOn} />
          </Fact>
          <Fact label={t('oem.fields.units')}>
            <Units count={item.units} />
          </Fact>
          <Fact label={t('oem.ledger.coveredBySpares')}>
            <Units count={item.coveredBySpares} />
          </Fact>
          <Fact label={t('oem.ledger.awaitingQa')}>
            <Text span fw={700}>
              <Units count={item.awaitingQa} />
            </Text>
          </Fact>
          <Fact label={t('oem.review.returnNumber')}>
            {item.review.rmaNumber ? (
              <Text span ff="monospace">
                {item.review.rmaNumber}
              </Text>
            ) : (
              '—'
            )}
          </Fact>
        </SimpleGrid>
        <Text size="sm">
          <Text span fw={600}>
            {t('oem.fields.failureMode')}:
          </Text>{' '}
          {item.failureMode}
        </Text>
        <Text size="sm">
          <Text span fw={600}>
            {t('oem.fields.evidence')}:
          </Text>{' '}
          {item.evidenceUploadIds.length === 0
            ? t('oem.review.noEvidence')
            : item.evidenceUploadIds.map((id, i) => (
                <Anchor key={id} href={uploadUrl(id)} target="_blank" rel="noopener" size="sm" mr="xs">
                  {t('oem.ledger.evidenceN', { n: i + 1 })}
                </Anchor>
              ))}
        </Text>
        {decide.isError && <OemErrorAlert error={decide.error} />}
        {askBack.isError && <OemErrorAlert error={askBack.error} />}
        <form onSubmit={submit} noValidate>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              name="acceptUnits"
              label={t('oem.review.accept')}
              inputMode="numeric"
              value={accept}
              onChange={(e) => {
                setAccept(e.currentTarget.value);
              }}
              w={120}
              autoComplete="off"
            />
            <NativeSelect
              name="basis"
              label={t('oem.review.basis')}
              value={basis}
              onChange={(e) => {
                setBasis(e.currentTarget.value as typeof basis);
              }}
              data={[
                { value: '', label: t('oem.choose') },
                { value: 'evidence', label: t('oem.review.basisEvidence') },
                { value: 'returned_units', label: t('oem.review.basisReturned') },
              ]}
              w={220}
            />
            <TextInput
              name="rejectUnits"
              label={t('oem.review.reject')}
              inputMode="numeric"
              value={reject}
              onChange={(e) => {
                setReject(e.currentTarget.value);
              }}
              w={120}
              autoComplete="off"
            />
            <TextInput
              name="reason"
              label={t('oem.review.reason')}
              description={t('oem.review.reasonHint')}
              value={reason}
              error={problem}
              onChange={(e) => {
                setReason(e.currentTarget.value);
              }}
              w={320}
              autoComplete="off"
            />
            <Button
              type="submit"
              loading={decide.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('oem.review.decide')}
            </Button>
            {!item.review.rmaNumber && (
              <Button
                variant="default"
                loading={askBack.isPending}
                onClick={() => {
                  askBack.mutate();
                }}
              >
                {t('oem.review.askBack')}
              </Button>
            )}
          </Group>
        </form>
      </Stack>
    </Card>
  );
}

/**
 * QA's review of reported units: beyond an order's spares nothing is owed until QA accepts the units —
 * from the evidence, or from the returned units inspected against a return number — or rejects them
 * with a reason the client reads.
 */
export default function ReviewsPage() {
  const { t } = useTranslation();
  const queue = useQuery(reviewQueueQuery);
  return (
    <Stack gap="lg">
      <PageHeader title={t('oem.review.title')} intro={t('oem.review.intro')} />
      {queue.isPending ? (
        <PageLoader />
      ) : queue.isError ? (
        <LoadError error={queue.error} onRetry={() => void queue.refetch()} />
      ) : queue.data.length === 0 ? (
        <Text c="dark.6">{t('oem.review.none')}</Text>
      ) : (
        queue.data.map((item) => <ReviewCard key={`${item.id}-${item.orderVersion}`} item={item} />)
      )}
    </Stack>
  );
}
