import {
  Alert,
  Button,
  Card,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarLength } from '../../../../src/domain/calendar.js';
import {
  type Clause,
  type PolicyVersion,
  policyVersionSchema,
} from '../../../../src/domain/policy/schema.js';
import type { PolicyDraft, WhatIfReportBody } from '../../../../src/http/policies/draft-schemas.js';
import { ToneBadge } from '../../components/Badges.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { ApiErrorAlert, LoadError, PageLoader } from '../../components/Status.js';
import { formatDate } from '../../format.js';
import { policyLanguage } from '../../i18n/index.js';
import { currentPolicyQuery } from '../../queries.js';
import { formatMoney } from '../../desk/money.js';
import { readableTitle } from '../../desk/ui.js';
import {
  createPolicyDraft,
  discardPolicyDraft,
  editPolicyDraft,
  fetchPolicyDrafts,
  fetchPolicyVersions,
  fetchWhatIf,
  publishPolicyDraft,
} from '../../reference-data.js';

const versionsQueryKey = ['policies', 'versions'] as const;
const draftsQueryKey = ['policies', 'drafts'] as const;

/** Every clause of a version, in the order the support page shows them, as places in the document. */
function clausesOf(doc: PolicyVersion): Clause[] {
  const { endUser, oem } = doc;
  return [
    ...endUser.windows.flatMap((w) => [w.heading, ...w.remedies.map((r) => r.clause)]),
    endUser.outOfWarranty.heading,
    ...endUser.outOfWarranty.remedies.map((r) => r.clause),
    endUser.humanDamage.heading,
    ...endUser.humanDamage.remedies.map((r) => r.clause),
    oem.spares,
    oem.excess,
    oem.batchDefect.clause,
  ];
}

const lengthParts = ['years', 'months', 'days'] as const;

function LengthInputs({
  legend,
  value,
  onChange,
}: {
  legend: string;
  value: CalendarLength;
  onChange: (value: CalendarLength) => void;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="plain-fieldset">
      <legend className="fieldset-legend">{legend}</legend>
      <SimpleGrid cols={3} spacing="xs">
        {lengthParts.map((part) => (
          <TextInput
            key={part}
            type="number"
            min={0}
            size="sm"
            label={t(`admin.products.${part}`)}
            value={value[part] === undefined ? '' : String(value[part])}
            onChange={(e) => {
              const raw = e.currentTarget.value.trim();
              // An empty part is left out of the length rather than sent as zero.
              const parts: Partial<Record<(typeof lengthParts)[number], number>> = { ...value };
              const next: CalendarLength = Object.fromEntries(
                lengthParts.flatMap((p) => {
                  const n = p === part ? (raw === '' ? undefined : Number(raw)) : parts[p];
                  return n === undefined ? [] : [[p, n]];
                }),
              );
              onChange(next);
            }}
          />
        ))}
      </SimpleGrid>
    </fieldset>
  );
}

/**
 * A draft starts as a copy of the version in force (or is a saved draft opened again); the admin changes
 * its id, effective date, window lengths, service commitment and clause texts, and saves it. Saving
 * decides nothing: a draft is in force only once published.
 */
