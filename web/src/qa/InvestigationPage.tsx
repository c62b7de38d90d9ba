import {
  Anchor,
  Box,
  Button,
  Card,
  Group,
  List,
  NativeSelect,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { LoadError, PageLoader } from '../components/Status.js';
import { isVersionConflict } from '../desk/desk-api.js';
import { currencies, parseAmount } from '../desk/money.js';
import { Amount, ConflictNotice, Day, DayOf, Done, Fact, useApiLanguage } from '../desk/ui.js';
import { uploadEvidence, uploadUrl } from '../oem/oem-api.js';
import { ShipmentsTable } from '../oem/shipments.js';
import { OemErrorAlert, SpareRate } from '../oem/ui.js';
import { usePercent } from './LotRateChart.js';
import {
  attachEvidence,
  type Investigation,
  investigationQuery,
  lotRatesQuery,
  moveInvestigation,
  type MoveInvestigationRequest,
} from './qa-api.js';
import { InvestigationStateBadge } from './ui.js';

type Notice = 'opened' | 'evidence' | 'open' | 'confirmed' | 'dismissed' | 'closed';

function useInvestigationChange(id: string, onDone: (notice: Notice) => void, onConflict: () => void) {
  const queryClient = useQueryClient();
  return async (notice: Notice, change: () => Promise<Investigation>) => {
    try {
      const updated = await change();
      queryClient.setQueryData(investigationQuery(id).queryKey, updated);
      await queryClient.invalidateQueries({ queryKey: ['qa'] });
      await queryClient.invalidateQueries({ queryKey: ['oem'] });
      onDone(notice);
    } catch (error) {
      if (error instanceof Error && isVersionConflict(error)) {
        onConflict();
        await queryClient.invalidateQueries({ queryKey: investigationQuery(id).queryKey });
        return;
      }
      throw error;
    }
  };
}

function Evidence({ inv, onAttach }: { inv: Investigation; onAttach: (files: File[]) => Promise<void> }) {
  const { t } = useTranslation();
  const fileId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [missing, setMissing] = useState(false);
  const attach = useMutation({ mutationFn: onAttach });
  const mayAttach = inv.state === 'proposed' || inv.state === 'open';
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const files = [...(input.current?.files ?? [])];
    setMissing(files.length === 0);
    if (files.length > 0) {
      attach.mutate(files, {
        onSuccess: () => {
          if (input.current) input.current.value = '';
        },
      });
    }
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="evidence-title">
      <Title order={2} size="h4" id="evidence-title" mb="xs">
        {t('oem.qa.evidence.title')}
      </Title>
      {inv.evidenceUploadIds.length === 0 ? (
        <Text size="sm" c="dark.6" mb="sm">
          {t('oem.qa.evidence.none')}
        </Text>
      ) : (
        <List size="sm" mb="sm">
          {inv.evidenceUploadIds.map((id, i) => (
            <List.Item key={id}>
              <Anchor href={uploadUrl(id)} target="_blank" rel="noopener">
                {t('oem.qa.evidence.file', { n: i + 1 })}
              </Anchor>
            </List.Item>
          ))}
        </List>
      )}
      {mayAttach && (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            {attach.isError && <OemErrorAlert error={attach.error} />}
            <Box>
              <Text component="label" htmlFor={fileId} size="sm" fw={500} display="block" mb={2}>
                {t('oem.qa.evidence.files')}
              </Text>
              <Text size="xs" c="dark.6" mb={4} id={`${fileId}-hint`}>
                {t('oem.qa.evidence.hint')}
              </Text>
              <input
                id={fileId}
                ref={input}
                type="file"
                name="evidence"
                multiple
                accept="image/jpeg,image/png,image/webp,image/heic,application/pdf"
                aria-describedby={`${fileId}-hint`}
                aria-invalid={missing}
              />
              {missing && (
                <Text c="red.9" size="sm" role="alert" mt={4}>
                  {t('oem.qa.evidence.choose')}
                </Text>
              )}
            </Box>
            <Group>
              <Button
                type="submit"
                variant="default"
                loading={attach.isPending}
                loaderProps={{ 'aria-label': t('common.working') }}
              >
                {t('oem.qa.evidence.attach')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}

type ConfirmDraft = { rootCause: string; unitCost: string; freight: string; currency: string };

function NextStep({
  inv,
  onMove,
}: {
  inv: Investigation;
  onMove: (notice: Notice, body: MoveInvestigationRequest) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<ConfirmDraft>({
    rootCause: '',
    unitCost: '',
    freight: '',
    currency: 'CNY',
  });
  const [findings, setFindings] = useState('');
  const [errors, setErrors] = useState<Partial<Record<keyof ConfirmDraft | 'findings', string>>>({});
  const move = useMutation({
    mutationFn: ({ notice, body }: { notice: Notice; body: MoveInvestigationRequest }) =>
      onMove(notice, body),
  });
  const allowed = inv.allowedMoves;
  if (allowed.length === 0) return null;
  const expectedVersion = inv.version;

  const confirm = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: typeof errors = {};
    const unit = parseAmount(draft.unitCost, draft.currency);
    const freight = parseAmount(draft.freight, draft.currency);
    if (draft.rootCause !== 'production' && draft.rootCause !== 'electrical') {
      problems.rootCause = t('oem.qa.confirm.causeRequired');
    }
    if (unit === undefined) problems.unitCost = t('desk.money.invalid');
    if (freight === undefined) problems.freight = t('desk.money.invalid');
    setErrors(problems);
    if (Object.keys(problems).length > 0 || unit === undefined || freight === undefined) return;
    move.mutate({
      notice: 'confirmed',
      body: {
        to: 'confirmed',
        expectedVersion,
        rootCause: draft.rootCause as 'production' | 'electrical',
        costs: {
          unitCost: { amountMinor: unit, currency: draft.currency },
          airFreightPerShipment: { amountMinor: freight, currency: draft.currency },
        },
      },
    });
  };

  const dismiss = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (findings.trim() === '') {
      setErrors({ findings: t('oem.qa.dismiss.findingsRequired') });
      return;
    }
    setErrors({});
    move.mutate({
      notice: 'dismissed',
      body: { to: 'dismissed', expectedVersion, findings: findings.trim() },
    });
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="next-step-title">
      <Stack gap="md">
        <Title order={2} size="h4" id="next-step-title">
          {t('oem.qa.next.title')}
        </Title>
        {move.isError && <OemErrorAlert error={move.error} />}
        {allowed.includes('open') && (
          <Group>
            <Button
              loading={move.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
              onClick={() => {
                move.mutate({ notice: 'open', body: { to: 'open', expectedVersion } });
              }}
            >
              {t('oem.qa.next.open')}
            </Button>
          </Group>
        )}
        {allowed.includes('confirmed') && (
          <form onSubmit={confirm} noValidate aria-labelledby="confirm-title">
            <Stack gap="sm">
              <Title order={3} size="h5" id="confirm-title">
                {t('oem.qa.confirm.title')}
              </Title>
              <Text size="sm">{t('oem.qa.confirm.intro')}</Text>
              <Radio.Group
                name="rootCause"
                label={t('oem.qa.fields.rootCause')}
                required
                value={draft.rootCause}
                onChange={(v) => {
                  setDraft({ ...draft, rootCause: v });
                }}
                error={errors.rootCause}
              >
                <Group gap="lg" mt="xs">
                  <Radio value="production" label={t('rootCause.production')} />
                  <Radio value="electrical" label={t('rootCause.electrical')} />
                </Group>
              </Radio.Group>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
                <TextInput
                  name="unitCost"
                  label={t('oem.qa.confirm.unitCost')}
                  required
                  inputMode="decimal"
                  value={draft.unitCost}
                  error={errors.unitCost}
                  onChange={(e) => {
                    setDraft({ ...draft, unitCost: e.currentTarget.value });
                  }}
                  autoComplete="off"
                />
                <TextInput
                  name="freight"
                  label={t('oem.qa.confirm.freight')}
                  description={t('oem.qa.confirm.freightHint')}
                  required
                  inputMode="decimal"
                  value={draft.freight}
                  error={errors.freight}
                  onChange={(e) => {
                    setDraft({ ...draft, freight: e.currentTarget.value });
                  }}
                  autoComplete="off"
                />
                <NativeSelect
                  name="currency"
                  label={t('desk.money.currency')}
                  value={draft.currency}
                  onChange={(e) => {
                    setDraft({ ...draft, currency: e.currentTarget.value });
                  }}
                  data={currencies.map((c) => ({ value: c, label: c }))}
                />
              </SimpleGrid>
              {inv.evidenceUploadIds.length === 0 && (
                <Text size="sm" c="red.9">
                  {t('oem.qa.confirm.evidenceFirst')}
                </Text>
              )}
              <Group>
                <Button
                  type="submit"
                  color="red.8"
                  loading={move.isPending}
                  loaderProps={{ 'aria-label': t('common.working') }}
                >
                  {t('oem.qa.confirm.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {allowed.includes('dismissed') && (
          <form onSubmit={dismiss} noValidate aria-labelledby="dismiss-title">
            <Stack gap="sm">
              <Title order={3} size="h5" id="dismiss-title">
                {t('oem.qa.dismiss.title')}
              </Title>
              <Textarea
                name="findings"
                label={t('oem.qa.fields.findings')}
                description={t('oem.qa.dismiss.hint')}
                required
                autosize
                minRows={2}
                value={findings}
                error={errors.findings}
                onChange={(e) => {
                  setFindings(e.currentTarget.value);
                }}
              />
              <Group>
                <Button
                  type="submit"
                  variant="default"
                  loading={move.isPending}
                  loaderProps={{ 'aria-label': t('common.working') }}
                >
                  {t('oem.qa.dismiss.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {allowed.includes('closed') && (
          <Group>
            <Text size="sm">{t('oem.qa.next.closeHint')}</Text>
            <Button
              variant="default"
              loading={move.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
              onClick={() => {
                move.mutate({ notice: 'closed', body: { to: 'closed', expectedVersion } });
              }}
            >
              {t('oem.qa.next.close')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function Remakes({ inv }: { inv: Investigation }) {
  const { t } = useTranslation();
  if (inv.remakeOrders.length === 0) return null;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="remakes-title">
      <Title order={2} size="h4" id="remakes-title" mb="xs">
        {t('oem.remake.title')}
      </Title>
      <Text size="sm" c="dark.6" mb="sm">
        {t('oem.qa.remakes.intro')}
      </Text>
      <ShipmentsTable
        kind="remake"
        shipments={inv.remakeOrders}
        label={t('oem.remake.title')}
        showOrder
        mayMove
      />
      <Anchor component={Link} to="/qa/costs" size="sm" mt="sm" display="inline-block">
        {t('oem.qa.remakes.seeCosts')}
      </Anchor>
    </Card>
  );
}

/**
 * The numbers behind the investigation: the early warning's when it proposed it, and each lot's as
 * they stand today (the lot defect rates).
 */
function LotNumbers({ inv }: { inv: Investigation }) {
  const { t, i18n } = useTranslation();
  const percent = usePercent();
  const rates = useQuery(lotRatesQuery);
  const today = (rates.data ?? []).filter((r) => r.product.id === inv.product.id && inv.lots.includes(r.lot));
  const line = (s: {
    lot: string;
    defects: number;
    unitsShipped: number;
    rate: number;
    lower: number;
    upper: number;
    spareRateBps: number;
  }) => (
    <Text key={s.lot} size="sm">
      {t('oem.qa.investigation.signalLine', {
        lot: s.lot,
        defects: s.defects.toLocaleString(i18n.language),
        shipped: s.unitsShipped.toLocaleString(i18n.language),
        rate: percent(s.rate),
        lower: percent(s.lower),
        upper: percent(s.upper),
      })}{' '}
      <SpareRate bps={s.spareRateBps} />
    </Text>
  );
  return (
    <>
      {inv.signal && inv.signal.length > 0 && (
        <Stack gap={4} mt="md">
          <Text size="sm" fw={600}>
            {t('oem.qa.investigation.signal')}
          </Text>
          {inv.signal.map(line)}
        </Stack>
      )}
      {today.length > 0 && (
        <Stack gap={4} mt="md">
          <Text size="sm" fw={600}>
            {t('oem.qa.investigation.today')}
          </Text>
          {today.map(line)}
        </Stack>
      )}
    </>
  );
}

/** One batch-defect investigation: its lots and numbers, its evidence, its next step, its remakes. */
export default function InvestigationPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const { id = '' } = useParams();
  const location = useLocation();
  const [notice, setNotice] = useState<Notice | undefined>(
    (location.state as { opened?: boolean } | null)?.opened ? 'opened' : undefined,
  );
  const [conflict, setConflict] = useState(false);
  const inv = useQuery(investigationQuery(id));
  const change = useInvestigationChange(
    id,
    (n) => {
      setConflict(false);
      setNotice(n);
    },
    () => {
      setConflict(true);
    },
  );
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/qa/investigations" size="sm">
        ← {t('oem.qa.investigations.back')}
      </Anchor>
      {inv.isPending ? (
        <PageLoader />
      ) : inv.isError ? (
        <LoadError error={inv.error} onRetry={() => void inv.refetch()} />
      ) : (
        <>
          <Group justify="space-between" align="flex-end">
            <div>
              <Title order={1}>{t('oem.qa.investigation.title', { lots: inv.data.lots.join(', ') })}</Title>
              <Text mt="xs" c="dark.6">
                {inv.data.product.name[lang]} ({inv.data.product.sku})
              </Text>
            </div>
            <InvestigationStateBadge state={inv.data.state} />
          </Group>
          {notice && (
            <Done title={t(`oem.qa.notice.${notice}`)}>
              {notice === 'confirmed'
                ? t('oem.qa.notice.confirmedBody', {
                    count: inv.data.remakeOrders.reduce((s, r) => s + r.units, 0),
                  })
                : undefined}
            </Done>
          )}
          {conflict && (
            <ConflictNotice
              onClose={() => {
                setConflict(false);
              }}
            />
          )}
          <Card withBorder padding="lg" component="section" aria-labelledby="inv-facts">
            <Title order={2} size="h4" id="inv-facts" mb="sm">
              {t('oem.qa.investigation.facts')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
              <Fact label={t('oem.fields.lots')}>
                <Text span ff="monospace" size="sm">
                  {inv.data.lots.join(', ')}
                </Text>
              </Fact>
              <Fact label={t('oem.qa.fields.origin')}>{t(`oem.qa.origin.${inv.data.origin}`)}</Fact>
              <Fact label={t('oem.qa.fields.openedOn')}>
                <DayOf at={inv.data.createdAt} />
              </Fact>
              <Fact label={t('oem.qa.fields.rootCause')}>
                {inv.data.rootCause ? t(`rootCause.${inv.data.rootCause}`) : '—'}
              </Fact>
              {inv.data.confirmedOn && (
                <Fact label={t('oem.qa.fields.confirmedOn')}>
                  <Day date={inv.data.confirmedOn} />
                </Fact>
              )}
              {inv.data.costs && (
                <>
                  <Fact label={t('oem.qa.confirm.unitCost')}>
                    <Amount money={inv.data.costs.unitCost} />
                  </Fact>
                  <Fact label={t('oem.qa.confirm.freight')}>
                    <Amount money={inv.data.costs.airFreightPerShipment} />
                  </Fact>
                </>
              )}
              {inv.data.findings && <Fact label={t('oem.qa.fields.findings')}>{inv.data.findings}</Fact>}
            </SimpleGrid>
            <LotNumbers inv={inv.data} />
          </Card>
          <Evidence
            inv={inv.data}
            onAttach={async (files) => {
              const current = inv.data;
              await change('evidence', async () => {
                const uploaded = [];
                for (const file of files) uploaded.push(await uploadEvidence(file));
                return attachEvidence(
                  current.id,
                  uploaded.map((u) => u.id),
                  current.version,
                );
              });
            }}
          />
          <NextStep
            key={inv.data.version}
            inv={inv.data}
            onMove={(n, body) => change(n, () => moveInvestigation(inv.data.id, body))}
          />
          <Remakes inv={inv.data} />
        </>
      )}
    </Stack>
  );
}
