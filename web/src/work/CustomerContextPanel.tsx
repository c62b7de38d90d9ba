import { Anchor, Box, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ToneBadge } from '../components/Badges.js';
import { LoadError, PageLoader } from '../components/Status.js';
import { Day, Fact, useApiLanguage } from '../desk/ui.js';
import { formatMoney } from '../desk/money.js';
import { dealerName } from '../parties.js';
import { useMe } from '../session.js';
import { ActorName, Moment, useActionLabel } from './labels.js';
import { contextQuery, type OwnedKind } from './work-api.js';

/** Where a claim or an order opens for the reader's role, if it opens at all. */
function useLinks() {
  const me = useMe();
  const role = me.data?.role;
  const staff = role === 'support' || role === 'admin';
  return {
    claim: (id: string) => (staff ? `/desk/support/claims/${id}` : undefined),
    order: (id: string) =>
      staff ? `/desk/support/orders/${id}` : role === 'technician' ? `/repairs/${id}` : undefined,
  };
}

function MaybeLink({ to, children }: { to: string | undefined; children: React.ReactNode }) {
  return to ? (
    <Anchor component={Link} to={to} size="sm">
      {children}
    </Anchor>
  ) : (
    <Text span size="sm">
      {children}
    </Text>
  );
}

/**
 * The customer behind a claim or an order: contact, other purchases and claims, the linked orders and
 * quotes, and the object's history. The server has already narrowed every list to what the reader may
 * see; this only draws it.
 */
export function CustomerContextPanel({
  kind,
  id,
  claimId,
}: {
  kind: OwnedKind;
  id: string;
  claimId: string;
}) {
  const { t, i18n } = useTranslation();
  const lang = useApiLanguage();
  const links = useLinks();
  const actionLabel = useActionLabel();
  const context = useQuery(contextQuery(kind, id));
  if (context.isPending) return <PageLoader />;
  if (context.isError) return <LoadError error={context.error} onRetry={() => void context.refetch()} />;
  const { customer, purchases, claims, maintenanceOrders, quotes, history } = context.data;
  const none = (
    <Text size="sm" c="dark.6">
      {t('work.context.none')}
    </Text>
  );
  const here = (
    <ToneBadge tone="teal" size="xs" ml={6}>
      {t('work.context.linked')}
    </ToneBadge>
  );

  return (
    <>
      <Card withBorder padding="lg" component="section" aria-labelledby="customer-context">
        <Title order={2} size="h4" id="customer-context" mb="sm">
          {t('work.context.title')}: {customer.name}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" mb="md">
          <Fact label={t('desk.fields.email')}>{customer.email ?? '—'}</Fact>
          <Fact label={t('desk.fields.phone')}>{customer.phone ?? '—'}</Fact>
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <div>
            <Title order={3} size="h5" mb={4}>
              {t('work.context.purchases')}
            </Title>
            {purchases.length === 0 ? (
              none
            ) : (
              <Box component="ul" className="context-list">
                {purchases.map((p) => (
                  <li key={p.id}>
                    <Text size="sm">
                      {p.product.name[lang]} · <Day date={p.purchaseDate} />
                    </Text>
                    <Text size="xs" c="dark.6">
                      {[
                        p.serial,
                        p.dealerName && dealerName({ name: p.dealerName, nameZh: p.dealerNameZh }, lang),
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  </li>
                ))}
              </Box>
            )}
          </div>
          <div>
            <Title order={3} size="h5" mb={4}>
              {t('work.context.claims')}
            </Title>
            {claims.length === 0 ? (
              none
            ) : (
              <Box component="ul" className="context-list">
                {claims.map((c) => (
                  <li key={c.id}>
                    <MaybeLink to={c.id === claimId ? undefined : links.claim(c.id)}>
                      {c.product.name[lang]} · <Day date={c.reportedOn} />
                    </MaybeLink>
                    {c.id === claimId && here}
                    <Text size="xs" c="dark.6">
                      {t(`desk.claimStatus.${c.status}`, { defaultValue: c.status })}
                    </Text>
                  </li>
                ))}
              </Box>
            )}
          </div>
          <div>
            <Title order={3} size="h5" mb={4}>
              {t('work.context.orders')}
            </Title>
            {maintenanceOrders.length === 0 ? (
              none
            ) : (
              <Box component="ul" className="context-list">
                {maintenanceOrders.map((o) => (
                  <li key={o.id}>
                    <MaybeLink to={kind === 'order' && o.id === id ? undefined : links.order(o.id)}>
                      <span className="nowrap">{o.maintenanceNumber}</span>
                    </MaybeLink>
                    {o.claimId === claimId && here}
                    <Text size="xs" c="dark.6">
                      {t(`desk.orderState.${o.state}`, { defaultValue: o.state })} · {o.serviceCenter[lang]}
                    </Text>
                  </li>
                ))}
              </Box>
            )}
          </div>
          <div>
            <Title order={3} size="h5" mb={4}>
              {t('work.context.quotes')}
            </Title>
            {quotes.length === 0 ? (
              none
            ) : (
              <Box component="ul" className="context-list">
                {quotes.map((q) => (
                  <li key={q.id}>
                    <Text size="sm">
                      {formatMoney({ amountMinor: q.totalMinor, currency: q.currency }, i18n.language)} ·{' '}
                      {t(`desk.quoteState.${q.state}`, { defaultValue: q.state })}
                      {q.claimId === claimId && here}
                    </Text>
                  </li>
                ))}
              </Box>
            )}
          </div>
        </SimpleGrid>
      </Card>
      <Card withBorder padding="lg" component="section" aria-labelledby="object-history">
        <Title order={2} size="h4" id="object-history" mb="sm">
          {t('work.context.history')}
        </Title>
        {history.length === 0 ? (
          <Text size="sm" c="dark.6">
            {t('work.context.noHistory')}
          </Text>
        ) : (
          <Stack gap={6} component="ol" className="context-history">
            {history.map((e) => (
              <li key={e.id}>
                <Group gap="xs" wrap="wrap">
                  <Text size="sm" fw={600}>
                    {actionLabel(e.action)}
                  </Text>
                  <Text size="sm" c="dark.6">
                    <Moment at={e.at} /> · <ActorName actor={e.actor} />
                  </Text>
                </Group>
              </li>
            ))}
          </Stack>
        )}
      </Card>
    </>
  );
}
