import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { LoadError, PageLoader } from '../components/Status.js';
import { formatDate } from '../format.js';
import { useApiLanguage } from '../desk/ui.js';
import { dealerName } from '../parties.js';
import { useMe } from '../session.js';
import {
  claimLink,
  orderLink,
  purchaseLink,
  SEARCH_MAX,
  SEARCH_MIN,
  searchQuery,
  type SearchResults,
} from './search-api.js';

type Contact = { name: string | null; email: string | null; phone: string | null };
type Hit = { id: string; matched: string[] };

function Matched({ fields }: { fields: string[] }) {
  const { t } = useTranslation();
  if (fields.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap">
      <Text size="sm" c="dimmed">
        {t('search.matchedIn')}
      </Text>
      {fields.map((f) => (
        <Badge key={f} variant="light" color="indigo" size="sm" tt="none">
          {t(`search.field.${f}`)}
        </Badge>
      ))}
    </Group>
  );
}

function ContactLine({ contact }: { contact: Contact }) {
  const parts = [contact.name, contact.phone, contact.email].filter((p): p is string => !!p);
  return <Text size="sm">{parts.join(' · ') || '—'}</Text>;
}

function HitCard({
  title,
  link,
  children,
  hit,
}: {
  title: string;
  link?: string | undefined;
  children: ReactNode;
  hit: Hit;
}) {
  return (
    <Card withBorder padding="sm" component="li">
      <Stack gap={4}>
        {link ? (
          <Anchor component={Link} to={link} fw={700} className="break-anywhere">
            {title}
          </Anchor>
        ) : (
          <Text fw={700} className="break-anywhere">
            {title}
          </Text>
        )}
        {children}
        <Matched fields={hit.matched} />
      </Stack>
    </Card>
  );
}

function Group_<T extends Hit>({
  id,
  title,
  group,
  render,
}: {
  id: string;
  title: string;
  group: { items: T[]; more: boolean } | null;
  render: (hit: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (group === null) return null;
  return (
    <section aria-labelledby={id}>
      <Title order={2} size="h3" id={id} mb="xs">
        {title}
      </Title>
      {group.items.length === 0 ? (
        <Text c="dimmed">{t('search.none')}</Text>
      ) : (
        <Stack component="ul" gap="xs" className="search-hits">
          {group.items.map(render)}
        </Stack>
      )}
      {group.more && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('search.more')}
        </Text>
      )}
    </section>
  );
}

function Results({ results }: { results: SearchResults }) {
  const { t, i18n } = useTranslation();
  const lang = useApiLanguage();
  const role = useMe().data?.role;
  const total = [results.claims, results.maintenanceOrders, results.purchases].reduce(
    (n, g) => n + (g?.items.length ?? 0),
    0,
  );
  return (
    <Stack gap="lg">
      <Text role="status">{t('search.summary', { count: total, q: results.q })}</Text>
      <Group_
        id="search-claims"
        title={t('search.groups.claims')}
        group={results.claims}
        render={(c) => (
          <HitCard
            key={c.id}
            hit={c}
            link={claimLink(role, c.id)}
            title={t('search.claimTitle', { product: c.product.name[lang], reference: c.id.slice(0, 8) })}
          >
            <Text size="sm">
              {t('search.serial')}: {c.serial ?? '—'} · {t(`desk.claimStatus.${c.status}`)}
              {c.maintenanceNumbers.length > 0 && ` · ${c.maintenanceNumbers.join(', ')}`}
            </Text>
            <ContactLine contact={c.customer} />
          </HitCard>
        )}
      />
      <Group_
        id="search-orders"
        title={t('search.groups.maintenanceOrders')}
        group={results.maintenanceOrders}
        render={(o) => (
          <HitCard key={o.id} hit={o} link={orderLink(role, o.id)} title={o.maintenanceNumber}>
            <Text size="sm">
              {o.product.name[lang]} · {t('search.serial')}: {o.serial ?? '—'} ·{' '}
              {t(`desk.orderState.${o.state}`)}
            </Text>
            <Text size="sm">{o.serviceCenter.name[lang]}</Text>
            <ContactLine contact={o.customer} />
          </HitCard>
        )}
      />
      <Group_
        id="search-purchases"
        title={t('search.groups.purchases')}
        group={results.purchases}
        render={(p) => (
          <HitCard
            key={p.id}
            hit={p}
            link={purchaseLink(role)}
            title={t('search.purchaseTitle', {
              product: p.product.name[lang],
              date: formatDate(p.purchaseDate, i18n.language),
            })}
          >
            <Text size="sm">
              {t('search.serial')}: {p.serial ?? '—'}
              {p.dealer && ` · ${dealerName(p.dealer, lang)}`}
            </Text>
            <ContactLine contact={p.customer} />
            {(p.buyer.name ?? p.buyer.phone ?? p.buyer.email) && (
              <Text size="sm" c="dimmed">
                {t('search.buyer')}:{' '}
                {[p.buyer.name, p.buyer.phone, p.buyer.email].filter(Boolean).join(' · ')}
              </Text>
            )}
          </HitCard>
        )}
      />
    </Stack>
  );
}

/** The staff search's results: claims, maintenance orders and purchases the reader may see. */
export function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const [text, setText] = useState(q);
  useEffect(() => {
    setText(q);
  }, [q]);
  const tooShort = q.length < SEARCH_MIN;
  const results = useQuery(searchQuery(q));
  return (
    <Stack gap="lg">
      <Title order={1}>{t('search.title')}</Title>
      <form
        role="search"
        aria-label={t('search.label')}
        onSubmit={(event) => {
          event.preventDefault();
          setParams({ q: text.trim() });
        }}
      >
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            type="search"
            label={t('search.label')}
            description={t('search.hint')}
            value={text}
            maxLength={SEARCH_MAX}
            onChange={(event) => {
              setText(event.currentTarget.value);
            }}
            style={{ flex: '1 1 16rem' }}
          />
          <Button type="submit">{t('search.submit')}</Button>
        </Group>
      </form>
      {tooShort ? (
        q.length > 0 && (
          <Alert color="yellow" title={t('search.tooShort', { min: SEARCH_MIN })}>
            {t('search.hint')}
          </Alert>
        )
      ) : results.isPending ? (
        <PageLoader />
      ) : results.isError ? (
        <LoadError error={results.error} onRetry={() => void results.refetch()} />
      ) : (
        <Results results={results.data} />
      )}
    </Stack>
  );
}
