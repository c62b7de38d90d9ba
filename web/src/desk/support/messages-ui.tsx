import { Button, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ToneBadge } from '../../components/Badges.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { formatMoment } from '../../format.js';
import {
  fetchMessages,
  type Message,
  MESSAGES_PAGE,
  type MessagesFilter,
  messagesQueryKey,
  workMessage,
} from '../desk-api.js';
import { DeskErrorAlert, Done } from '../ui.js';

const statusTone = {
  queued: 'gray',
  retrying: 'grape',
  failed: 'red',
  to_call: 'red',
  sent: 'teal',
  internal: 'blue',
} as const satisfies Record<Message['status'], string>;

function When({ at }: { at: string }) {
  const { i18n } = useTranslation();
  return <span className="nowrap">{formatMoment(at, i18n.language)}</span>;
}

/** The note of a call that delivered a message to a phone-only customer: who said what. */
function RecordCallDialog({
  message,
  onClose,
  onDone,
}: {
  message: Message;
  onClose: () => void;
  onDone: (m: Message) => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const record = useMutation({
    mutationFn: () => workMessage(message.id, { action: 'recordCall', note: note.trim() }),
    onSuccess: onDone,
  });
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (note.trim() === '') {
      setMissing(true);
      return;
    }
    record.mutate();
  };
  return (
    <Modal
      opened
      centered
      size="lg"
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={t('desk.messages.callTitle', { recipient: message.recipient })}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {record.isError && <DeskErrorAlert error={record.error} />}
          <div>
            <Text size="sm" fw={600}>
              {message.subject}
            </Text>
            <Text size="sm" className="message-body">
              {message.body}
            </Text>
          </div>
          <Textarea
            name="note"
            label={t('desk.messages.callNote')}
            description={t('desk.messages.callNoteHint')}
            required
            autosize
            minRows={3}
            value={note}
            error={missing ? t('desk.messages.callNoteRequired') : undefined}
            onChange={(e) => {
              setNote(e.currentTarget.value);
              setMissing(false);
            }}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              loading={record.isPending}
              loaderProps={{ 'aria-label': t('common.working') }}
            >
              {t('desk.messages.recordCall')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * Messages of the outbox, newest first, a page at a time, with what staff can do about each: send a
 * failed e-mail again, or record the call that told a phone-only customer.
 */
export function MessageTable({ filter, label }: { filter: MessagesFilter; label: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const messages = useInfiniteQuery({
    queryKey: messagesQueryKey(filter),
    queryFn: ({ pageParam }) => fetchMessages(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.length < MESSAGES_PAGE ? undefined : last.at(-1)?.id),
  });
  const [calling, setCalling] = useState<Message | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['desk', 'messages'] });
  const retry = useMutation({
    mutationFn: (m: Message) => workMessage(m.id, { action: 'retry' }),
    onSuccess: async (m) => {
      setDone(t('desk.messages.retried', { recipient: m.recipient }));
      await refresh();
    },
  });

  // `role:qa` reads as the team: "Quality assurance".
  const staffInbox = (recipient: string) => {
    const role = recipient.slice('role:'.length);
    return t(`role.${role}`, { defaultValue: t('desk.messages.staff') });
  };

  if (messages.isPending) return <PageLoader />;
  if (messages.isError) return <LoadError error={messages.error} onRetry={() => void messages.refetch()} />;
  const rows = messages.data.pages.flat();
  return (
    <Stack gap="md">
      {done && <Done title={done} />}
      {retry.isError && <DeskErrorAlert error={retry.error} />}
      {rows.length === 0 ? (
        <Text c="dimmed">{t('desk.messages.none')}</Text>
      ) : (
        <ScrollTable label={label} minWidth={880}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.messages.when')}</Table.Th>
                <Table.Th scope="col">{t('desk.messages.to')}</Table.Th>
                <Table.Th scope="col">{t('desk.messages.message')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.status')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Text size="sm">
                      <When at={m.createdAt} />
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" className="nowrap">
                      {m.channel === 'staff' ? staffInbox(m.recipient) : m.recipient}
                    </Text>
                    <Text size="xs" c="dark.6">
                      {t(`desk.messages.channel.${m.channel}`)}
                    </Text>
                  </Table.Td>
                  <Table.Th scope="row" fw="normal">
                    <details>
                      <summary>
                        <Text span size="sm" fw={600}>
                          {m.subject}
                        </Text>
                      </summary>
                      <Text size="sm" mt="xs" className="message-body">
                        {m.body}
                      </Text>
                    </details>
                  </Table.Th>
                  <Table.Td>
                    <ToneBadge tone={statusTone[m.status]}>{t(`desk.messages.status.${m.status}`)}</ToneBadge>
                    {m.status === 'sent' && m.sentAt && (
                      <Text size="xs" c="dark.6" mt={4}>
                        <When at={m.sentAt} />
                      </Text>
                    )}
                    {m.lastError && m.status !== 'sent' && (
                      <Text size="xs" c="red.9" mt={4}>
                        {t('desk.messages.lastError', { count: m.attempts, error: m.lastError })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {(m.status === 'failed' || m.status === 'retrying') && (
                      <Button
                        size="compact-sm"
                        variant="default"
                        aria-label={t('desk.messages.retryNamed', { recipient: m.recipient })}
                        loading={retry.isPending && retry.variables.id === m.id}
                        loaderProps={{ 'aria-label': t('common.working') }}
                        onClick={() => {
                          setDone(null);
                          retry.mutate(m);
                        }}
                      >
                        {t('desk.messages.retry')}
                      </Button>
                    )}
                    {m.status === 'to_call' && (
                      <Button
                        size="compact-sm"
                        aria-label={t('desk.messages.recordCallNamed', { recipient: m.recipient })}
                        onClick={() => {
                          setDone(null);
                          setCalling(m);
                        }}
                      >
                        {t('desk.messages.recordCall')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {messages.hasNextPage && (
        <Group>
          <Button
            variant="default"
            loading={messages.isFetchingNextPage}
            loaderProps={{ 'aria-label': t('common.working') }}
            onClick={() => void messages.fetchNextPage()}
          >
            {t('desk.messages.more')}
          </Button>
        </Group>
      )}
      {calling && (
        <RecordCallDialog
          message={calling}
          onClose={() => {
            setCalling(null);
          }}
          onDone={(m) => {
            setCalling(null);
            setDone(t('desk.messages.called', { recipient: m.recipient }));
            void refresh();
          }}
        />
      )}
    </Stack>
  );
}
