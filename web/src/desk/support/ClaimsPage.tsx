import { NativeSelect, Stack, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { windowCodes } from '../../../../src/domain/policy/schema.js';
import { claimSchema } from '../../../../src/http/claims/schemas.js';
import { ToneBadge } from '../../components/Badges.js';
import {
  type ListColumn,
  ListTable,
  pageSizeOf,
  RowLink,
  useFilterParams,
} from '../../components/ListTable.js';
import { dealerName } from '../../parties.js';
import { type Claim, claimStatusValues } from '../desk-api.js';
import { ClaimStatusBadge, Day, PageHeader, ProductCell, useApiLanguage } from '../ui.js';

/**
 * Every claim, newest first, a page at a time, filtered by status and window in the address so a
 * filtered list can be shared; sorted by its headers, searched, exported as CSV.
 */
export default function ClaimsPage() {
  const { t } = useTranslation();
  const lang = useApiLanguage();
  const { params, filter, setParam } = useFilterParams();
  const mine = params.get('owner') === 'me';

  const columns: ListColumn<Claim>[] = [
    {
      key: 'product',
      header: t('desk.fields.product'),
      rowHeader: true,
      cell: (claim) => (
        <RowLink to={`/desk/support/claims/${claim.id}`}>
          <ProductCell product={claim.product} serial={claim.serial} />
        </RowLink>
      ),
    },
    {
      key: 'reported',
      header: t('desk.fields.reportedOn'),
      sort: 'reportedOn',
      cell: (claim) => <Day date={claim.reportedOn} />,
    },
    {
      key: 'dealer',
      header: t('desk.fields.dealer'),
      cell: (claim) => <Text size="sm">{claim.dealer ? dealerName(claim.dealer, lang) : '—'}</Text>,
    },
    {
      key: 'window',
      header: t('desk.fields.window'),
      cell: (claim) => (
        <>
          <Text size="sm">{t(`window.${claim.decision.window}`)}</Text>
          {claim.decision.paid && <ToneBadge tone="red">{t('desk.decision.paid')}</ToneBadge>}
        </>
      ),
    },
    {
      key: 'status',
      header: t('desk.fields.status'),
      sort: 'status',
      cell: (claim) => (
        <>
          <ClaimStatusBadge status={claim.status} />
          {claim.chosenRemedy && (
            <Text size="xs" c="dark.6" mt={4}>
              {t('desk.fields.chosen')}: {t(`remedy.${claim.chosenRemedy}`)}
            </Text>
          )}
        </>
      ),
    },
    {
      key: 'owner',
      header: t('work.owner.column'),
      cell: (claim) => <Text size="sm">{claim.owner?.name ?? '—'}</Text>,
    },
  ];

  return (
    <Stack gap="lg">
      <PageHeader title={t('desk.claims.title')} intro={t('desk.claims.intro')} />
      <ListTable
        label={t('desk.claims.title')}
        path="/api/v1/claims"
        item={claimSchema}
        rowKey={(c) => c.id}
        columns={columns}
        params={{ lang, status: filter('status'), window: filter('window'), owner: mine ? 'me' : undefined }}
        defaultSort="createdAt"
        defaultOrder="desc"
        empty={t('desk.claims.none')}
        pageSize={pageSizeOf(params.get('per'))}
        minWidth={980}
        filters={
          <>
            <NativeSelect
              label={t('desk.claims.filter')}
              value={filter('status')}
              onChange={(e) => {
                setParam('status', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('desk.claims.all') },
                ...claimStatusValues.map((s) => ({ value: s, label: t(`desk.claimStatus.${s}`) })),
              ]}
            />
            <NativeSelect
              label={t('desk.fields.window')}
              value={filter('window')}
              onChange={(e) => {
                setParam('window', e.currentTarget.value);
              }}
              data={[
                { value: '', label: t('desk.claims.anyWindow') },
                ...[...windowCodes, 'expired' as const].map((w) => ({ value: w, label: t(`window.${w}`) })),
              ]}
            />
            <Switch
              label={t('work.owner.mine')}
              checked={mine}
              onChange={(e) => {
                setParam('owner', e.currentTarget.checked ? 'me' : '');
              }}
              mb={6}
            />
          </>
        }
      />
    </Stack>
  );
}
