import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  FileInput,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoment } from '../format.js';
import { ChangeError, Section, useLanguages } from './common.js';
import { type Conversation, type ConversationMessage, decideHeld, type Draft } from './conversation-api.js';

/*
 * A claim's conversation, for the customer (signed in or through the tracking link) and for the staff on
 * the claim or its order. Internal notes and held e-mail are for staff only, and marked so that nobody
 * takes one for something the customer read.
 */

type FileRef = { id: string; fileName: string | null };

/** A file of a message: a link for someone signed in, a button fetching it with the tracking link's token. */
function FileLink({ file, name, openFile }: { file: FileRef; name: string; openFile?: OpenFile }) {
  const { t } = useTranslation();
  const open = useMutation({ mutationFn: (f: FileRef) => (openFile ? openFile(f) : Promise.resolve()) });
  if (!openFile) {
    return (
      <Anchor href={`/api/v1/uploads/${file.id}`} target="_blank" rel="noreferrer" size="sm">
        {t('service.conversation.file', { name })}
      </Anchor>
    );
  }
  return (
    <Group gap="xs">
      <Button
        variant="subtle"
        size="compact-sm"
        px={0}
        loading={open.isPending}
        onClick={() => {
          open.mutate(file);
        }}
        aria-label={t('service.conversation.openFile', { name })}
      >
        {t('service.conversation.file', { name })}
      </Button>
      {open.isError && <ChangeError error={open.error} object="claim" />}
    </Group>
  );
}

/** Release or discard an e-mail held for staff. */
function HeldDecision({ message, onDecided }: { message: ConversationMessage; onDecided: OnSent }) {
  const { t } = useTranslation();
  const decide = useMutation({
    mutationFn: (decision: 'release' | 'discard') => decideHeld(message.id, decision),
    onSuccess: onDecided,
  });
  return (
    <Stack gap={4} mt={8}>
      <Text size="sm">{t('service.conversation.releaseHint')}</Text>
      <Group gap="xs">
        <Button
          size="xs"
          loading={decide.isPending && decide.variables === 'release'}
          disabled={decide.isPending}
          onClick={() => {
            decide.mutate('release');
          }}
        >
          {t('service.conversation.release')}
        </Button>
        <Button
          size="xs"
          variant="default"
          loading={decide.isPending && decide.variables === 'discard'}
          disabled={decide.isPending}
          onClick={() => {
            decide.mutate('discard');
          }}
        >
          {t('service.conversation.discard')}
        </Button>
      </Group>
      {decide.isError && <ChangeError error={decide.error} object="claim" />}
    </Stack>
  );
}

type OpenFile = (file: FileRef) => Promise<void>;
type OnSent = (view: Conversation) => void;

function MessageCard({
  message,
  reader,
  openFile,
  onDecided,
}: {
  message: ConversationMessage;
  reader: 'customer' | 'staff';
  openFile: OpenFile | undefined;
  onDecided: OnSent;
}) {
  const { t } = useTranslation();
  const { locale } = useLanguages();
  const internal = message.visibility === 'internal';
  const held = message.status === 'held';
  const discarded = message.status === 'discarded';
  const released = message.status === 'posted' && message.holdReason !== null;
  const mine = reader === 'customer' ? message.authorKind === 'customer' : message.authorKind === 'staff';
  const who =
    message.authorKind === 'customer'
      ? t('service.conversation.customer')
      : [
          message.authorName,
          message.authorRole ? t(`service.conversation.roles.${message.authorRole}`) : null,
        ]
          .filter(Boolean)
          .join(' · ');
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      className={`conversation-message${internal ? ' conversation-internal' : ''}${held ? ' conversation-held' : ''}${discarded ? ' conversation-discarded' : ''}`}
      style={{ marginInlineStart: mine ? 'auto' : 0, maxWidth: '92%' }}
      data-testid={internal ? 'internal-note' : 'conversation-message'}
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm" fw={600}>
          {who}
        </Text>
        <Group gap={6}>
          {held && (
            <Badge color="red" variant="filled">
              {t('service.conversation.held')}
            </Badge>
          )}
          {discarded && (
            <Badge color="gray" variant="filled">
              {t('service.conversation.discarded')}
            </Badge>
          )}
          {internal && !held && !discarded && (
            <Badge color="yellow" variant="filled" c="dark">
              {t('service.conversation.internalBadge')}
            </Badge>
          )}
          {released && reader === 'staff' && (
            <Badge color="gray" variant="outline">
              {t('service.conversation.released')}
            </Badge>
          )}
          {message.channel === 'email' && <Badge variant="light">{t('service.conversation.byEmail')}</Badge>}
          <Text size="xs" c="dimmed">
            {formatMoment(message.createdAt, locale)}
          </Text>
        </Group>
      </Group>
      {(held || discarded || (released && reader === 'staff')) && (
        <Text size="sm" c={held ? 'red.9' : undefined} mt={4}>
          {t(released ? 'service.conversation.releasedFrom' : 'service.conversation.heldFrom', {
            from: message.emailFrom ?? '—',
          })}
        </Text>
      )}
      {message.body && (
        <Text mt={6} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {message.body}
        </Text>
      )}
      {message.attachments.length > 0 && (
        <Stack gap={2} mt={6}>
          {message.attachments.map((a) => (
            <FileLink key={a.id} file={a} name={a.fileName ?? a.mediaType} openFile={openFile} />
          ))}
        </Stack>
      )}
      {held && reader === 'staff' && <HeldDecision message={message} onDecided={onDecided} />}
    </Paper>
  );
}

