import { Button, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ScrollTable } from '../components/ScrollTable.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { PageHeader } from '../desk/ui.js';
import { ActorName, Moment, useActionLabel, useEntityLabel } from './labels.js';
import { type AuditFilters, fetchAuditPage, knownActions, knownEntityTypes } from './work-api.js';

const fields = ['entityType', 'entityId', 'actor', 'action', 'from', 'to'] as const;

/**
 * The audit log for staff: who did what, when. Filters live in the address, so a filtered log can be
 * shared; pages follow the server's cursor, so events written meanwhile never shift a page.
 */
export default function AuditLogPage() {
  const { t } = useTranslation();
  const actionLabel = useActionLabel();
  const entityLabel = useEntityLabel();
  const [params, setParams] = useSearchParams();
  const filters: AuditFilters = Object.fromEntries(
    fields.flatMap((f) => {
      const v = params.get(f);
      return v ? [[f, v]] : [];
    }),
  );
  const [draft, setDraft] = useState<AuditFilters>(filters);
  const log = useInfiniteQuery({
    queryKey: ['work', 'audit', filters],
    queryFn: ({ pageParam }) => fetchAuditPage(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const submit = (e: SubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const f of fields) {
      const v = draft[f]?.trim();
      if (v) next.set(f, v);
    }
    setParams(next, { replace: true });
  };
  const set = (f: (typeof fields)[number]) => (value: string) => {
    setDraft((d) => ({ ...d, [f]: value }));
  };
  const events = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="lg">
      <PageHeader title={t('work.audit.title')} intro={t('work.audit.intro')} />
      <form onSubmit={submit} aria-label={t('work.audit.title')}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
          <NativeSelect
            label={t('work.audit.entityType')}
            value={draft.entityType ?? ''}
            onChange={(e) => {
              set('entityType')(e.currentTarget.value);
            }}
            data={[
              { value: '', label: t('work.audit.any') },
              ...knownEntityTypes.map((v) => ({ value: v, label: entityLabel(v) })),
            ]}
          />
          <TextInput
            label={t('work.audit.entityId')}
            value={draft.entityId ?? ''}
            onChange={(e) => {
              set('entityId')(e.currentTarget.value);
            }}
          />
          <TextInput
            label={t('work.audit.actor')}
            value={draft.actor ?? ''}
            onChange={(e) => {
              set('actor')(e.currentTarget.value);
            }}
          />
          <NativeSelect
            label={t('work.audit.action')}
            value={draft.action ?? ''}
            onChange={(e) => {
              set('action')(e.currentTarget.value);
            }}
            data={[
              { value: '', label: t('work.audit.any') },
              ...knownActions.map((v) => ({ value: v, label: actionLabel(v) })),
            ]}
          />
          <TextInput
            type="date"
            label={t('work.audit.from')}
            value={draft.from ?? ''}
            onChange={(e) => {
              set('from')(e.currentTarget.value);
            }}
          />
          <TextInput
            type="date"
            label={t('work.audit.to')}
            value={draft.to ?? ''}
            onChange={(e) => {
              set('to')(e.currentTarget.value);
            }}
          />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit">{t('work.audit.apply')}</Button>
        </Group>
      </form>
      {log.isPending ? (
        <PageLoader />
      ) : log.isError ? (
        <LoadError error={log.error} onRetry={() => void log.refetch()} />
      ) : events.length === 0 ? (
        <Text c="dark.6">{t('work.audit.none')}</Text>
      ) : (
        <>
          <ScrollTable label={t('work.audit.title')} minWidth={860}>
            <Table striped verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('work.audit.when')}</Table.Th>
                  <Table.Th scope="col">{t('work.audit.who')}</Table.Th>
                  <Table.Th scope="col">{t('work.audit.what')}</Table.Th>
                  <Table.Th scope="col">{t('work.audit.object')}</Table.Th>
                  <Table.Th scope="col">{t('work.audit.details')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>
                      <Text size="sm">
                        <Moment at={e.at} />
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ActorName actor={e.actor} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {actionLabel(e.action)}
                      </Text>
                      <Text size="xs" c="dark.6" ff="monospace">
                        {e.action}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{entityLabel(e.entityType)}</Text>
                      <Text size="xs" c="dark.6" ff="monospace" className="break-anywhere">
                        {e.entityId}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace" className="break-anywhere">
                        {e.data && Object.keys(e.data).length > 0 ? JSON.stringify(e.data) : '—'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          {log.hasNextPage && (
            <Group>
              <Button
                variant="default"
                loading={log.isFetchingNextPage}
                onClick={() => void log.fetchNextPage()}
              >
                {t('work.audit.more')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
