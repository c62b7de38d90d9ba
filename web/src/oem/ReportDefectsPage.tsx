import {
  Anchor,
  Box,
  Button,
  Card,
  Group,
  NativeSelect,
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
import { Link, useSearchParams } from 'react-router';
import { LoadError, PageLoader } from '../components/Status.js';
import { storeToday } from '../format.js';
import { Done, PageHeader } from '../desk/ui.js';
import { type DefectReport, ordersQuery, reportDefect, uploadEvidence } from './oem-api.js';
import { OemErrorAlert, oemStaff, useHasRole } from './ui.js';

type Draft = {
  orderId: string;
  lot: string;
  units: string;
  serials: string;
  failureMode: string;
  reportedOn: string;
};
type Errors = Partial<Record<keyof Draft | 'evidence', string>>;

/** Serials as typed: one a line, or separated by spaces, commas or semicolons. */
const serialsOf = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * An OEM client reports defective units of one of its orders: the lot, how many (or their serials),
 * what fails, when, and the evidence (photos, test reports). The files go up first, through the
 * uploads API; the report names them.
 */
export default function ReportDefectsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const orders = useQuery(ordersQuery);
  const staff = useHasRole(oemStaff);
  const fileId = useId();
  const files = useRef<HTMLInputElement>(null);
  const emptyDraft = (orderId: string): Draft => ({
    orderId,
    lot: '',
    units: '',
    serials: '',
    failureMode: '',
    reportedOn: storeToday(),
  });
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(params.get('order') ?? ''));
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState<DefectReport | undefined>();
  const report = useMutation({
    mutationFn: async ({
      orderId,
      evidence,
      ...body
    }: Parameters<typeof reportDefect>[1] & { orderId: string; evidence: File[] }) => {
      const uploaded = [];
      for (const file of evidence) uploaded.push(await uploadEvidence(file));
      return reportDefect(orderId, { ...body, evidenceUploadIds: uploaded.map((u) => u.id) });
    },
    onSuccess: async (written) => {
      setDone(written);
      setDraft(emptyDraft(written.order.id));
      if (files.current) files.current.value = '';
      await queryClient.invalidateQueries({ queryKey: ['oem'] });
    },
  });

  const orderList = orders.data ?? [];
  // Orders are chosen by their number; the selected order's lots are offered.
  const order = orderList.find((o) => o.id === draft.orderId);
  const set = (field: keyof Draft) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft(field === 'orderId' ? { ...draft, orderId: value, lot: '' } : { ...draft, [field]: value });
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: Errors = {};
    const serials = serialsOf(draft.serials);
    const units = /^\d{1,9}$/.test(draft.units.trim()) ? Number(draft.units.trim()) : undefined;
    if (!order) problems.orderId = t('oem.report.orderRequired');
    if (order && order.lots.length > 1 && !draft.lot && serials.length === 0)
      problems.lot = t('oem.report.lotRequired');
    if (draft.units.trim() !== '' && !units) problems.units = t('oem.newOrder.quantityInvalid');
    if (!units && serials.length === 0) problems.units = t('oem.report.unitsRequired');
    if (units && serials.length > 0 && units !== serials.length) {
      problems.serials = t('oem.report.unitsMismatch', { count: serials.length });
    }
    if (draft.failureMode.trim() === '') problems.failureMode = t('oem.report.failureRequired');
    if (!draft.reportedOn) problems.reportedOn = t('oem.report.dateRequired');
    const evidence = [...(files.current?.files ?? [])];
    if (evidence.some((f) => f.size > 10 * 1024 * 1024)) problems.evidence = t('oem.report.fileTooLarge');
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setDone(undefined);
    report.mutate({
      orderId: draft.orderId,
      lot: draft.lot || undefined,
      units: units ?? undefined,
      serials: serials.length > 0 ? serials : undefined,
      failureMode: draft.failureMode.trim(),
      reportedOn: draft.reportedOn,
      evidence,
    });
  };

  return (
    <Stack gap="lg">
      <PageHeader title={t('oem.report.title')} intro={t('oem.report.intro')} />
      {done && (
        <Done title={t('oem.report.doneTitle')}>
          {t('oem.report.done', { count: done.units, order: done.order.orderNumber, lot: done.lot })}{' '}
          <Anchor component={Link} to={`/oem/orders/${done.order.id}`}>
            {t('oem.report.seeLedger')}
          </Anchor>
        </Done>
      )}
      {orders.isPending ? (
        <PageLoader />
      ) : orders.isError ? (
        <LoadError error={orders.error} onRetry={() => void orders.refetch()} />
      ) : (
        <Card withBorder padding="lg" component="section" aria-labelledby="report-form-title">
          <form onSubmit={submit} noValidate>
            <Stack gap="md">
              {report.isError && <OemErrorAlert error={report.error} />}
              <Title order={2} size="h4" id="report-form-title">
                {t('oem.report.what')}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
                <NativeSelect
                  name="orderId"
                  label={t('oem.fields.order')}
                  required
                  value={draft.orderId}
                  error={errors.orderId}
                  onChange={set('orderId')}
                  data={[
                    { value: '', label: t('oem.choose') },
                    ...orderList.map((o) => ({
                      value: o.id,
                      label: staff
                        ? `${o.orderNumber} · ${o.client.name} · ${o.product.sku}`
                        : `${o.orderNumber} · ${o.product.sku}`,
                    })),
                  ]}
                />
                <NativeSelect
                  name="lot"
                  label={t('oem.fields.lot')}
                  required={(order?.lots.length ?? 0) > 1}
                  description={order && order.lots.length === 1 ? t('oem.report.oneLot') : undefined}
                  value={draft.lot}
                  error={errors.lot}
                  onChange={set('lot')}
                  disabled={!order}
                  data={[
                    {
                      value: '',
                      label: order?.lots.length === 1 ? (order.lots[0]?.lot ?? '') : t('oem.choose'),
                    },
                    ...(order && order.lots.length > 1 ? order.lots : []).map((l) => ({
                      value: l.lot,
                      label: l.lot,
                    })),
                  ]}
                />
                <TextInput
                  type="date"
                  name="reportedOn"
                  label={t('oem.fields.reportedOn')}
                  required
                  max={storeToday()}
                  value={draft.reportedOn}
                  error={errors.reportedOn}
                  onChange={set('reportedOn')}
                />
                <TextInput
                  name="units"
                  label={t('oem.fields.defectiveUnits')}
                  description={t('oem.report.unitsHint')}
                  inputMode="numeric"
                  value={draft.units}
                  error={errors.units}
                  onChange={set('units')}
                  autoComplete="off"
                />
                <Textarea
                  name="serials"
                  label={t('oem.fields.serialsOptional')}
                  description={t('oem.report.serialsHint')}
                  autosize
                  minRows={2}
                  maxRows={6}
                  value={draft.serials}
                  error={errors.serials}
                  onChange={set('serials')}
                />
              </SimpleGrid>
              <TextInput
                name="failureMode"
                label={t('oem.fields.failureMode')}
                description={t('oem.report.failureHint')}
                required
                maxLength={200}
                value={draft.failureMode}
                error={errors.failureMode}
                onChange={set('failureMode')}
                autoComplete="off"
              />
              <Box>
                <Text component="label" htmlFor={fileId} size="sm" fw={500} display="block" mb={2}>
                  {t('oem.fields.evidence')}
                </Text>
                <Text size="xs" c="dark.6" mb={4} id={`${fileId}-hint`}>
                  {t('oem.report.evidenceHint')}
                </Text>
                <input
                  id={fileId}
                  ref={files}
                  type="file"
                  name="evidence"
                  multiple
                  accept="image/jpeg,image/png,image/webp,image/heic,application/pdf"
                  aria-describedby={`${fileId}-hint`}
                  aria-invalid={errors.evidence !== undefined}
                />
                {errors.evidence && (
                  <Text c="red.9" size="sm" role="alert" mt={4}>
                    {errors.evidence}
                  </Text>
                )}
              </Box>
              <Group>
                <Button
                  type="submit"
                  loading={report.isPending}
                  loaderProps={{ 'aria-label': t('common.working') }}
                >
                  {t('oem.report.submit')}
                </Button>
                <Anchor component={Link} to="/oem/import" size="sm">
                  {t('oem.report.manyAtOnce')}
                </Anchor>
              </Group>
            </Stack>
          </form>
        </Card>
      )}
    </Stack>
  );
}