export function ConversationPanel({
  conversation,
  reader,
  send,
  onSent,
  openFile,
}: {
  conversation: Conversation;
  reader: 'customer' | 'staff';
  send: (draft: Draft) => Promise<Conversation>;
  onSent: OnSent;
  /** Guests have no session to fetch a file with: they open it with their tracking link's token. */
  openFile?: OpenFile;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const [files, setFiles] = useState<File[]>([]);
  const post = useMutation({
    mutationFn: send,
    onSuccess: (view) => {
      setText('');
      setFiles([]);
      onSent(view);
    },
  });
  const waiting = conversation.state === 'waiting_for_staff';
  return (
    <Section id="conversation-title" title={t('service.conversation.title')}>
      {reader === 'staff' && waiting && (
        <Alert color="orange" variant="light" role="status">
          {t('service.conversation.waitingForStaff')}
        </Alert>
      )}
      {conversation.messages.length === 0 ? (
        <Text c="dimmed">{t(`service.conversation.empty.${reader}`)}</Text>
      ) : (
        <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {conversation.messages.map((m) => (
            <li key={m.id}>
              <MessageCard message={m} reader={reader} openFile={openFile} onDecided={onSent} />
            </li>
          ))}
        </Stack>
      )}
      <Card
        withBorder
        padding="sm"
        component="form"
        onSubmit={(e) => {
          e.preventDefault();
          post.mutate({ text, visibility, files });
        }}
      >
        <Stack gap="xs">
          {reader === 'staff' && (
            <SegmentedControl
              aria-label={t('service.conversation.visibility')}
              value={visibility}
              onChange={(v) => {
                setVisibility(v === 'internal' ? 'internal' : 'public');
              }}
              data={[
                { value: 'public', label: t('service.conversation.toCustomer') },
                { value: 'internal', label: t('service.conversation.internalNote') },
              ]}
            />
          )}
          <Textarea
            label={
              visibility === 'internal'
                ? t('service.conversation.noteLabel')
                : t(`service.conversation.label.${reader}`)
            }
            description={
              visibility === 'internal'
                ? t('service.conversation.noteHint')
                : reader === 'staff'
                  ? t('service.conversation.replyHint')
                  : undefined
            }
            autosize
            minRows={2}
            maxRows={10}
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value);
            }}
          />
          <FileInput
            multiple
            clearable
            label={t('service.conversation.files')}
            placeholder={t('service.conversation.filesPlaceholder')}
            accept="image/jpeg,image/png,image/webp,image/heic,application/pdf"
            value={files}
            onChange={setFiles}
            clearButtonProps={{ 'aria-label': t('service.conversation.filesClear') }}
          />
          {post.isError && <ChangeError error={post.error} object="claim" />}
          <Group justify="flex-end">
            <Button
              type="submit"
              loading={post.isPending}
              color={visibility === 'internal' ? 'yellow' : undefined}
              c={visibility === 'internal' ? 'dark' : undefined}
            >
              {visibility === 'internal' ? t('service.conversation.addNote') : t('service.conversation.send')}
            </Button>
          </Group>
        </Stack>
      </Card>
    </Section>
  );
}