function DraftEditor({
  base,
  draft,
  onDone,
}: {
  base: PolicyVersion;
  draft?: PolicyDraft | undefined;
  onDone: (saved: PolicyDraft | undefined) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  const queryClient = useQueryClient();
  const [doc, setDoc] = useState<PolicyVersion>(() =>
    draft ? structuredClone(draft.document) : { ...structuredClone(base), id: '', effectiveFrom: '' },
  );
  const [issues, setIssues] = useState<string[]>([]);
  const edit = (change: (next: PolicyVersion) => void) => {
    const next = structuredClone(doc);
    change(next);
    setDoc(next);
  };
  const save = useMutation({
    mutationFn: (version: PolicyVersion) =>
      draft
        ? editPolicyDraft(draft.id, { document: version, version: draft.version })
        : createPolicyDraft({ document: version, basedOn: base.id }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: draftsQueryKey });
      onDone(saved);
    },
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = policyVersionSchema.safeParse(doc);
    if (!parsed.success) {
      setIssues(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
      return;
    }
    setIssues([]);
    save.mutate(parsed.data);
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="draft-editor-title">
      <Title order={2} size="h3" id="draft-editor-title">
        {draft ? t('admin.policies.editTitle', { id: draft.document.id }) : t('admin.policies.newTitle')}
      </Title>
      <Text size="sm" c="dimmed" mt={4} mb="md">
        {draft ? t('admin.policies.editIntro') : t('admin.policies.newIntro', { id: base.id })}
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              name="id"
              label={t('admin.policies.id')}
              description={t('admin.policies.idHint')}
              required
              value={doc.id}
              onChange={(e) => {
                const id = e.currentTarget.value;
                edit((d) => {
                  d.id = id;
                });
              }}
            />
            <TextInput
              type="date"
              name="effectiveFrom"
              label={t('admin.policies.effectiveFrom')}
              description={t('admin.policies.effectiveFromHint')}
              required
              value={doc.effectiveFrom}
              onChange={(e) => {
                const date = e.currentTarget.value;
                edit((d) => {
                  d.effectiveFrom = date;
                });
              }}
            />
            <TextInput
              type="number"
              min={1}
              max={365}
              name="serviceCommitmentDays"
              label={t('admin.policies.commitmentDays')}
              description={t('admin.policies.commitmentDaysHint')}
              required
              value={String(doc.serviceCommitmentDays)}
              onChange={(e) => {
                const days = Number(e.currentTarget.value);
                edit((d) => {
                  d.serviceCommitmentDays = days;
                });
              }}
            />
          </SimpleGrid>

          <div>
            <Title order={3} size="h4" mb="xs">
              {t('admin.policies.windows')}
            </Title>
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              {doc.endUser.windows.map((w, i) => (
                <LengthInputs
                  key={w.code}
                  legend={t(`window.${w.code}`)}
                  value={w.within}
                  onChange={(within) => {
                    edit((d) => {
                      const target = d.endUser.windows[i];
                      if (target) target.within = within;
                    });
                  }}
                />
              ))}
            </SimpleGrid>
          </div>

          <div>
            <Title order={3} size="h4" mb={4}>
              {t('admin.policies.clauses')}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('admin.policies.clausesHint')}
            </Text>
            <Stack gap="md">
              {clausesOf(doc).map((clause, index) => (
                <fieldset key={clause.id} className="clause-fieldset">
                  <legend className="fieldset-legend">
                    {clause.label[lang]} <span className="clause-id">{clause.id}</span>
                  </legend>
                  <SimpleGrid cols={{ base: 1, md: 2 }}>
                    {(['en', 'zh'] as const).map((language) => (
                      <Textarea
                        key={language}
                        lang={language === 'zh' ? 'zh-CN' : 'en'}
                        label={t(`admin.policies.text.${language}`)}
                        autosize
                        minRows={2}
                        required
                        value={clause.text[language]}
                        onChange={(e) => {
                          const value = e.currentTarget.value;
                          edit((d) => {
                            const target = clausesOf(d)[index];
                            if (target) target.text[language] = value;
                          });
                        }}
                      />
                    ))}
                  </SimpleGrid>
                </fieldset>
              ))}
            </Stack>
          </div>

          {issues.length > 0 && (
            <Alert color="red" variant="light" role="alert" title={t('admin.fixFields')}>
              <ul className="plain-list">
                {issues.map((issue) => (
                  <li key={issue}>
                    <Text size="sm">{issue}</Text>
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          {save.isError && <ApiErrorAlert error={save.error} />}
          <Group justify="flex-end" gap="sm">
            <Button
              variant="default"
              onClick={() => {
                onDone(undefined);
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('admin.policies.saveDraft')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

const monthChoices = [3, 6, 12, 24, 36] as const;

/** A signed amount: "+¥44.00" costs the maker more, "−¥33.00" less. */
function signedMoney(amountMinor: number, currency: string, locale: string): string {
  const text = formatMoney({ amountMinor: Math.abs(amountMinor), currency }, locale);
  return amountMinor > 0 ? `+${text}` : amountMinor < 0 ? `−${text}` : text;
}

/** The replay's figures: what would differ, which remedies move, and what it would cost. */
function WhatIfResults({ report }: { report: WhatIfReportBody }) {
  const { t, i18n } = useTranslation();
  const figures = [
    ['claims', report.claims],
    ['decisionsDiffer', report.decisionsDiffer],
    ['remediesMoved', report.remediesMoved],
    ['newlyCovered', report.newlyCovered],
    ['newlyUncovered', report.newlyUncovered],
  ] as const;
  return (
    <Stack gap="md">
      <Text size="sm">
        {t('admin.policies.whatIf.scope', {
          from: formatDate(report.from, i18n.language),
          to: formatDate(report.to, i18n.language),
          baseline: report.baselineVersionId,
        })}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm" component="dl" className="plain-list">
        {figures.map(([key, value]) => (
          <div key={key}>
            <Text component="dt" size="xs" c="dimmed">
              {t(`admin.policies.whatIf.${key}`)}
            </Text>
            <Text component="dd" fw={700} size="xl" m={0} data-testid={`what-if-${key}`}>
              {value}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      <div>
        <Title order={4} size="h5" mb="xs">
          {t('admin.policies.whatIf.costTitle')}
        </Title>
        {report.costDifference.length === 0 ? (
          <Text size="sm">{t('admin.policies.whatIf.noCost')}</Text>
        ) : (
          <ul className="plain-list">
            {report.costDifference.map((c) => (
              <li key={c.currency}>
                <Text size="sm">
                  <Text span fw={700} data-testid="what-if-cost">
                    {signedMoney(c.differenceMinor, c.currency, i18n.language)}
                  </Text>{' '}
                  {t('admin.policies.whatIf.costOver', { count: c.claims })}
                </Text>
              </li>
            ))}
          </ul>
        )}
        {report.uncostedMoves > 0 && (
          <Text size="sm" c="dimmed" mt={4}>
            {t('admin.policies.whatIf.uncosted', { count: report.uncostedMoves })}
          </Text>
        )}
        <Text size="xs" c="dimmed" mt={4}>
          {t('admin.policies.whatIf.costBasis')}
        </Text>
      </div>
      <div>
        <Title order={4} size="h5" mb="xs">
          {t('admin.policies.whatIf.matrixTitle')}
        </Title>
        {report.matrix.length === 0 ? (
          <Text size="sm">{t('admin.policies.whatIf.noMoves')}</Text>
        ) : (
          <ScrollTable label={t('admin.policies.whatIf.matrixTitle')} minWidth={320}>
            <Table striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('admin.policies.whatIf.from')}</Table.Th>
                  <Table.Th scope="col">{t('admin.policies.whatIf.to')}</Table.Th>
                  <Table.Th scope="col">{t('admin.policies.whatIf.matrixClaims')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.matrix.map((m) => (
                  <Table.Tr key={`${m.from}-${m.to}`}>
                    <Table.Th scope="row">{t(`remedy.${m.from}`)}</Table.Th>
                    <Table.Td>{t(`remedy.${m.to}`)}</Table.Td>
                    <Table.Td>{m.claims}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </div>
      <Text size="xs" c="dimmed">
        {t('admin.policies.whatIf.method')}
      </Text>
    </Stack>
  );
}

/** One open draft: its what-if, and the buttons that edit, publish or discard it. */
function DraftCard({
  draft,
  onEdit,
  onPublished,
}: {
  draft: PolicyDraft;
  onEdit: () => void;
  onPublished: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const titleId = useId();
  const [months, setMonths] = useState(12);
  const [asked, setAsked] = useState<number | undefined>(undefined);
  const whatIf = useQuery({
    queryKey: ['policies', 'what-if', draft.id, draft.version, asked],
    queryFn: () => fetchWhatIf(draft.id, asked ?? 12),
    enabled: asked !== undefined,
  });
  const publish = useMutation({
    mutationFn: () => publishPolicyDraft(draft.id, draft.version),
    onSuccess: async (done) => {
      await queryClient.invalidateQueries({ queryKey: ['policies'] });
      onPublished(done.published.id);
    },
  });
  const discard = useMutation({
    mutationFn: () => discardPolicyDraft(draft.id, draft.version),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: draftsQueryKey });
    },
  });
  const name = draft.document.id || t('admin.policies.unnamed');
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <div>
            <Title order={3} size="h4" id={titleId}>
              {t('admin.policies.draftNamed', { id: name })}
            </Title>
            <Text size="sm" c="dimmed">
              {t('admin.policies.draftMeta', {
                date: draft.document.effectiveFrom
                  ? formatDate(draft.document.effectiveFrom, i18n.language)
                  : '—',
                base: draft.basedOn ?? '—',
              })}
            </Text>
          </div>
          <ToneBadge tone="grape">{t('admin.policies.draft')}</ToneBadge>
        </Group>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('admin.policies.whatIf.months')}
            value={String(months)}
            data={monthChoices.map((m) => ({
              value: String(m),
              label: t('admin.policies.whatIf.monthsOption', { count: m }),
            }))}
            onChange={(e) => {
              setMonths(Number(e.currentTarget.value));
            }}
          />
          <Button
            variant="default"
            onClick={() => {
              setAsked(months);
              if (asked === months) void whatIf.refetch();
            }}
            loading={whatIf.isFetching}
            loaderProps={{ 'aria-label': t('common.working') }}
          >
            {t('admin.policies.whatIf.run')}
          </Button>
          <Button variant="default" onClick={onEdit}>
            {t('admin.policies.editDraft')}
          </Button>
          <Button
            onClick={() => {
              publish.mutate();
            }}
            loading={publish.isPending}
            loaderProps={{ 'aria-label': t('common.working') }}
          >
            {t('admin.policies.publish')}
          </Button>
          <Button
            variant="subtle"
            color="red"
            onClick={() => {
              discard.mutate();
            }}
            loading={discard.isPending}
            loaderProps={{ 'aria-label': t('common.working') }}
          >
            {t('admin.policies.discard')}
          </Button>
        </Group>
        {publish.isError && <ApiErrorAlert error={publish.error} />}
        {discard.isError && <ApiErrorAlert error={discard.error} />}
        {whatIf.isError && <ApiErrorAlert error={whatIf.error} />}
        {whatIf.data && (
          <section aria-label={t('admin.policies.whatIf.title', { id: name })}>
            <WhatIfResults report={whatIf.data} />
          </section>
        )}
      </Stack>
    </Card>
  );
}

type Editing = { kind: 'new' } | { kind: 'draft'; draft: PolicyDraft } | undefined;

export function PoliciesPage() {
  const { t, i18n } = useTranslation();
  const versions = useQuery({ queryKey: versionsQueryKey, queryFn: fetchPolicyVersions });
  const drafts = useQuery({ queryKey: draftsQueryKey, queryFn: fetchPolicyDrafts });
  const current = useQuery(currentPolicyQuery);
  const [editing, setEditing] = useState<Editing>(undefined);
  const [published, setPublished] = useState('');
  const [saved, setSaved] = useState('');

  const statusOf = (effectiveFrom: string, id: string) => {
    if (id === current.data?.id) return <ToneBadge tone="teal">{t('admin.policies.inForce')}</ToneBadge>;
    if (current.data && effectiveFrom > current.data.effectiveFrom) {
      return <ToneBadge tone="blue">{t('admin.policies.scheduled')}</ToneBadge>;
    }
    return <ToneBadge tone="gray">{t('admin.policies.superseded')}</ToneBadge>;
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{t('admin.policies.title')}</Title>
          <Text mt="xs">{t('admin.policies.intro')}</Text>
        </div>
        {!editing && current.data && (
          <Button
            onClick={() => {
              setPublished('');
              setSaved('');
              setEditing({ kind: 'new' });
            }}
          >
            {t('admin.policies.create')}
          </Button>
        )}
      </Group>
      {published && (
        <Alert
          color="teal"
          variant="light"
          styles={readableTitle('teal')}
          role="status"
          title={t('admin.policies.publishedTitle')}
        >
          <Text size="sm">{t('admin.policies.published', { id: published })}</Text>
        </Alert>
      )}
      {saved && (
        <Alert
          color="teal"
          variant="light"
          styles={readableTitle('teal')}
          role="status"
          title={t('admin.policies.savedTitle')}
        >
          <Text size="sm">{t('admin.policies.saved', { id: saved })}</Text>
        </Alert>
      )}
      {versions.isPending || current.isPending ? (
        <PageLoader />
      ) : versions.isError ? (
        <LoadError error={versions.error} onRetry={() => void versions.refetch()} />
      ) : (
        <ScrollTable label={t('admin.policies.title')} minWidth={560}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.policies.id')}</Table.Th>
                <Table.Th scope="col">{t('admin.policies.effectiveFrom')}</Table.Th>
                <Table.Th scope="col">{t('admin.policies.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...versions.data].reverse().map((v) => (
                <Table.Tr key={v.id}>
                  <Table.Th scope="row" fw={600}>
                    <Text span ff="monospace" fw={600}>
                      {v.id}
                    </Text>
                  </Table.Th>
                  <Table.Td>{formatDate(v.effectiveFrom, i18n.language)}</Table.Td>
                  <Table.Td>{statusOf(v.effectiveFrom, v.id)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {editing && current.data && (
        <DraftEditor
          key={editing.kind === 'draft' ? editing.draft.id : 'new'}
          base={current.data}
          draft={editing.kind === 'draft' ? editing.draft : undefined}
          onDone={(draft) => {
            setEditing(undefined);
            setSaved(draft?.document.id ?? '');
          }}
        />
      )}
      <Stack gap="sm" component="section" aria-labelledby="drafts-title">
        <Title order={2} size="h3" id="drafts-title">
          {t('admin.policies.draftsTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('admin.policies.draftsIntro')}
        </Text>
        {drafts.isPending ? (
          <PageLoader />
        ) : drafts.isError ? (
          <LoadError error={drafts.error} onRetry={() => void drafts.refetch()} />
        ) : drafts.data.length === 0 ? (
          <Text size="sm">{t('admin.policies.noDrafts')}</Text>
        ) : (
          drafts.data.map((draft) => (
            <DraftCard
              key={`${draft.id}-${String(draft.version)}`}
              draft={draft}
              onEdit={() => {
                setPublished('');
                setSaved('');
                setEditing({ kind: 'draft', draft });
              }}
              onPublished={(id) => {
                setSaved('');
                setPublished(id);
              }}
            />
          ))
        )}
      </Stack>
    </Stack>
  );
}
