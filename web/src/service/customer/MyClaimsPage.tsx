import { Anchor, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { claimStatusValues } from '../../../../src/http/claims/schemas.js';
import { ToneBadge } from '../../components/Badges.js';
import { ScrollTable } from '../../components/ScrollTable.js';
import { LoadError, PageLoader } from '../../components/Status.js';
import { DateText, PageHeading, useLanguages } from '../common.js';
import { claimsQuery } from '../service-api.js';

type ClaimStatus = (typeof claimStatusValues)[number];
const statusTone: Record<ClaimStatus, 'blue' | 'grape' | 'teal' | 'gray'> = {
  open: 'blue',
  remedy_chosen: 'grape',
  resolved: 'teal',
  withdrawn: 'gray',
};

export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  const { t } = useTranslation();
  return <ToneBadge tone={statusTone[status]}>{t(`service.claimStatus.${status}`)}</ToneBadge>;
}

export function MyClaimsPage() {
  const { t } = useTranslation();
  const { lang } = useLanguages();
  const claims = useQuery(claimsQuery(lang));
  return (
    <Stack gap="lg">
      <PageHeading title={t('service.claims.title')} intro={t('service.claims.intro')} />
      {claims.isPending ? (
        <PageLoader />
      ) : claims.isError ? (
        <LoadError error={claims.error} onRetry={() => void claims.refetch()} />
      ) : claims.data.length === 0 ? (
        <Text>
          {t('service.claims.none')}{' '}
          <Anchor component={Link} to="/my-products">
            {t('service.products.title')}
          </Anchor>
        </Text>
      ) : (
        <ScrollTable label={t('service.claims.title')} minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('service.fields.product')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.reportedOn')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.cause')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.status')}</Table.Th>
                <Table.Th scope="col">{t('service.fields.chosenRemedy')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {claims.data.map((claim) => (
                <Table.Tr key={claim.id}>
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/my-claims/${claim.id}`} fw={600}>
                      {claim.product.name[lang]}
                    </Anchor>
                    {claim.serial && (
                      <Text size="sm" c="dimmed">
                        {t('service.fields.serialValue', { serial: claim.serial })}
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td>
                    <DateText date={claim.reportedOn} />
                  </Table.Td>
                  <Table.Td>{t(`service.cause.${claim.cause}`)}</Table.Td>
                  <Table.Td>
                    <ClaimStatusBadge status={claim.status} />
                  </Table.Td>
                  <Table.Td>{claim.chosenRemedy ? t(`remedy.${claim.chosenRemedy}`) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}
