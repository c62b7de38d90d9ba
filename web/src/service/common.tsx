import { Alert, Anchor, Box, Card, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useCallback, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { cities } from '../../../src/domain/geo/cities.js';
import type { OrderCommitmentStatus } from '../../../src/domain/maintenance/deadlines.js';
import type { MaintenanceState } from '../../../src/domain/maintenance/state-machine.js';
import type { Language } from '../../../src/domain/policy/schema.js';
import { ApiError } from '../api.js';
import { ToneBadge } from '../components/Badges.js';
import { ApiErrorAlert } from '../components/Status.js';
import { formatDate } from '../format.js';
import { policyLanguage } from '../i18n/index.js';
import { newIdempotencyKey } from './service-api.js';
import './service.css';

/** The reader's interface locale and the language the API's texts come in. */
export function useLanguages(): { locale: string; lang: Language } {
  const { i18n } = useTranslation();
  return { locale: i18n.language, lang: policyLanguage(i18n.language) };
}

/** Integer minor units and their currency, in the reader's notation ("CN¥1,234.50", "¥1,234.50"). */
export function formatMoney(money: { amountMinor: number; currency: string }, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amountMinor / 10 ** digits);
}

/** A calendar date, or a dash when there is none yet. */
export function DateText({ date }: { date: string | null }) {
  const { locale } = useLanguages();
  return <>{date ? formatDate(date, locale) : '—'}</>;
}

const commitmentTone: Record<OrderCommitmentStatus, 'teal' | 'blue' | 'gray' | 'red' | 'grape'> = {
  not_started: 'gray',
  on_track: 'teal',
  due_soon: 'grape',
  missed: 'red',
  met: 'blue',
  cancelled: 'gray',
};

/** Where the service commitment stands: not started, on track, due soon, missed, met. */
export function CommitmentBadge({ status }: { status: OrderCommitmentStatus }) {
  const { t } = useTranslation();
  return <ToneBadge tone={commitmentTone[status]}>{t(`service.commitment.${status}`)}</ToneBadge>;
}

const finished: readonly MaintenanceState[] = ['returned', 'closed'];

/** The order's state in words. */
export function OrderStateBadge({ state }: { state: MaintenanceState }) {
  const { t } = useTranslation();
  const tone =
    state === 'cancelled'
      ? 'gray'
      : state === 'paidService'
        ? 'red'
        : finished.includes(state)
          ? 'teal'
          : 'blue';
  return <ToneBadge tone={tone}>{t(`service.state.${state}`)}</ToneBadge>;
}

export type TimelineEntry = {
  kind: 'move' | 'contact';
  state: MaintenanceState;
  on: string;
  note: string | null;
};

/**
 * The order's history, oldest first: each move with its day and the note shown to the customer, and
 * each time the center spoke to the customer, with what it noted of the call.
 */
export function Timeline({ entries }: { entries: readonly TimelineEntry[] }) {
  const { t } = useTranslation();
  return (
    <Box component="ol" className="service-timeline">
      {entries.map((entry, index) => (
        <li
          key={`${entry.kind}-${entry.state}-${index}`}
          className={
            entry.kind === 'contact'
              ? 'service-timeline-item service-timeline-contact'
              : 'service-timeline-item'
          }
        >
          <Text fw={700}>
            {entry.kind === 'contact' ? t('service.timeline.contacted') : t(`service.state.${entry.state}`)}
          </Text>
          <Text size="sm" c="dimmed">
            <DateText date={entry.on} />
          </Text>
          {entry.note && <Text mt={2}>{entry.note}</Text>}
        </li>
      ))}
    </Box>
  );
}

/** A labelled list of facts (`<dl>`): label and value pairs. */
export function Facts({ items }: { items: readonly [label: string, value: ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([label, value]) => (
        <div key={label} style={{ display: 'contents' }}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A card with its own heading, so each section of a page is a landmark a screen reader can jump to. */
export function Section({
  id,
  title,
  children,
  className,
}: {
  id: string;
  title: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id} className={className}>
      <Title order={2} size="h3" id={id} mb="sm">
        {title}
      </Title>
      <Stack gap="sm">{children}</Stack>
    </Card>
  );
}

/** A center's city is stored in English; the bundled list names the common ones in Chinese too. */
function cityName(city: string, lang: Language): string {
  const known = cities.find((c) => c.name.en.toLowerCase() === city.trim().toLowerCase());
  return known ? known.name[lang] : city;
}

/** The center's contact details: where to go or where to send the parts. */
export function ServiceCenterFacts({
  center,
}: {
  center: { name: { en: string; zh: string }; city: string; address?: string; phone: string };
}) {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  return (
    <Facts
      items={[
        [t('service.center.name'), center.name[lang]],
        [t('service.center.city'), cityName(center.city, lang)],
        ...(center.address ? [[t('service.center.address'), center.address] as [string, string]] : []),
        [
          t('service.center.phone'),
          <Anchor key="phone" href={`tel:${center.phone.replace(/\s+/g, '')}`}>
            {center.phone}
          </Anchor>,
        ],
      ]}
    />
  );
}

/**
 * A refused change, said in the reader's words. A stale version means someone else changed the object
 * first (the page reloads it); an illegal move names the moves that are allowed now.
 */
export function ChangeError({
  error,
  allowed,
  object,
}: {
  error: Error;
  /** The moves allowed now, in words, for ILLEGAL_TRANSITION. */
  allowed?: readonly string[];
  object: 'claim' | 'order' | 'quote';
}) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
    return (
      <Alert
        color="orange"
        variant="light"
        role="alert"
        className="service-alert-warn"
        title={t('service.errors.versionConflictTitle')}
      >
        <Text size="sm">{t(`service.errors.versionConflict.${object}`)}</Text>
      </Alert>
    );
  }
  if (error instanceof ApiError && error.code === 'ILLEGAL_TRANSITION') {
    return (
      <Alert color="red" variant="light" role="alert" title={t('service.errors.illegalTransitionTitle')}>
        <Text size="sm">
          {allowed && allowed.length > 0
            ? t('service.errors.allowedNow', { moves: allowed.join(t('format.list')) })
            : t('service.errors.nothingAllowed')}
        </Text>
        <Text size="sm" c="dimmed" mt={4}>
          {error.message}
        </Text>
      </Alert>
    );
  }
  return <ApiErrorAlert error={error} fallbackTitle={t('service.errors.refused')} />;
}

/** Whether a refusal means the object changed under the reader and should be read again. */
export function isStale(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.code === 'VERSION_CONFLICT' || error.code === 'ILLEGAL_TRANSITION' || error.status === 409)
  );
}

/** A page's title and the sentence under it. */
export function PageHeading({ title, intro }: { title: string; intro?: ReactNode }) {
  return (
    <div>
      <Title order={1}>{title}</Title>
      {intro && <Text mt="xs">{intro}</Text>}
    </div>
  );
}

/**
 * One Idempotency-Key per submission: sending the same answers again (a double click, a retry after
 * a lost response) reuses the key, so the server never acts twice; changed answers are a new one.
 */
export function useSubmissionKey(): (body: unknown) => string {
  const last = useRef<{ body: string; key: string } | null>(null);
  return useCallback((body: unknown) => {
    const json = JSON.stringify(body);
    if (last.current?.body !== json) last.current = { body: json, key: newIdempotencyKey() };
    return last.current.key;
  }, []);
}
