import { Alert, Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  type CaughtMailSummary,
  caughtMailSchema,
  caughtMailSummarySchema,
} from '../../../../src/http/dev-mail/schemas.js';
import { ApiError, request } from '../../api.js';
import { ToneBadge } from '../../components/Badges.js';
import { type ListColumn, ListTable, RowLink } from '../../components/ListTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { Fact, PageHeader, readableTitle } from '../../desk/ui.js';
import { formatMoment } from '../../format.js';
import { useMe } from '../../session.js';

/*
 * The development mail catcher's screens (admins, embedded demo, no SMTP_URL): the e-mail the server
 * would have sent, newest first, and each one whole with its links, so whoever tries the demo can
 * follow a sign-up confirmation or a quote link without a mail server.
 */

function Moment({ at }: { at: string }) {
  const { i18n } = useTranslation();
  return <span className="nowrap">{formatMoment(at, i18n.language)}</span>;
}

/** The server's refusal when it keeps no mail (it sends through SMTP_URL, or runs on PostgreSQL). */
function isCatcherOff(error: Error): boolean {
  return error instanceof ApiError && error.code === 'MAIL_CATCHER_OFF';
}

function CatcherOff() {
  const { t } = useTranslation();
  return (
    <Alert color="gray" variant="light" title={t('admin.mail.offTitle')}>
      {t('admin.mail.off')}
    </Alert>
  );
}

/** The list: who, what, when; no text (reading a message, with its live link, is audited). */
export function MailListPage() {
  const { t } = useTranslation();
  // /me says whether this server keeps its mail (and whether this reader may read it).
  const catcher = useMe().data?.mailCatcher ?? false;
  const columns: ListColumn<CaughtMailSummary>[] = [
    {
      key: 'subject',
      header: t('admin.mail.subject'),
      rowHeader: true,
      cell: (mail) => <RowLink to={`/admin/mail/${mail.id}`}>{mail.subject}</RowLink>,
    },
    {
      key: 'to',
      header: t('admin.mail.to'),
      cell: (mail) => (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {mail.recipient}
        </Text>
      ),
    },
    {
      key: 'createdAt',
      header: t('admin.mail.queuedAt'),
      sort: 'createdAt',
      cell: (mail) => (
        <Text size="sm">
          <Moment at={mail.createdAt} />
        </Text>
      ),
    },
    {
      key: 'link',
      header: t('admin.mail.link'),
      cell: (mail) =>
        mail.hasLink ? (
          <ToneBadge tone="grape">{t('admin.mail.hasLink')}</ToneBadge>
        ) : (
          <Text size="sm">—</Text>
        ),
    },
  ];
  return (
    <Stack gap="lg">
      <PageHeader title={t('admin.mail.title')} intro={t('admin.mail.intro')} />
      {!catcher ? (
        <CatcherOff />
      ) : (
        <ListTable
          label={t('admin.mail.title')}
          path="/api/v1/dev-mail"
          item={caughtMailSummarySchema}
          rowKey={(mail) => mail.id}
          columns={columns}
          params={{}}
          defaultSort="createdAt"
          defaultOrder="desc"
          empty={t('admin.mail.none')}
          minWidth={760}
          exportable={false}
          searchHint={t('admin.mail.searchHint')}
        />
      )}
    </Stack>
  );
}

/**
 * The text with its links to this server made links. Only those the server names (`links`): an address
 * that someone typed into a name or a note is shown as text, never followed. A link is opened on the
 * address the reader is using (its path, not PUBLIC_URL's host), so it works however the demo is reached.
 */
function MailText({ text, links }: { text: string; links: readonly string[] }) {
  const parts: ReactNode[] = [];
  let rest = text;
  let key = 0;
  for (;;) {
    let next: { at: number; link: string } | undefined;
    for (const link of links) {
      const at = rest.indexOf(link);
      if (at >= 0 && (next === undefined || at < next.at)) next = { at, link };
    }
    if (!next) break;
    parts.push(<Fragment key={key++}>{rest.slice(0, next.at)}</Fragment>);
    const url = new URL(next.link);
    parts.push(
      <Anchor
        key={key++}
        href={`${url.pathname}${url.search}${url.hash}`}
        style={{ overflowWrap: 'anywhere' }}
      >
        {next.link}
      </Anchor>,
    );
    rest = rest.slice(next.at + next.link.length);
  }
  parts.push(<Fragment key={key++}>{rest}</Fragment>);
  return (
    <Text component="div" size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {parts}
    </Text>
  );
}

/** One message whole, as its recipient would have read it. */
export function MailMessagePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const mail = useQuery({
    queryKey: ['dev-mail', id],
    queryFn: () => request(caughtMailSchema, `/api/v1/dev-mail/${encodeURIComponent(id)}`),
    retry: false,
  });
  const back = (
    <Anchor component={Link} to="/admin/mail" size="sm">
      {t('admin.mail.back')}
    </Anchor>
  );
  if (mail.isPending) return <PageLoader />;
  if (mail.isError) {
    return (
      <Stack gap="lg">
        {back}
        {isCatcherOff(mail.error) ? (
          <CatcherOff />
        ) : (
          <LoadError error={mail.error} onRetry={() => void mail.refetch()} />
        )}
      </Stack>
    );
  }
  const m = mail.data;
  return (
    <Stack gap="lg">
      {back}
      <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
        {m.subject}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        <Fact label={t('admin.mail.to')}>
          <span style={{ overflowWrap: 'anywhere' }}>{m.recipient}</span>
        </Fact>
        <Fact label={t('admin.mail.queuedAt')}>
          <Moment at={m.createdAt} />
        </Fact>
        <Fact label={t('admin.mail.topic')}>{m.topic}</Fact>
      </SimpleGrid>
      {m.hasLink && (
        <Alert
          color="orange"
          variant="light"
          styles={readableTitle('orange')}
          title={t('admin.mail.liveTitle')}
        >
          {t('admin.mail.live')}
        </Alert>
      )}
      {m.linkError && (
        <Alert color="red" variant="light" title={t('admin.mail.linkErrorTitle')}>
          {m.linkError}
        </Alert>
      )}
      <Card withBorder padding="lg" component="article" aria-label={t('admin.mail.body')}>
        <MailText text={m.text} links={m.links} />
      </Card>
      <Group>{back}</Group>
    </Stack>
  );
}
