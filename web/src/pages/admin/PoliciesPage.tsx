import {
  Alert,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarLength } from '../../../../src/domain/calendar.js';
import {
  type Clause,
  type PolicyVersion,
  policyVersionSchema,
} from '../../../../src/domain/policy/schema.js';
import { ToneBadge } from '../../components/Badges.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { ApiErrorAlert, LoadError, PageLoader } from '../../components/Status.js';
import { formatDate } from '../../format.js';
import { policyLanguage } from '../../i18n/index.js';
import { currentPolicyQuery } from '../../queries.js';
import { createPolicyVersion, fetchPolicyVersions } from '../../reference-data.js';

const versionsQueryKey = ['policies', 'versions'] as const;

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
 * A new version starts as a copy of the one in force; the admin changes its id, effective date,
 * window lengths, service commitment and clause texts, and the whole document goes to the API.
 */
function NewVersionEditor({ base, onDone }: { base: PolicyVersion; onDone: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = policyLanguage(i18n.language);
  const queryClient = useQueryClient();
  const [doc, setDoc] = useState<PolicyVersion>(() => ({
    ...structuredClone(base),
    id: '',
    effectiveFrom: '',
  }));
  const [issues, setIssues] = useState<string[]>([]);
  const edit = (change: (draft: PolicyVersion) => void) => {
    const next = structuredClone(doc);
    change(next);
    setDoc(next);
  };
  const publish = useMutation({
    mutationFn: (version: PolicyVersion) => createPolicyVersion(version),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['policies'] });
      onDone(created.id);
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
    publish.mutate(parsed.data);
  };

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="new-version-title">
      <Title order={2} size="h3" id="new-version-title">
        {t('admin.policies.newTitle')}
      </Title>
      <Text size="sm" c="dimmed" mt={4} mb="md">
        {t('admin.policies.newIntro', { id: base.id })}
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
          {publish.isError && <ApiErrorAlert error={publish.error} />}
          <Group justify="flex-end" gap="sm">
            <Button
              variant="default"
              onClick={() => {
                onDone('');
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              loading={publish.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('admin.policies.publish')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

export function PoliciesPage() {
  const { t, i18n } = useTranslation();
  const versions = useQuery({ queryKey: versionsQueryKey, queryFn: fetchPolicyVersions });
  const current = useQuery(currentPolicyQuery);
  const [editing, setEditing] = useState(false);
  const [published, setPublished] = useState('');

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
              setEditing(true);
            }}
          >
            {t('admin.policies.create')}
          </Button>
        )}
      </Group>
      {published && (
        <Alert color="teal" variant="light" role="status" title={t('admin.policies.publishedTitle')}>
          <Text size="sm">{t('admin.policies.published', { id: published })}</Text>
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
        <NewVersionEditor
          base={current.data}
          onDone={(id) => {
            setEditing(false);
            setPublished(id);
          }}
        />
      )}
    </Stack>
  );
}
