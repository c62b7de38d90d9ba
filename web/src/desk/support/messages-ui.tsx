import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageSchema } from '../../../../src/http/messages/schemas.js';
import { ToneBadge } from '../../components/Badges.js';
import { type ListColumn, ListTable } from '../../components/ListTable.js';
import { formatMoment } from '../../format.js';
import { type Message, workMessage } from '../desk-api.js';
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

/** The message lists' pages (ListTable's key): working a message refreshes them. */
const messagesListKey = ['list', '/api/v1/messages'] as const;

/**
 * Messages of the outbox, newest first, a page at a time (ListTable: sorted, searched, exported without
 * their text), with what staff can do about each: send a failed e-mail again, or record the call that
 * told a phone-only customer.
 */
export function MessageTable({
  params,
  label,
  filters,
}: {
  /** The list's filters as query parameters (a claim's messages: its claimId). */
  params: Record<string, string | undefined>;
  label: string;
  filters?: ReactNode;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [calling, setCalling] = useState<Message | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: messagesListKey });
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

  const columns: ListColumn<Message>[] = [
    {
      key: 'message',
      header: t('desk.messages.message'),
      rowHeader: true,
      cell: (m) => (
        <details>
          <summary>
            <Text span size="sm" fw={600}>
              {m.subject}
            </Text>
          </summary>
          <Text size="sm" mt="xs" fw="normal" className="message-body">
            {m.body}
          </Text>
        </details>
      ),
    },
    {
      key: 'when',
      header: t('desk.messages.when'),
      sort: 'createdAt',
      cell: (m) => (
        <Text size="sm">
          <When at={m.createdAt} />
        </Text>
      ),
    },
    {
      key: 'to',
      header: t('desk.messages.to'),
      cell: (m) => (
        <>
          <Text size="sm" className="nowrap">
            {m.channel === 'staff' ? staffInbox(m.recipient) : m.recipient}
          </Text>
          <Text size="xs" c="dark.6">
            {t(`desk.messages.channel.${m.channel}`)}
          </Text>
        </>
      ),
    },
    {
      key: 'status',
      header: t('desk.fields.status'),
      cell: (m) => (
        <>
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
        </>
      ),
    },
    {
      key: 'actions',
      header: t('desk.fields.actions'),
      cell: (m) => (
        <>
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
        </>
      ),
    },
  ];

  return (
    <Stack gap="md">
      {done && <Done title={done} />}
      {retry.isError && <DeskErrorAlert error={retry.error} />}
      <ListTable
        label={label}
        path="/api/v1/messages"
        item={messageSchema}
        rowKey={(m) => m.id}
        columns={columns}
        params={params}
        defaultSort="createdAt"
        defaultOrder="desc"
        empty={t('desk.messages.none')}
        minWidth={880}
        filters={filters}
      />
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
