import { Anchor, Group, NativeSelect, Stack, Switch, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ToneBadge } from '../../components/Badges.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { type ClaimStatus, claimStatusValues, claimsQuery } from '../desk-api.js';
import { ClaimStatusBadge, Day, PageHeader, ProductCell, useApiLanguage } from '../ui.js';

function isStatus(value: string | null): value is ClaimStatus {
  return (claimStatusValues as readonly (string | null)[]).includes(value);
}

/** Every claim, newest first, filtered by status in the address so a filtered list can be shared. */
export default function ClaimsPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status = isStatus(raw) ? raw : undefined;
  const mine = params.get('owner') === 'me';
  const claims = useQuery(claimsQuery(lang, status, mine ? 'me' : undefined));
  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.claims.title')} intro={t('desk.claims.intro')} />
      <Group align="flex-end" gap="lg" wrap="wrap">
        <NativeSelect
          label={t('desk.claims.filter')}
          maw={280}
          value={status ?? ''}
          onChange={(e) => {
            setParam('status', e.currentTarget.value || undefined);
          }}
          data={[
            { value: '', label: t('desk.claims.all') },
            ...claimStatusValues.map((s) => ({ value: s, label: t(`desk.claimStatus.${s}`) })),
          ]}
        />
        <Switch
          label={t('work.owner.mine')}
          checked={mine}
          onChange={(e) => {
            setParam('owner', e.currentTarget.checked ? 'me' : undefined);
          }}
          mb={6}
        />
      </Group>
      {claims.isPending ? (
        <PageLoader />
      ) : claims.isError ? (
        <LoadError error={claims.error} onRetry={() => void claims.refetch()} />
      ) : claims.data.length === 0 ? (
        <Text c="dimmed">{t('desk.claims.none')}</Text>
      ) : (
        <ScrollTable label={t('desk.claims.title')} minWidth={980}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('desk.fields.product')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.reportedOn')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.dealer')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.window')}</Table.Th>
                <Table.Th scope="col">{t('desk.fields.status')}</Table.Th>
                <Table.Th scope="col">{t('work.owner.column')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {claims.data.map((claim) => (
                <Table.Tr key={claim.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/desk/support/claims/${claim.id}`} size="sm">
                      <ProductCell product={claim.product} serial={claim.serial} />
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Day date={claim.reportedOn} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{claim.dealer?.name ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`window.${claim.decision.window}`)}</Text>
                    {claim.decision.paid && <ToneBadge tone="red">{t('desk.decision.paid')}</ToneBadge>}
                  </Table.Td>
                  <Table.Td>
                    <ClaimStatusBadge status={claim.status} />
                    {claim.chosenRemedy && (
                      <Text size="xs" c="dark.6" mt={4}>
                        {t('desk.fields.chosen')}: {t(`remedy.${claim.chosenRemedy}`)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{claim.owner?.name ?? '—'}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}
